variable "name" {
  description = "Bucket name: globally unique, e.g. orders-api-prod-logs-123456789012-eu-west-1."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.name))
    error_message = "name must be a valid S3 bucket name."
  }
}

variable "retention_days" {
  description = "Days access logs are kept before they expire."
  type        = number
  default     = 365

  validation {
    condition     = var.retention_days >= 1
    error_message = "retention_days must be at least 1."
  }
}
