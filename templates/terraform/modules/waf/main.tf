# An AWS WAF web ACL: AWS managed rule groups (IP reputation, anonymous IPs, common rule set, known bad inputs,
# which covers Log4j) and a per-IP rate limit, with every request logged to an encrypted CloudWatch log group.
# The module uses only its `aws` provider: for CLOUDFRONT scope pass the us-east-1 provider as `aws`.
data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  own_key    = var.kms_key_arn == null
  log_group  = "aws-waf-logs-${var.name}"
  metric     = replace(var.name, "-", "")
}

# Only when the caller has no key in this Region (CLOUDFRONT scope: logs must live in us-east-1).
data "aws_iam_policy_document" "key" {
  count = local.own_key ? 1 : 0

  #checkov:skip=CKV_AWS_111:A key policy's resource "*" means this key only; it cannot name other resources.
  #checkov:skip=CKV_AWS_356:A key policy's resource "*" means this key only; it cannot name other resources.
  #checkov:skip=CKV_AWS_109:The account root must administer its own key, or the key becomes unmanageable.
  statement {
    sid       = "AccountAdministersTheKey"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  statement {
    sid       = "CloudWatchLogsEncryptsTheWafLogGroup"
    actions   = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["logs.us-east-1.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:${local.partition}:logs:us-east-1:${local.account_id}:log-group:${local.log_group}"]
    }
  }
}

resource "aws_kms_key" "logs" {
  count = local.own_key ? 1 : 0

  description             = "${var.name}: encryption of the WAF log group"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.key[0].json
  tags                    = var.tags
}

resource "aws_cloudwatch_log_group" "this" {
  name              = local.log_group
  retention_in_days = var.log_retention_days
  kms_key_id        = local.own_key ? aws_kms_key.logs[0].arn : var.kms_key_arn
  tags              = var.tags
}

resource "aws_wafv2_web_acl" "this" {
  name        = var.name
  description = "Managed rule groups and a per-IP rate limit for ${var.name}."
  scope       = var.scope
  tags        = var.tags

  default_action {
    allow {}
  }

  rule {
    name     = "AWSManagedRulesAmazonIpReputationList"
    priority = 10

    override_action {
      none {}
    }

    statement {
      managed_rule_group_statement {
        name        = "AWSManagedRulesAmazonIpReputationList"
        vendor_name = "AWS"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${local.metric}AWSManagedRulesAmazonIpReputationList"
      sampled_requests_enabled   = true
    }
  }

  rule {
    name     = "AWSManagedRulesAnonymousIpList"
    priority = 15

    override_action {
      none {}
    }

    statement {
      managed_rule_group_statement {
        name        = "AWSManagedRulesAnonymousIpList"
        vendor_name = "AWS"

        # Anonymisers (VPNs, Tor, proxies) are blocked; cloud-hosted clients (server-to-server callers) only counted.
        rule_action_override {
          name = "HostingProviderIPList"

          action_to_use {
            count {}
          }
        }
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${local.metric}AWSManagedRulesAnonymousIpList"
      sampled_requests_enabled   = true
    }
  }

  rule {
    name     = "RateLimitPerIp"
    priority = 20

    action {
      block {}
    }

    statement {
      rate_based_statement {
        limit                 = var.rate_limit_per_5min
        evaluation_window_sec = 300
        aggregate_key_type    = "IP"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${local.metric}RateLimitPerIp"
      sampled_requests_enabled   = true
    }
  }

  rule {
    name     = "AWSManagedRulesCommonRuleSet"
    priority = 30

    override_action {
      none {}
    }

    statement {
      managed_rule_group_statement {
        name        = "AWSManagedRulesCommonRuleSet"
        vendor_name = "AWS"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${local.metric}AWSManagedRulesCommonRuleSet"
      sampled_requests_enabled   = true
    }
  }

  rule {
    name     = "AWSManagedRulesKnownBadInputsRuleSet"
    priority = 40

    override_action {
      none {}
    }

    statement {
      managed_rule_group_statement {
        name        = "AWSManagedRulesKnownBadInputsRuleSet"
        vendor_name = "AWS"
      }
    }

    visibility_config {
      cloudwatch_metrics_enabled = true
      metric_name                = "${local.metric}AWSManagedRulesKnownBadInputsRuleSet"
      sampled_requests_enabled   = true
    }
  }

  visibility_config {
    cloudwatch_metrics_enabled = true
    metric_name                = local.metric
    sampled_requests_enabled   = true
  }

  lifecycle {
    precondition {
      condition     = var.scope == "REGIONAL" || length(var.associated_resource_arns) == 0
      error_message = "A CLOUDFRONT web ACL is attached by the distribution (its web_acl_id), not by association."
    }

    precondition {
      condition     = var.scope == "CLOUDFRONT" || !local.own_key
      error_message = "REGIONAL scope needs kms_key_arn: the root's key in this Region."
    }
  }
}

resource "aws_wafv2_web_acl_logging_configuration" "this" {
  resource_arn            = aws_wafv2_web_acl.this.arn
  log_destination_configs = [aws_cloudwatch_log_group.this.arn]

  redacted_fields {
    single_header {
      name = "authorization"
    }
  }

  redacted_fields {
    single_header {
      name = "cookie"
    }
  }
}

resource "aws_wafv2_web_acl_association" "this" {
  count = var.scope == "REGIONAL" ? length(var.associated_resource_arns) : 0

  resource_arn = var.associated_resource_arns[count.index]
  web_acl_arn  = aws_wafv2_web_acl.this.arn
}
