# Test root for modules/config-rules: AWS Config in the primary Region (global resources recorded here) with the
# managed rules archgen passes for a PCI DSS design and a small conformance pack, and the module turned off for an
# account AWS Control Tower already records.
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

module "config" {
  source = "../../../templates/terraform/modules/config-rules"

  name                          = "orders-api-prod-config"
  kms_key_arn                   = aws_kms_key.test.arn
  access_log_bucket_id          = aws_s3_bucket.logs.id
  retention_days                = 2557
  include_global_resource_types = true
  recording_frequency           = "CONTINUOUS"

  rules = [
    { name = "encrypted-volumes", source_identifier = "ENCRYPTED_VOLUMES" },
    { name = "rds-storage-encrypted", source_identifier = "RDS_STORAGE_ENCRYPTED" },
    { name = "s3-bucket-public-read-prohibited", source_identifier = "S3_BUCKET_PUBLIC_READ_PROHIBITED" },
    {
      name                        = "cloudtrail-enabled"
      source_identifier           = "CLOUD_TRAIL_ENABLED"
      maximum_execution_frequency = "TwentyFour_Hours"
    },
    {
      name              = "access-keys-rotated"
      source_identifier = "ACCESS_KEYS_ROTATED"
      description       = "PCI DSS 8.3.9: access keys are rotated within 90 days."
      input_parameters  = jsonencode({ maxAccessKeyAge = "90" })
    },
  ]

  conformance_pack = {
    name = "orders-api-prod-encryption"
    template_body = yamlencode({
      Parameters = {
        S3BucketSslRequestsOnlyParamRuleName = { Type = "String", Default = "s3-bucket-ssl-requests-only" }
      }
      Resources = {
        S3BucketSslRequestsOnly = {
          Type = "AWS::Config::ConfigRule"
          Properties = {
            ConfigRuleName = { Ref = "S3BucketSslRequestsOnlyParamRuleName" }
            Source         = { Owner = "AWS", SourceIdentifier = "S3_BUCKET_SSL_REQUESTS_ONLY" }
          }
        }
      }
    })
    input_parameters = { S3BucketSslRequestsOnlyParamRuleName = "orders-api-prod-s3-bucket-ssl-requests-only" }
  }

  tags = {
    "archgen:component" = "config-rules"
  }
}

module "config_control_tower" {
  source = "../../../templates/terraform/modules/config-rules"

  enabled              = false
  name                 = "catalogue-prod-config"
  kms_key_arn          = aws_kms_key.test.arn
  access_log_bucket_id = aws_s3_bucket.logs.id
  rules                = [{ name = "encrypted-volumes", source_identifier = "ENCRYPTED_VOLUMES" }]
}

output "recorder_name" {
  description = "Recorder of the Region."
  value       = module.config.recorder_name
}

output "rule_arns" {
  description = "The rules archgen asked for."
  value       = module.config.rule_arns
}

output "conformance_pack_arn" {
  description = "The conformance pack."
  value       = module.config.conformance_pack_arn
}

output "control_tower_rule_arns" {
  description = "Empty: the organisation records this account."
  value       = module.config_control_tower.rule_arns
}
