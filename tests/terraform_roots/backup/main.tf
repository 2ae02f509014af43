# Standalone test root for the backup module: the primary Region's vault and plan (copying to the recovery vault)
# and the recovery Region's copy-only vault, with stand-ins for each Region's shared KMS key.
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

module "backups_recovery" {
  source         = "../../../templates/terraform/modules/backup"
  providers      = { aws = aws.recovery }
  name           = "orders-api-prod-backups-recovery"
  kms_key_arn    = aws_kms_key.recovery.arn
  schedule       = null
  retention_days = 35
  copy_vault_arn = null
}

module "backups" {
  source         = "../../../templates/terraform/modules/backup"
  name           = "orders-api-prod-backups"
  kms_key_arn    = aws_kms_key.primary.arn
  schedule       = "cron(0 * * * ? *)"
  retention_days = 35
  copy_vault_arn = module.backups_recovery.vault_arn

  vault_lock = {
    min_retention_days = 7
    max_retention_days = 400
  }
}

output "backup_copy_vault_arn" {
  value = module.backups_recovery.vault_arn
}

output "plan_id" {
  value = module.backups.plan_id
}
