# One Amazon DocumentDB cluster with instance_count instances: encrypted storage, TLS required, audit and profiler
# logs exported to KMS-encrypted log groups, Performance Insights, a master password DocumentDB generates and keeps in
# Secrets Manager, deletion protection. Its security group has no rule of its own: wiring.tf adds one per service
# that connects.

locals {
  # Cluster identifiers: at most 63 characters; instances add "-<n>", so the base stays within 60.
  clean_name = trim(replace(var.name, "/[^a-z0-9]+/", "-"), "-")
  name       = length(local.clean_name) <= 60 ? local.clean_name : "${trim(substr(local.clean_name, 0, 51), "-")}-${substr(sha1(local.clean_name), 0, 8)}"

  port             = 27017
  parameter_family = "docdb${join(".", slice(split(".", var.engine_version), 0, 2))}"
  log_exports      = ["audit", "profiler"]
  secret_arn       = one(aws_docdb_cluster.this.master_user_secret[*].secret_arn)

  # The Region's AWS Backup plan selects resources by this tag.
  backup_tags = var.backup ? { "archgen:backup" = "true" } : {}
}

resource "aws_security_group" "this" {
  name        = "${local.name}-docdb"
  description = "${local.name} DocumentDB: ingress only from the services wired to it"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${local.name}-docdb" })
}

resource "aws_docdb_subnet_group" "this" {
  name        = local.name
  description = "${local.name}: private subnets"
  subnet_ids  = var.subnet_ids
  tags        = var.tags
}

resource "aws_docdb_cluster_parameter_group" "this" {
  name        = local.name
  family      = local.parameter_family
  description = "${local.name}: TLS required, audit and profiler logs"
  tags        = var.tags

  parameter {
    name         = "tls"
    value        = "enabled"
    apply_method = "pending-reboot"
  }

  parameter {
    name  = "audit_logs"
    value = "enabled"
  }

  parameter {
    name  = "profiler"
    value = "enabled"
  }

  parameter {
    name  = "profiler_threshold_ms"
    value = tostring(var.profiler_threshold_ms)
  }
}

resource "aws_cloudwatch_log_group" "this" {
  for_each = toset(local.log_exports)

  name              = "/aws/docdb/${local.name}/${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

resource "aws_docdb_cluster" "this" {
  cluster_identifier = local.name
  engine             = "docdb"
  engine_version     = var.engine_version
  port               = local.port

  master_username             = var.master_username
  manage_master_user_password = true

  storage_encrypted = true
  kms_key_id        = var.kms_key_arn

  db_subnet_group_name            = aws_docdb_subnet_group.this.name
  vpc_security_group_ids          = [aws_security_group.this.id]
  db_cluster_parameter_group_name = aws_docdb_cluster_parameter_group.this.name
  enabled_cloudwatch_logs_exports = local.log_exports

  backup_retention_period      = var.backup_retention_days
  preferred_backup_window      = var.backup_window
  preferred_maintenance_window = var.maintenance_window
  skip_final_snapshot          = false
  final_snapshot_identifier    = "${local.name}-final"
  deletion_protection          = var.deletion_protection
  apply_immediately            = false

  tags = merge(var.tags, local.backup_tags)

  depends_on = [aws_cloudwatch_log_group.this]
}

resource "aws_docdb_cluster_instance" "this" {
  count = var.instance_count

  identifier         = "${local.name}-${count.index + 1}"
  cluster_identifier = aws_docdb_cluster.this.id
  instance_class     = var.instance_class
  ca_cert_identifier = "rds-ca-rsa2048-g1"
  promotion_tier     = count.index

  enable_performance_insights     = true
  performance_insights_kms_key_id = var.kms_key_arn

  auto_minor_version_upgrade = true
  copy_tags_to_snapshot      = true
  apply_immediately          = false

  tags = var.tags
}

# What a service needs: the master-user secret (DocumentDB users authenticate with passwords; the secret is
# encrypted with the Secrets Manager managed key, which principals of the account use through Secrets Manager).
data "aws_iam_policy_document" "access" {
  statement {
    sid       = "ReadMasterUserSecret"
    actions   = ["secretsmanager:GetSecretValue", "secretsmanager:DescribeSecret"]
    resources = [local.secret_arn]
  }
}
