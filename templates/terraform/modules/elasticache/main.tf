# One ElastiCache for Valkey or Redis OSS replication group (cluster mode disabled): a primary plus var.replicas
# replicas, with automatic failover and Multi-AZ when there is a replica. Encrypted at rest with the Region's KMS key
# and in transit (TLS required). No shared AUTH token: access control is RBAC with IAM authentication, so services
# connect as the application user with a short-lived IAM token (elasticache:Connect) and no password exists to leak
# or rotate. Slow and engine logs go to KMS-encrypted log groups. The security group has no rule of its own:
# wiring.tf adds one per service that connects.

locals {
  # Replication group ids: at most 40 lowercase letters, digits and single hyphens, not ending in a hyphen.
  clean_name = trim(replace(var.name, "/[^a-z0-9]+/", "-"), "-")
  name       = length(local.clean_name) <= 40 ? local.clean_name : "${trim(substr(local.clean_name, 0, 31), "-")}-${substr(sha1(local.clean_name), 0, 8)}"
  # User ids add a suffix ("-app", "-default"), so their base is shorter.
  user_base = length(local.clean_name) <= 32 ? local.clean_name : "${trim(substr(local.clean_name, 0, 23), "-")}-${substr(sha1(local.clean_name), 0, 8)}"

  engine_version = coalesce(var.engine_version, var.engine == "valkey" ? "8.0" : "7.1")
  port           = 6379
  failover       = var.replicas > 0

  # IAM-authenticated users must have the same user id and user name.
  app_user = "${local.user_base}-app"

  # A Redis OSS user group must contain a user named "default"; here it is switched off. Valkey groups need none.
  needs_default_user = var.engine == "redis"

  log_types = {
    slow-log   = "slow-log"
    engine-log = "engine-log"
  }
}

resource "aws_security_group" "this" {
  name        = "${local.name}-cache"
  description = "${local.name} cache: ingress only from the services wired to it"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${local.name}-cache" })
}

resource "aws_elasticache_subnet_group" "this" {
  name        = local.name
  description = "${local.name}: private subnets"
  subnet_ids  = var.subnet_ids
  tags        = var.tags
}

resource "aws_cloudwatch_log_group" "this" {
  for_each = local.log_types

  name              = "/aws/elasticache/${local.name}/${each.value}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

resource "aws_elasticache_user" "app" {
  user_id       = local.app_user
  user_name     = local.app_user
  engine        = var.engine
  access_string = var.access_string
  tags          = var.tags

  authentication_mode {
    type = "iam"
  }
}

resource "aws_elasticache_user" "default" {
  count = local.needs_default_user ? 1 : 0

  user_id       = "${local.user_base}-default"
  user_name     = "default"
  engine        = var.engine
  access_string = "off -@all"
  tags          = var.tags

  authentication_mode {
    type = "no-password-required"
  }
}

resource "aws_elasticache_user_group" "this" {
  user_group_id = local.name
  engine        = var.engine
  user_ids      = concat([aws_elasticache_user.app.user_id], aws_elasticache_user.default[*].user_id)
  tags          = var.tags
}

resource "aws_elasticache_replication_group" "this" {
  #checkov:skip=CKV2_AWS_50:Automatic failover and Multi-AZ follow var.replicas, the planner's decision from the availability target; a single node is chosen only when the target allows it.
  replication_group_id = local.name
  description          = "${local.name}: ${var.engine} cache"
  engine               = var.engine
  engine_version       = local.engine_version
  node_type            = var.node_type
  port                 = local.port

  num_cache_clusters         = 1 + var.replicas
  automatic_failover_enabled = local.failover
  multi_az_enabled           = local.failover

  subnet_group_name  = aws_elasticache_subnet_group.this.name
  security_group_ids = [aws_security_group.this.id]

  at_rest_encryption_enabled = true
  kms_key_id                 = var.kms_key_arn
  transit_encryption_enabled = true
  transit_encryption_mode    = "required"
  user_group_ids             = [aws_elasticache_user_group.this.user_group_id]

  snapshot_retention_limit   = var.snapshot_retention_days
  snapshot_window            = var.snapshot_window
  maintenance_window         = var.maintenance_window
  final_snapshot_identifier  = "${local.name}-final"
  auto_minor_version_upgrade = true
  apply_immediately          = false

  dynamic "log_delivery_configuration" {
    for_each = local.log_types
    content {
      destination      = aws_cloudwatch_log_group.this[log_delivery_configuration.key].name
      destination_type = "cloudwatch-logs"
      log_format       = "json"
      log_type         = log_delivery_configuration.value
    }
  }

  tags = var.tags
}

# What a service needs: an IAM authentication token for the application user on this replication group.
data "aws_iam_policy_document" "access" {
  statement {
    sid     = "ConnectAsApplicationUser"
    actions = ["elasticache:Connect"]
    resources = [
      aws_elasticache_replication_group.this.arn,
      aws_elasticache_user.app.arn,
    ]
  }
}
