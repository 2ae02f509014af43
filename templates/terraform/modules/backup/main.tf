# An AWS Backup vault encrypted with the Region's key and, when a schedule is given, a plan that backs up every
# resource tagged archgen:backup = "true": continuous backup (point-in-time restore) where supported, scheduled
# snapshots elsewhere, each recovery point copied to the recovery Region's vault when one is given.
data "aws_partition" "current" {}

locals {
  partition   = data.aws_partition.current.partition
  create_plan = var.schedule != null
  managed_policies = {
    backup      = "arn:${local.partition}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup"
    restores    = "arn:${local.partition}:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores"
    s3_backup   = "arn:${local.partition}:iam::aws:policy/AWSBackupServiceRolePolicyForS3Backup"
    s3_restores = "arn:${local.partition}:iam::aws:policy/AWSBackupServiceRolePolicyForS3Restore"
  }
}

resource "aws_backup_vault" "this" {
  name          = var.name
  kms_key_arn   = var.kms_key_arn
  force_destroy = false
  tags          = var.tags
}

resource "aws_backup_vault_lock_configuration" "this" {
  count = var.vault_lock == null ? 0 : 1

  backup_vault_name   = aws_backup_vault.this.name
  min_retention_days  = var.vault_lock.min_retention_days
  max_retention_days  = var.vault_lock.max_retention_days
  changeable_for_days = var.vault_lock.changeable_for_days
}

data "aws_iam_policy_document" "vault" {
  statement {
    sid       = "DenyManualDeletionOfRecoveryPoints"
    effect    = "Deny"
    actions   = ["backup:DeleteRecoveryPoint", "backup:UpdateRecoveryPointLifecycle"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }
  }
}

resource "aws_backup_vault_policy" "this" {
  count = var.deny_recovery_point_deletion ? 1 : 0

  backup_vault_name = aws_backup_vault.this.name
  policy            = data.aws_iam_policy_document.vault.json
}

# The role AWS Backup runs backups and restores with: AWS-managed policies for both, including S3.
data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["backup.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  count = local.create_plan ? 1 : 0

  name_prefix        = "${substr(var.name, 0, 30)}-backup-"
  description        = "AWS Backup runs the ${var.name} plan's backups and restores with this role."
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "this" {
  for_each = local.create_plan ? local.managed_policies : {}

  role       = aws_iam_role.this[0].name
  policy_arn = each.value
}

resource "aws_backup_plan" "this" {
  count = local.create_plan ? 1 : 0

  name = var.name
  tags = var.tags

  rule {
    rule_name                = "scheduled"
    target_vault_name        = aws_backup_vault.this.name
    schedule                 = var.schedule
    start_window             = 60
    completion_window        = 180
    enable_continuous_backup = var.enable_continuous_backup

    lifecycle {
      delete_after = var.retention_days
    }

    recovery_point_tags = merge(var.tags, { "archgen:backup-plan" = var.name })

    dynamic "copy_action" {
      for_each = var.copy_vault_arn == null ? [] : [var.copy_vault_arn]

      content {
        destination_vault_arn = copy_action.value

        lifecycle {
          delete_after = var.retention_days
        }
      }
    }
  }

  lifecycle {
    precondition {
      condition     = !var.enable_continuous_backup || var.retention_days <= 35
      error_message = "Continuous backups are kept at most 35 days: lower retention_days or disable continuous backup."
    }
  }
}

resource "aws_backup_selection" "this" {
  count = local.create_plan ? 1 : 0

  name         = substr("${var.name}-tagged", 0, 50)
  plan_id      = aws_backup_plan.this[0].id
  iam_role_arn = aws_iam_role.this[0].arn

  selection_tag {
    type  = "STRINGEQUALS"
    key   = var.selection_tag.key
    value = var.selection_tag.value
  }

  depends_on = [aws_iam_role_policy_attachment.this]
}
