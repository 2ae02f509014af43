# Test root for modules/audit-trail: the account's trail as the security baseline sets it up (multi-Region, log file
# validation, CloudWatch Logs copy, S3 and Lambda data events, 7-year retention archived after 90 days), and the same
# module turned off for an account whose organisation trail (AWS Control Tower) already records it.
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

module "audit_trail" {
  source = "../../../templates/terraform/modules/audit-trail"

  name                           = "orders-api-prod-audit"
  kms_key_arn                    = aws_kms_key.test.arn
  access_log_bucket_id           = aws_s3_bucket.logs.id
  retention_days                 = 2557
  archive_after_days             = 90
  cloudwatch_logs_enabled        = true
  cloudwatch_logs_retention_days = 365
  s3_data_events                 = true
  lambda_data_events             = true

  tags = {
    "archgen:component" = "audit-trail"
  }
}

module "audit_trail_control_tower" {
  source = "../../../templates/terraform/modules/audit-trail"

  enabled              = false
  name                 = "a-rather-long-catalogue-service-name-prod-audit"
  kms_key_arn          = aws_kms_key.test.arn
  access_log_bucket_id = aws_s3_bucket.logs.id
}

output "trail_arn" {
  description = "ARN of the trail."
  value       = module.audit_trail.trail_arn
}

output "trail_bucket_arn" {
  description = "Bucket the trail writes to."
  value       = module.audit_trail.bucket_arn
}

output "trail_log_group_name" {
  description = "Log group a root would put metric filters on."
  value       = module.audit_trail.log_group_name
}

output "control_tower_trail_arn" {
  description = "Null: the organisation's trail records this account."
  value       = module.audit_trail_control_tower.trail_arn
}
