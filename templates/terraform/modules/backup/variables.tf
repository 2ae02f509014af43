variable "name" {
  description = "Vault (and plan) name, e.g. orders-api-prod-backups (at most 50 characters)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{2,50}$", var.name))
    error_message = "name must be 2-50 letters, digits, hyphens or underscores."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed KMS key that encrypts the recovery points in this vault."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "schedule" {
  description = "Backup schedule (cron expression, UTC). null creates the vault only, with no plan: for a vault that only receives cross-Region copies."
  type        = string
  default     = null

  validation {
    condition     = var.schedule == null || can(regex("^(cron|rate)\\(.+\\)$", var.schedule))
    error_message = "schedule must be null or a cron(...) or rate(...) expression."
  }
}

variable "retention_days" {
  description = "Days each recovery point (and its cross-Region copy) is kept."
  type        = number

  validation {
    condition     = var.retention_days >= 1 && floor(var.retention_days) == var.retention_days
    error_message = "retention_days must be a whole number of at least 1."
  }
}

variable "enable_continuous_backup" {
  description = "Continuous backup (point-in-time restore) for the resources that support it (RDS, Aurora, S3); the others get scheduled snapshots. Continuous backups are kept at most 35 days."
  type        = bool
  default     = true
}

variable "copy_vault_arn" {
  description = "ARN of the vault in the recovery Region that receives a copy of every recovery point; null for no copy."
  type        = string
  default     = null

  validation {
    condition     = var.copy_vault_arn == null || can(regex("^arn:aws[a-z-]*:backup:[a-z0-9-]+:[0-9]{12}:backup-vault:.+$", var.copy_vault_arn))
    error_message = "copy_vault_arn must be null or a backup vault ARN."
  }
}

variable "selection_tag" {
  description = "Resources carrying this tag key with this value are backed up by the plan."
  type = object({
    key   = string
    value = string
  })
  default = {
    key   = "archgen:backup"
    value = "true"
  }
}

variable "vault_lock" {
  description = "Optional AWS Backup Vault Lock. changeable_for_days null keeps governance mode (removable by privileged users); a number starts compliance mode, which becomes immutable after that many days."
  type = object({
    min_retention_days  = number
    max_retention_days  = number
    changeable_for_days = optional(number)
  })
  default = null

  validation {
    condition     = var.vault_lock == null || try(var.vault_lock.min_retention_days >= 1 && var.vault_lock.max_retention_days >= var.vault_lock.min_retention_days, false)
    error_message = "vault_lock needs 1 <= min_retention_days <= max_retention_days."
  }

  validation {
    condition     = var.vault_lock == null || try(coalesce(var.vault_lock.changeable_for_days, 3) >= 3, false)
    error_message = "vault_lock.changeable_for_days must be null (governance mode) or at least 3."
  }
}

variable "deny_recovery_point_deletion" {
  description = "Attach a vault access policy that denies deleting recovery points or shortening their lifecycle by hand (expiry by the plan's lifecycle still happens)."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Extra tags for the vault, plan and role (the provider's default tags apply as well)."
  type        = map(string)
  default     = {}
}
