variable "name" {
  description = "Table name, e.g. payments-platform-prod-data-idempotency."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.name))
    error_message = "name must be 3-255 letters, digits, underscores, hyphens or dots (a DynamoDB table name)."
  }
}

variable "billing_mode" {
  description = "PAY_PER_REQUEST (on demand) or PROVISIONED (then read/write capacity and their autoscaling maxima are required)."
  type        = string
  default     = "PAY_PER_REQUEST"

  validation {
    condition     = contains(["PAY_PER_REQUEST", "PROVISIONED"], var.billing_mode)
    error_message = "billing_mode must be PAY_PER_REQUEST or PROVISIONED."
  }
}

variable "point_in_time_recovery" {
  description = "Continuous backups with point-in-time recovery (35 days)."
  type        = bool
  default     = true
}

variable "read_capacity" {
  description = "PROVISIONED only: minimum read capacity units (autoscaling floor)."
  type        = number
  default     = null

  validation {
    condition     = var.read_capacity == null || try(var.read_capacity >= 1, false)
    error_message = "read_capacity must be at least 1."
  }
}

variable "write_capacity" {
  description = "PROVISIONED only: minimum write capacity units (autoscaling floor)."
  type        = number
  default     = null

  validation {
    condition     = var.write_capacity == null || try(var.write_capacity >= 1, false)
    error_message = "write_capacity must be at least 1."
  }
}

variable "max_read_capacity" {
  description = "PROVISIONED only: read capacity autoscaling ceiling."
  type        = number
  default     = null
}

variable "max_write_capacity" {
  description = "PROVISIONED only: write capacity autoscaling ceiling."
  type        = number
  default     = null
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key for server-side encryption of the table in this Region."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/", var.kms_key_arn))
    error_message = "kms_key_arn must be the ARN of a KMS key."
  }
}

variable "ttl_attribute" {
  description = "Item attribute holding an expiry time (epoch seconds) after which DynamoDB deletes the item; null turns TTL off. Items without it never expire."
  type        = string
  default     = "expires_at"
}

variable "deletion_protection" {
  description = "Refuse to delete the table until this is turned off."
  type        = bool
  default     = true
}

variable "replica_regions" {
  description = "Regions to replicate the table to as a global table (version 2019.11.21), e.g. [\"eu-west-3\"] for the recovery Region. Empty: a single-Region table."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for r in var.replica_regions : can(regex("^[a-z]{2}(-[a-z]+)+-[0-9]$", r))]) && length(distinct(var.replica_regions)) == length(var.replica_regions)
    error_message = "replica_regions must be distinct Region names such as eu-west-3."
  }
}

variable "replica_kms_key_arns" {
  description = "KMS key ARN in each replica Region (keys are Region names); every entry of replica_regions needs one."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for r, arn in var.replica_kms_key_arns : can(regex("^arn:aws[a-z-]*:kms:${r}:[0-9]{12}:key/", arn))])
    error_message = "Each replica_kms_key_arns entry must be the ARN of a KMS key in the Region it is keyed by."
  }
}

variable "restore_source_table_arn" {
  description = "ARN of a table (in any Region of the account) to restore this table from by point-in-time recovery; null creates an empty table."
  type        = string
  default     = null

  validation {
    condition     = var.restore_source_table_arn == null || can(regex("^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:[0-9]{12}:table/[A-Za-z0-9_.-]{3,255}$", var.restore_source_table_arn))
    error_message = "restore_source_table_arn must be the ARN of a DynamoDB table."
  }
}

variable "restore_date_time" {
  description = "With restore_source_table_arn: the point in time to restore (RFC 3339, e.g. 2026-11-20T09:30:00Z); null restores the latest restorable time."
  type        = string
  default     = null

  validation {
    condition     = var.restore_date_time == null || can(formatdate("YYYY", var.restore_date_time))
    error_message = "restore_date_time must be an RFC 3339 timestamp."
  }
}

variable "backup" {
  description = "Tag the table archgen:backup = true, the tag the Region's AWS Backup plan (backup module) selects by."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags added to every resource of the module (propagated to replicas)."
  type        = map(string)
  default     = {}
}
