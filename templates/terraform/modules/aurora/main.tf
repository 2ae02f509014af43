# One Aurora PostgreSQL or MySQL cluster with instance_count instances: encrypted storage, TLS enforced by the
# cluster parameter group, IAM database authentication, Performance Insights, Enhanced Monitoring and exported logs.
# Its security group has no rule of its own: wiring.tf adds one per service that connects.
#
# Global database (the DR work): create_global_cluster makes this cluster the primary of a new global database;
# global_cluster_identifier makes it a read-only secondary of an existing one. RDS cannot manage the master
# password of a cluster in a global database, so the primary then gets a generated password, kept in a
# KMS-encrypted Secrets Manager secret. A secondary has no master credentials of its own (they replicate) and is
# encrypted with its own Region's key; enable_global_write_forwarding lets it accept writes, which it forwards to
# the primary (one writer at a time).
#
# Restore (backup and restore): snapshot_identifier creates the cluster from a DB cluster snapshot, such as the
# AWS Backup recovery point copied into this Region; its data and master user come from the snapshot.

locals {
  # Cluster identifiers: at most 63 characters; instances add "-<n>", so the base stays within 60.
  clean_name = trim(replace(var.name, "/[^a-z0-9]+/", "-"), "-")
  name       = length(local.clean_name) <= 60 ? local.clean_name : "${trim(substr(local.clean_name, 0, 51), "-")}-${substr(sha1(local.clean_name), 0, 8)}"

  secondary        = var.global_cluster_identifier != null
  global_primary   = var.create_global_cluster
  restored         = var.snapshot_identifier != null
  managed_password = !local.secondary && !local.global_primary

  # The Region's AWS Backup plan selects resources by this tag.
  backup_tags = var.backup ? { "archgen:backup" = "true" } : {}

  postgres = var.engine == "aurora-postgresql"
  port     = local.postgres ? 5432 : 3306

  version_parts    = split(".", var.engine_version)
  parameter_family = local.postgres ? "aurora-postgresql${local.version_parts[0]}" : "aurora-mysql${join(".", slice(local.version_parts, 0, 2))}"

  log_exports = local.postgres ? ["postgresql"] : ["audit", "error", "slowquery"]

  # ARN fields of the cluster: arn:<partition>:rds:<region>:<account>:cluster:<identifier>
  arn_parts = split(":", aws_rds_cluster.this.arn)
  partition = local.arn_parts[1]
  region    = local.arn_parts[3]
  account   = local.arn_parts[4]

  secret_arn = (
    local.managed_password ? one(aws_rds_cluster.this.master_user_secret[*].secret_arn) :
    local.global_primary ? one(aws_secretsmanager_secret.master[*].arn) : null
  )
}

resource "aws_security_group" "this" {
  name        = "${local.name}-db"
  description = "${local.name} database: ingress only from the services wired to it"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${local.name}-db" })
}

resource "aws_db_subnet_group" "this" {
  name        = local.name
  description = "${local.name}: private subnets"
  subnet_ids  = var.subnet_ids
  tags        = var.tags
}

# TLS only, plus the logging the exported logs need: one parameter group per engine, written out so each
# setting is visible.
resource "aws_rds_cluster_parameter_group" "postgresql" {
  count = local.postgres ? 1 : 0

  name        = local.name
  family      = local.parameter_family
  description = "${local.name}: TLS required, DDL and slow-statement logging"
  tags        = var.tags

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  parameter {
    name  = "log_statement"
    value = "ddl"
  }

  parameter {
    name  = "log_min_duration_statement"
    value = "1000"
  }

  parameter {
    name  = "log_connections"
    value = "1"
  }

  parameter {
    name  = "log_disconnections"
    value = "1"
  }
}

resource "aws_rds_cluster_parameter_group" "mysql" {
  count = local.postgres ? 0 : 1

  name        = local.name
  family      = local.parameter_family
  description = "${local.name}: TLS required, audit and slow-query logging"
  tags        = var.tags

  parameter {
    name  = "require_secure_transport"
    value = "1"
  }

  parameter {
    name  = "server_audit_logging"
    value = "1"
  }

  parameter {
    name  = "server_audit_events"
    value = "CONNECT,QUERY_DCL,QUERY_DDL"
  }

  parameter {
    name  = "slow_query_log"
    value = "1"
  }

  parameter {
    name  = "long_query_time"
    value = "1"
  }
}

resource "aws_cloudwatch_log_group" "this" {
  for_each = toset(local.log_exports)

  name              = "/aws/rds/cluster/${local.name}/${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

data "aws_partition" "current" {}

data "aws_iam_policy_document" "monitoring_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["monitoring.rds.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "monitoring" {
  name               = "${substr(local.name, 0, 47)}-rds-monitoring"
  description        = "Enhanced Monitoring of ${local.name}"
  assume_role_policy = data.aws_iam_policy_document.monitoring_assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "monitoring" {
  role       = aws_iam_role.monitoring.name
  policy_arn = "arn:${data.aws_partition.current.partition}:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
}

resource "aws_rds_global_cluster" "this" {
  count = local.global_primary ? 1 : 0

  global_cluster_identifier = local.name
  engine                    = var.engine
  engine_version            = var.engine_version
  storage_encrypted         = true
  deletion_protection       = var.deletion_protection
}

# The master password of a global primary (RDS cannot manage it for a global database): generated once and kept in
# Secrets Manager. It also sits in the Terraform state, which is why the state bucket is encrypted and restricted.
resource "random_password" "master" {
  count = local.global_primary ? 1 : 0

  length  = 32
  special = false
}

resource "aws_secretsmanager_secret" "master" {
  #checkov:skip=CKV2_AWS_57:RDS cannot rotate the master password of a global database; services authenticate with IAM, and the password is for break-glass administration.
  count = local.global_primary ? 1 : 0

  name        = "${local.name}-master"
  description = "Master user of the ${local.name} Aurora global database"
  kms_key_id  = var.kms_key_arn
  tags        = var.tags
}

resource "aws_secretsmanager_secret_version" "master" {
  count = local.global_primary ? 1 : 0

  secret_id = aws_secretsmanager_secret.master[0].id
  secret_string = jsonencode({
    engine   = var.engine
    username = var.master_username
    password = random_password.master[0].result
  })
}

resource "aws_rds_cluster" "this" {
  #checkov:skip=CKV2_AWS_8:The AWS Backup plan is the design's backups component (backup module); it selects this cluster by its archgen:backup tag.
  #checkov:skip=CKV_AWS_326:Backtrack is not available to clusters in an Aurora global database (the DR strategy); point-in-time restore covers mistakes.
  cluster_identifier        = local.name
  engine                    = var.engine
  engine_mode               = "provisioned"
  engine_version            = var.engine_version
  global_cluster_identifier = local.secondary ? var.global_cluster_identifier : one(aws_rds_global_cluster.this[*].id)
  port                      = local.port

  database_name       = local.secondary || local.restored ? null : var.database_name
  master_username     = local.secondary || local.restored ? null : var.master_username
  snapshot_identifier = var.snapshot_identifier

  # Writes sent to a secondary are forwarded to the primary's writer: still a single writer (see the variable).
  enable_global_write_forwarding = local.secondary ? var.enable_global_write_forwarding : null

  manage_master_user_password   = local.managed_password ? true : null
  master_user_secret_kms_key_id = local.managed_password ? var.kms_key_arn : null
  master_password               = local.global_primary ? random_password.master[0].result : null

  storage_encrypted = true
  kms_key_id        = var.kms_key_arn

  db_subnet_group_name            = aws_db_subnet_group.this.name
  vpc_security_group_ids          = [aws_security_group.this.id]
  db_cluster_parameter_group_name = one(concat(aws_rds_cluster_parameter_group.postgresql[*].name, aws_rds_cluster_parameter_group.mysql[*].name))

  iam_database_authentication_enabled = true
  enabled_cloudwatch_logs_exports     = local.log_exports

  backup_retention_period      = var.backup_retention_days
  preferred_backup_window      = var.backup_window
  preferred_maintenance_window = var.maintenance_window
  copy_tags_to_snapshot        = true
  skip_final_snapshot          = false
  final_snapshot_identifier    = "${local.name}-final"
  deletion_protection          = var.deletion_protection
  apply_immediately            = false

  tags = merge(var.tags, local.backup_tags)

  depends_on = [aws_cloudwatch_log_group.this]

  lifecycle {
    # A global secondary gets its replication source from the global database.
    ignore_changes = [replication_source_identifier]

    precondition {
      condition     = !(var.create_global_cluster && var.global_cluster_identifier != null)
      error_message = "Set create_global_cluster (primary) or global_cluster_identifier (secondary), not both."
    }

    precondition {
      condition     = var.snapshot_identifier == null || (!var.create_global_cluster && var.global_cluster_identifier == null)
      error_message = "A cluster restored from snapshot_identifier is standalone: it cannot also join or create a global database."
    }

    precondition {
      condition     = !var.enable_global_write_forwarding || var.global_cluster_identifier != null
      error_message = "enable_global_write_forwarding applies to a global secondary (global_cluster_identifier) only."
    }
  }
}

resource "aws_rds_cluster_instance" "this" {
  count = var.instance_count

  identifier           = "${local.name}-${count.index + 1}"
  cluster_identifier   = aws_rds_cluster.this.id
  engine               = aws_rds_cluster.this.engine
  engine_version       = aws_rds_cluster.this.engine_version
  instance_class       = var.instance_class
  db_subnet_group_name = aws_db_subnet_group.this.name
  publicly_accessible  = false
  ca_cert_identifier   = "rds-ca-rsa2048-g1"
  promotion_tier       = count.index

  performance_insights_enabled          = true
  performance_insights_kms_key_id       = var.kms_key_arn
  performance_insights_retention_period = var.performance_insights_retention_days
  monitoring_interval                   = var.monitoring_interval_seconds
  monitoring_role_arn                   = aws_iam_role.monitoring.arn

  auto_minor_version_upgrade = true
  copy_tags_to_snapshot      = true
  apply_immediately          = false

  tags = var.tags

  depends_on = [aws_iam_role_policy_attachment.monitoring]
}

# What a service needs to use the database: IAM authentication as var.iam_database_user, and (where the secret lives
# in this Region) the master-user secret for migrations.
data "aws_iam_policy_document" "access" {
  statement {
    sid       = "ConnectWithIamAuthentication"
    actions   = ["rds-db:connect"]
    resources = ["arn:${local.partition}:rds-db:${local.region}:${local.account}:dbuser:${aws_rds_cluster.this.cluster_resource_id}/${var.iam_database_user}"]
  }

  dynamic "statement" {
    for_each = local.secondary ? [] : [1]
    content {
      sid       = "ReadMasterUserSecret"
      actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
      resources = [local.secret_arn]
    }
  }

  dynamic "statement" {
    for_each = local.secondary ? [] : [1]
    content {
      sid       = "DecryptMasterUserSecret"
      actions   = ["kms:Decrypt"]
      resources = [var.kms_key_arn]

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["secretsmanager.${local.region}.amazonaws.com"]
      }
    }
  }
}
