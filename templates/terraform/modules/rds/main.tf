# One RDS for PostgreSQL or MySQL instance: encrypted gp3 storage, TLS enforced by its parameter group, IAM database
# authentication, a master password RDS generates and keeps in Secrets Manager, Performance Insights, Enhanced
# Monitoring and exported logs. Its security group has no rule of its own: wiring.tf adds one per service that
# connects. With replicate_source_db set it is instead a cross-Region read replica of that instance (encrypted with
# this Region's key; promote it on failover). With snapshot_identifier it is created from a DB snapshot, such as the
# AWS Backup recovery point copied into this Region (backup and restore).

locals {
  # RDS identifiers: at most 63 lowercase letters, digits and single hyphens, not ending in a hyphen.
  clean_name = trim(replace(var.name, "/[^a-z0-9]+/", "-"), "-")
  name       = length(local.clean_name) <= 63 ? local.clean_name : "${trim(substr(local.clean_name, 0, 54), "-")}-${substr(sha1(local.clean_name), 0, 8)}"

  is_replica = var.replicate_source_db != null
  restored   = var.snapshot_identifier != null
  postgres   = var.engine == "postgres"
  port       = local.postgres ? 5432 : 3306

  # The Region's AWS Backup plan selects resources by this tag (it cannot back up a read replica).
  backup_tags = var.backup && !local.is_replica ? { "archgen:backup" = "true" } : {}

  version_parts    = split(".", var.engine_version)
  parameter_family = local.postgres ? "postgres${local.version_parts[0]}" : "mysql${join(".", slice(local.version_parts, 0, 2))}"

  log_exports = local.postgres ? ["postgresql", "upgrade"] : ["error", "slowquery"]

  # ARN fields of the instance: arn:<partition>:rds:<region>:<account>:db:<identifier>
  arn_parts = split(":", aws_db_instance.this.arn)
  partition = local.arn_parts[1]
  region    = local.arn_parts[3]
  account   = local.arn_parts[4]

  secret_arn = local.is_replica ? null : one(aws_db_instance.this.master_user_secret[*].secret_arn)
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

# TLS only, plus the logging the exported logs need: one parameter group per engine, written out so each setting is
# visible. All of these parameters are dynamic (no reboot).
resource "aws_db_parameter_group" "postgresql" {
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

resource "aws_db_parameter_group" "mysql" {
  count = local.postgres ? 0 : 1

  name        = local.name
  family      = local.parameter_family
  description = "${local.name}: TLS required, slow-query logging"
  tags        = var.tags

  parameter {
    name  = "require_secure_transport"
    value = "1"
  }

  parameter {
    name  = "slow_query_log"
    value = "1"
  }

  parameter {
    name  = "long_query_time"
    value = "1"
  }

  parameter {
    name  = "log_output"
    value = "FILE"
  }
}

resource "aws_cloudwatch_log_group" "this" {
  for_each = toset(local.log_exports)

  name              = "/aws/rds/instance/${local.name}/${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

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

data "aws_partition" "current" {}

resource "aws_db_instance" "this" {
  #checkov:skip=CKV_AWS_157:Multi-AZ is the planner's decision from the availability target (var.multi_az); a single-AZ instance is chosen only when the target allows it.
  identifier     = local.name
  engine         = local.is_replica ? null : var.engine
  engine_version = local.is_replica ? null : var.engine_version
  instance_class = var.instance_class
  port           = local.port

  replicate_source_db = var.replicate_source_db
  snapshot_identifier = var.snapshot_identifier
  db_name             = local.is_replica || local.restored ? null : var.database_name
  username            = local.is_replica || local.restored ? null : var.master_username

  manage_master_user_password   = local.is_replica ? null : true
  master_user_secret_kms_key_id = local.is_replica ? null : var.kms_key_arn

  storage_type          = "gp3"
  allocated_storage     = var.allocated_storage_gb
  max_allocated_storage = var.max_allocated_storage_gb
  storage_encrypted     = true
  kms_key_id            = var.kms_key_arn

  multi_az               = var.multi_az
  db_subnet_group_name   = aws_db_subnet_group.this.name
  vpc_security_group_ids = [aws_security_group.this.id]
  publicly_accessible    = false
  parameter_group_name   = one(concat(aws_db_parameter_group.postgresql[*].name, aws_db_parameter_group.mysql[*].name))
  ca_cert_identifier     = "rds-ca-rsa2048-g1"

  iam_database_authentication_enabled = true

  performance_insights_enabled          = true
  performance_insights_kms_key_id       = var.kms_key_arn
  performance_insights_retention_period = var.performance_insights_retention_days
  monitoring_interval                   = var.monitoring_interval_seconds
  monitoring_role_arn                   = aws_iam_role.monitoring.arn
  enabled_cloudwatch_logs_exports       = local.log_exports

  backup_retention_period    = var.backup_retention_days
  backup_window              = var.backup_window
  maintenance_window         = var.maintenance_window
  copy_tags_to_snapshot      = true
  delete_automated_backups   = false
  skip_final_snapshot        = false
  final_snapshot_identifier  = "${local.name}-final"
  deletion_protection        = var.deletion_protection
  auto_minor_version_upgrade = true
  apply_immediately          = false

  tags = merge(var.tags, local.backup_tags)

  depends_on = [aws_cloudwatch_log_group.this, aws_iam_role_policy_attachment.monitoring]

  lifecycle {
    precondition {
      condition     = !(local.is_replica && local.restored)
      error_message = "Set replicate_source_db (read replica) or snapshot_identifier (restore), not both."
    }

    precondition {
      condition     = var.max_allocated_storage_gb >= var.allocated_storage_gb
      error_message = "max_allocated_storage_gb must be at least allocated_storage_gb."
    }
  }
}

# What a service needs to use the database: IAM authentication as var.iam_database_user, and (on a primary) the
# master-user secret for migrations.
data "aws_iam_policy_document" "access" {
  statement {
    sid       = "ConnectWithIamAuthentication"
    actions   = ["rds-db:connect"]
    resources = ["arn:${local.partition}:rds-db:${local.region}:${local.account}:dbuser:${aws_db_instance.this.resource_id}/${var.iam_database_user}"]
  }

  dynamic "statement" {
    for_each = local.is_replica ? [] : [1]
    content {
      sid       = "ReadMasterUserSecret"
      actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
      resources = [local.secret_arn]
    }
  }

  dynamic "statement" {
    for_each = local.is_replica ? [] : [1]
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
