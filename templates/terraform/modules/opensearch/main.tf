# One OpenSearch Service domain in private subnets: data nodes spread over availability zones, gp3 storage,
# encrypted at rest with the Region's KMS key and between nodes, HTTPS only (TLS 1.2+), fine-grained access control
# with an IAM master (no internal users, no anonymous access), slow/application/audit logs to KMS-encrypted log
# groups, automatic software updates in the off-peak window. The domain policy admits principals of this account
# only and leaves the decision to their IAM policies (access_policy_json); inside the domain, the master maps each
# service role to an OpenSearch role. The security group has no rule of its own: wiring.tf adds one per service.

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

# The IAM role (not the STS session) running Terraform: the default fine-grained access control master.
data "aws_iam_session_context" "current" {
  count = var.master_user_arn == null ? 1 : 0

  arn = data.aws_caller_identity.current.arn
}

locals {
  # Domain names: 3-28 lowercase letters, digits and hyphens, starting with a letter.
  clean_name = trim(replace(var.name, "/[^a-z0-9]+/", "-"), "-")
  name       = length(local.clean_name) <= 28 ? local.clean_name : "${trim(substr(local.clean_name, 0, 19), "-")}-${substr(sha1(local.clean_name), 0, 8)}"

  account   = data.aws_caller_identity.current.account_id
  partition = data.aws_partition.current.partition

  zone_aware = var.instance_count > 1
  zone_count = var.instance_count % 3 == 0 ? 3 : 2
  subnet_ids = slice(var.subnet_ids, 0, local.zone_aware ? local.zone_count : 1)

  dedicated_masters = var.dedicated_master_type != null
  # Auto-Tune is not available on burstable (t-family) instances.
  auto_tune = !startswith(var.instance_type, "t")

  master_user_arn = coalesce(var.master_user_arn, one(data.aws_iam_session_context.current[*].issuer_arn))

  log_types = {
    INDEX_SLOW_LOGS     = "index-slow"
    SEARCH_SLOW_LOGS    = "search-slow"
    ES_APPLICATION_LOGS = "application"
    AUDIT_LOGS          = "audit"
  }
}

resource "aws_security_group" "this" {
  name        = "${local.name}-search"
  description = "${local.name} OpenSearch: HTTPS ingress only from the services wired to it"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${local.name}-search" })
}

resource "aws_iam_service_linked_role" "this" {
  count = var.create_service_linked_role ? 1 : 0

  aws_service_name = "opensearchservice.amazonaws.com"
  description      = "Lets OpenSearch Service place domains in the VPC"
}

resource "aws_cloudwatch_log_group" "this" {
  for_each = local.log_types

  name              = "/aws/opensearch/${local.name}/${each.value}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

data "aws_iam_policy_document" "logs" {
  statement {
    sid       = "OpenSearchWritesDomainLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = [for group in aws_cloudwatch_log_group.this : "${group.arn}:*"]

    principals {
      type        = "Service"
      identifiers = ["es.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account]
    }
  }
}

resource "aws_cloudwatch_log_resource_policy" "this" {
  policy_name     = "${local.name}-opensearch-logs"
  policy_document = data.aws_iam_policy_document.logs.json
}

resource "aws_opensearch_domain" "this" {
  #checkov:skip=CKV_AWS_318:Dedicated master nodes are opt-in (var.dedicated_master_type): the planner sizes data nodes only, and a domain of a few data nodes lets them elect the master.
  #checkov:skip=CKV2_AWS_59:Dedicated master nodes are opt-in (var.dedicated_master_type): the planner sizes data nodes only, and a domain of a few data nodes lets them elect the master.
  domain_name    = local.name
  engine_version = var.engine_version

  cluster_config {
    instance_type          = var.instance_type
    instance_count         = var.instance_count
    zone_awareness_enabled = local.zone_aware

    dynamic "zone_awareness_config" {
      for_each = local.zone_aware ? [local.zone_count] : []
      content {
        availability_zone_count = zone_awareness_config.value
      }
    }

    dedicated_master_enabled = local.dedicated_masters
    dedicated_master_type    = var.dedicated_master_type
    dedicated_master_count   = local.dedicated_masters ? var.dedicated_master_count : null
  }

  vpc_options {
    subnet_ids         = local.subnet_ids
    security_group_ids = [aws_security_group.this.id]
  }

  ebs_options {
    ebs_enabled = true
    volume_type = "gp3"
    volume_size = var.volume_gb
  }

  encrypt_at_rest {
    enabled    = true
    kms_key_id = var.kms_key_arn
  }

  node_to_node_encryption {
    enabled = true
  }

  domain_endpoint_options {
    enforce_https       = true
    tls_security_policy = var.tls_security_policy
  }

  advanced_security_options {
    enabled                        = true
    anonymous_auth_enabled         = false
    internal_user_database_enabled = false

    master_user_options {
      master_user_arn = local.master_user_arn
    }
  }

  log_publishing_options {
    log_type                 = "INDEX_SLOW_LOGS"
    cloudwatch_log_group_arn = aws_cloudwatch_log_group.this["INDEX_SLOW_LOGS"].arn
    enabled                  = true
  }

  log_publishing_options {
    log_type                 = "SEARCH_SLOW_LOGS"
    cloudwatch_log_group_arn = aws_cloudwatch_log_group.this["SEARCH_SLOW_LOGS"].arn
    enabled                  = true
  }

  log_publishing_options {
    log_type                 = "ES_APPLICATION_LOGS"
    cloudwatch_log_group_arn = aws_cloudwatch_log_group.this["ES_APPLICATION_LOGS"].arn
    enabled                  = true
  }

  log_publishing_options {
    log_type                 = "AUDIT_LOGS"
    cloudwatch_log_group_arn = aws_cloudwatch_log_group.this["AUDIT_LOGS"].arn
    enabled                  = true
  }

  software_update_options {
    auto_software_update_enabled = true
  }

  off_peak_window_options {
    enabled = true

    off_peak_window {
      window_start_time {
        hours   = 2
        minutes = 0
      }
    }
  }

  auto_tune_options {
    desired_state       = local.auto_tune ? "ENABLED" : "DISABLED"
    rollback_on_disable = "NO_ROLLBACK"
    use_off_peak_window = local.auto_tune
  }

  tags = var.tags

  depends_on = [aws_cloudwatch_log_resource_policy.this, aws_iam_service_linked_role.this]

  lifecycle {
    precondition {
      condition     = length(var.subnet_ids) >= (local.zone_aware ? local.zone_count : 1)
      error_message = "subnet_ids needs one subnet per availability zone the domain spans."
    }
  }
}

# The domain admits this account's principals only; their IAM policies decide (see access_policy_json).
data "aws_iam_policy_document" "domain" {
  statement {
    sid       = "AccountPrincipalsWithIamPermission"
    actions   = ["es:ESHttp*"]
    resources = ["${aws_opensearch_domain.this.arn}/*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account}:root"]
    }
  }
}

resource "aws_opensearch_domain_policy" "this" {
  domain_name     = aws_opensearch_domain.this.domain_name
  access_policies = data.aws_iam_policy_document.domain.json
}

# What a service needs: HTTP access to the domain's indices (what it may do inside is its OpenSearch role mapping).
data "aws_iam_policy_document" "access" {
  statement {
    sid = "CallDomainHttpApi"
    actions = [
      "es:ESHttpDelete",
      "es:ESHttpGet",
      "es:ESHttpHead",
      "es:ESHttpPatch",
      "es:ESHttpPost",
      "es:ESHttpPut",
    ]
    resources = ["${aws_opensearch_domain.this.arn}/*"]
  }
}
