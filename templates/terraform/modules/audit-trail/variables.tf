variable "enabled" {
  description = "Create the trail and its bucket. Set false when the organisation already runs an organisation trail (e.g. AWS Control Tower), so the account does not pay for a second copy of every management event."
  type        = bool
  default     = true
}

variable "name" {
  description = "Name of the trail and prefix of its resources, e.g. orders-api-prod-audit. The bucket is named <name>-<account>-<region> (shortened to 63 characters) unless bucket_name is set."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*$", var.name)) && length(var.name) <= 64
    error_message = "name must start with a lowercase letter and hold only lowercase letters, digits and hyphens (at most 64)."
  }
}

variable "bucket_name" {
  description = "Exact name of the trail's bucket (globally unique); null derives it from name, the account and the Region."
  type        = string
  default     = null

  validation {
    condition     = var.bucket_name == null || can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name must be 3-63 lowercase letters, digits and hyphens, starting and ending with a letter or digit."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key that encrypts the log files, the bucket and the log group; it must be in the trail's home Region (the provider's) and its key policy must let CloudTrail use it (see the kms_key_policy_json output)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/", var.kms_key_arn))
    error_message = "kms_key_arn must be the ARN of a KMS key."
  }
}

variable "access_log_bucket_id" {
  description = "Name of the Region's access-log bucket (module.logs.bucket_id); the trail bucket's server access logs go under s3/<bucket>/."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.access_log_bucket_id))
    error_message = "access_log_bucket_id must be an S3 bucket name."
  }
}

variable "retention_days" {
  description = "Days a log file is kept in the bucket before it expires (audit regimes often ask for 365 days or more; PCI DSS: 1 year, HIPAA: 6 years)."
  type        = number
  default     = 365

  validation {
    condition     = var.retention_days >= 1 && floor(var.retention_days) == var.retention_days
    error_message = "retention_days must be a whole number of at least 1."
  }
}

variable "archive_after_days" {
  description = "Days after which log files move to S3 Glacier Flexible Retrieval (cheaper for long retention); null keeps them in S3 Standard. Must be less than retention_days."
  type        = number
  default     = null

  validation {
    condition     = var.archive_after_days == null || try(var.archive_after_days >= 30 && floor(var.archive_after_days) == var.archive_after_days, false)
    error_message = "archive_after_days must be null or a whole number of at least 30."
  }
}

variable "cloudwatch_logs_enabled" {
  description = "Also deliver the trail's events to a CloudWatch Logs log group (encrypted with kms_key_arn), for metric filters and alarms on API activity (CIS AWS Foundations 4.x)."
  type        = bool
  default     = true
}

variable "cloudwatch_logs_retention_days" {
  description = "Days the CloudWatch Logs copy of the events is kept (one of the values CloudWatch Logs allows)."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.cloudwatch_logs_retention_days)
    error_message = "cloudwatch_logs_retention_days must be a retention CloudWatch Logs allows (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288 or 3653)."
  }
}

variable "s3_data_events" {
  description = "Also log S3 object-level API calls (GetObject, PutObject, DeleteObject …) for every bucket of the account except the trail's own. Billed per event."
  type        = bool
  default     = false
}

variable "lambda_data_events" {
  description = "Also log Lambda Invoke calls for every function of the account. Billed per event."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every resource of the module."
  type        = map(string)
  default     = {}
}
