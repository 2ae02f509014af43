# Test root for modules/aurora: a standalone Aurora PostgreSQL cluster as the planner sizes it, the primary of a new
# Aurora MySQL global database, and a secondary joining an existing global database.
terraform {
  required_version = ">= 1.11"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 7.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

module "data_ledger" {
  source = "../../../templates/terraform/modules/aurora"

  name                  = "payments-platform-prod-data-ledger"
  engine                = "aurora-postgresql"
  engine_version        = "16.4"
  instance_class        = "db.r7g.2xlarge"
  instance_count        = 2
  backup_retention_days = 14
  kms_key_arn           = aws_kms_key.test.arn
  vpc_id                = aws_vpc.test.id
  subnet_ids            = aws_subnet.private[*].id
}

module "data_accounts" {
  source = "../../../templates/terraform/modules/aurora"

  name                  = "payments-platform-prod-data-accounts"
  engine                = "aurora-mysql"
  engine_version        = "8.0.mysql_aurora.3.07.1"
  instance_class        = "db.r7g.large"
  instance_count        = 2
  backup_retention_days = 14
  kms_key_arn           = aws_kms_key.test.arn
  vpc_id                = aws_vpc.test.id
  subnet_ids            = aws_subnet.private[*].id
  create_global_cluster = true
}

module "data_ledger_recovery" {
  source = "../../../templates/terraform/modules/aurora"

  name                      = "payments-platform-prod-data-ledger-recovery"
  engine                    = "aurora-postgresql"
  engine_version            = "16.4"
  instance_class            = "db.r7g.2xlarge"
  instance_count            = 1
  backup_retention_days     = 14
  kms_key_arn               = aws_kms_key.test.arn
  vpc_id                    = aws_vpc.test.id
  subnet_ids                = aws_subnet.private[*].id
  global_cluster_identifier = "payments-platform-prod-data-ledger"

  enable_global_write_forwarding = true
}

module "data_ledger_restored" {
  source = "../../../templates/terraform/modules/aurora"

  name                  = "payments-platform-prod-data-ledger-restored"
  engine                = "aurora-postgresql"
  engine_version        = "16.4"
  instance_class        = "db.r7g.large"
  instance_count        = 1
  backup_retention_days = 14
  kms_key_arn           = aws_kms_key.test.arn
  vpc_id                = aws_vpc.test.id
  subnet_ids            = aws_subnet.private[*].id
  snapshot_identifier   = "arn:aws:rds:eu-west-1:123456789012:cluster-snapshot:awsbackup:job-0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"
}

output "ledger_endpoint" {
  description = "Writer endpoint of the PostgreSQL cluster."
  value       = module.data_ledger.endpoint
}

output "ledger_access_policy_json" {
  description = "Policy a service would be given to use the PostgreSQL cluster."
  value       = module.data_ledger.access_policy_json
}

output "accounts_global_cluster_identifier" {
  description = "Global database a recovery Region's cluster would join."
  value       = module.data_accounts.global_cluster_identifier
}

output "accounts_secret_arn" {
  description = "Secret holding the generated master password of the global primary."
  value       = module.data_accounts.secret_arn
}

output "ledger_recovery_reader_endpoint" {
  description = "Reader endpoint of the secondary cluster."
  value       = module.data_ledger_recovery.reader_endpoint
}
