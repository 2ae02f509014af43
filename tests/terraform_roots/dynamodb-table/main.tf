# Test root for modules/dynamodb-table: an on-demand table as the planner sizes it, the same as a global table with a
# replica in the recovery Region, and a provisioned table with autoscaling.
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

module "data_idempotency" {
  source = "../../../templates/terraform/modules/dynamodb-table"

  name                   = "payments-platform-prod-data-idempotency"
  billing_mode           = "PAY_PER_REQUEST"
  point_in_time_recovery = true
  kms_key_arn            = aws_kms_key.test.arn
}

module "data_products" {
  source = "../../../templates/terraform/modules/dynamodb-table"

  name                   = "global-catalog-prod-data-products"
  billing_mode           = "PAY_PER_REQUEST"
  point_in_time_recovery = true
  kms_key_arn            = aws_kms_key.test.arn
  replica_regions        = ["eu-west-3"]
  replica_kms_key_arns = {
    "eu-west-3" = "arn:aws:kms:eu-west-3:123456789012:key/0d6c4f1e-8a2b-4c3d-9e5f-1a2b3c4d5e6f"
  }
}

module "data_counters" {
  source = "../../../templates/terraform/modules/dynamodb-table"

  name                   = "global-catalog-prod-data-counters"
  billing_mode           = "PROVISIONED"
  read_capacity          = 5
  write_capacity         = 5
  max_read_capacity      = 50
  max_write_capacity     = 50
  point_in_time_recovery = true
  kms_key_arn            = aws_kms_key.test.arn
  ttl_attribute          = null
}

module "data_notes_restored" {
  source = "../../../templates/terraform/modules/dynamodb-table"

  name                     = "notes-api-prod-data-notes-recovery"
  billing_mode             = "PAY_PER_REQUEST"
  point_in_time_recovery   = true
  kms_key_arn              = aws_kms_key.test.arn
  restore_source_table_arn = "arn:aws:dynamodb:us-east-1:123456789012:table/notes-api-prod-data-notes"
  restore_date_time        = "2026-11-20T09:30:00Z"
}

module "data_products_replica" {
  source = "../../../templates/terraform/modules/dynamodb-replica"

  name        = "global-catalog-prod-data-products"
  kms_key_arn = aws_kms_key.test.arn
}

output "products_replica_access_policy_json" {
  description = "Policy a recovery Region's service would be given to use the replica."
  value       = module.data_products_replica.access_policy_json
}

output "idempotency_access_policy_json" {
  description = "Policy a service would be given to use the table."
  value       = module.data_idempotency.access_policy_json
}

output "products_replica_arns" {
  description = "Replica of the global table in the recovery Region."
  value       = module.data_products.replica_arns
}

output "counters_name" {
  description = "Name of the provisioned table."
  value       = module.data_counters.name
}
