# Test root for modules/rds: PostgreSQL and MySQL instances as the planner sizes them, and a cross-Region replica.
terraform {
  required_version = ">= 1.6"

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

module "data_orders" {
  source = "../../../templates/terraform/modules/rds"

  name                     = "orders-api-prod-data-orders"
  engine                   = "postgres"
  engine_version           = "16.4"
  instance_class           = "db.r7g.xlarge"
  allocated_storage_gb     = 240
  max_allocated_storage_gb = 480
  multi_az                 = true
  backup_retention_days    = 14
  kms_key_arn              = aws_kms_key.test.arn
  vpc_id                   = aws_vpc.test.id
  subnet_ids               = aws_subnet.private[*].id
}

module "data_staging" {
  source = "../../../templates/terraform/modules/rds"

  name                     = "nightly-reports-prod-data-staging"
  engine                   = "mysql"
  engine_version           = "8.0.39"
  instance_class           = "db.m7g.large"
  allocated_storage_gb     = 60
  max_allocated_storage_gb = 120
  multi_az                 = true
  backup_retention_days    = 14
  kms_key_arn              = aws_kms_key.test.arn
  vpc_id                   = aws_vpc.test.id
  subnet_ids               = aws_subnet.private[*].id
}

# The recovery Region's copy: a cross-Region read replica (the ARN stands in for the primary's, applied elsewhere).
# Its long name exercises the module's shortening to an RDS identifier.
module "data_orders_recovery" {
  source = "../../../templates/terraform/modules/rds"

  name                     = "a-rather-long-service-name-prod-data-orders_history-recovery"
  engine                   = "postgres"
  engine_version           = "16.4"
  instance_class           = "db.r7g.xlarge"
  allocated_storage_gb     = 240
  max_allocated_storage_gb = 480
  multi_az                 = true
  backup_retention_days    = 14
  kms_key_arn              = aws_kms_key.test.arn
  vpc_id                   = aws_vpc.test.id
  subnet_ids               = aws_subnet.private[*].id
  replicate_source_db      = "arn:aws:rds:eu-west-3:123456789012:db:orders-api-prod-data-orders"
}

module "data_staging_restored" {
  source = "../../../templates/terraform/modules/rds"

  name                     = "nightly-reports-prod-data-staging-recovery"
  engine                   = "mysql"
  engine_version           = "8.0.39"
  instance_class           = "db.m7g.large"
  allocated_storage_gb     = 100
  max_allocated_storage_gb = 200
  multi_az                 = true
  backup_retention_days    = 7
  kms_key_arn              = aws_kms_key.test.arn
  vpc_id                   = aws_vpc.test.id
  subnet_ids               = aws_subnet.private[*].id
  snapshot_identifier      = "arn:aws:rds:eu-west-1:123456789012:snapshot:awsbackup:job-0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d"
}

output "orders_endpoint" {
  description = "Host name of the PostgreSQL instance."
  value       = module.data_orders.endpoint
}

output "orders_access_policy_json" {
  description = "Policy a service would be given to use the PostgreSQL instance."
  value       = module.data_orders.access_policy_json
}

output "recovery_identifier" {
  description = "Identifier of the read replica (shortened)."
  value       = module.data_orders_recovery.identifier
}

output "staging_secret_arn" {
  description = "Master secret of the MySQL instance."
  value       = module.data_staging.secret_arn
}
