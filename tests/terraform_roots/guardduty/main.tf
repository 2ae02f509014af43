# Test root for modules/guardduty: the detector of a design that runs EKS and ECS on Fargate (every protection plan,
# Runtime Monitoring with managed agents), a serverless design's detector in its recovery Region (no container
# plans, hourly updates), and the module turned off where the organisation's delegated administrator runs GuardDuty.
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

provider "aws" {
  alias  = "recovery"
  region = "eu-west-3"
}

module "guardduty" {
  source = "../../../templates/terraform/modules/guardduty"

  finding_publishing_frequency   = "FIFTEEN_MINUTES"
  eks                            = true
  ecs_fargate_runtime_monitoring = true

  tags = {
    "archgen:component" = "guardduty"
  }
}

module "guardduty_recovery" {
  source    = "../../../templates/terraform/modules/guardduty"
  providers = { aws = aws.recovery }

  finding_publishing_frequency = "ONE_HOUR"
  malware_protection           = false
}

module "guardduty_delegated" {
  source = "../../../templates/terraform/modules/guardduty"

  enabled = false
}

output "detector_id" {
  description = "Detector a root would attach a publishing destination or filters to."
  value       = module.guardduty.detector_id
}

output "features" {
  description = "Protection plans and their status."
  value       = module.guardduty.features
}

output "recovery_detector_arn" {
  description = "Detector of the recovery Region."
  value       = module.guardduty_recovery.detector_arn
}

output "delegated_detector_id" {
  description = "Null: the organisation runs GuardDuty in this account."
  value       = module.guardduty_delegated.detector_id
}
