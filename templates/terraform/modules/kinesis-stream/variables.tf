variable "name" {
  description = "Stream name, e.g. clickstream-prod-data-clicks."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{1,128}$", var.name))
    error_message = "name must be 1-128 letters, digits, hyphens, underscores or dots."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed KMS key that encrypts the stream."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "shard_count" {
  description = "Provisioned shards (each takes 1 MB/s or 1000 records/s of writes)."
  type        = number

  validation {
    condition     = var.shard_count >= 1 && floor(var.shard_count) == var.shard_count
    error_message = "shard_count must be a whole number of at least 1."
  }
}

variable "retention_hours" {
  description = "How long records stay readable."
  type        = number

  validation {
    condition     = var.retention_hours >= 24 && var.retention_hours <= 8760
    error_message = "retention_hours must be between 24 and 8760 (365 days)."
  }
}

variable "shard_level_metrics" {
  description = "Enhanced (shard-level) CloudWatch metrics to enable."
  type        = list(string)
  default = [
    "IncomingBytes",
    "IncomingRecords",
    "OutgoingBytes",
    "OutgoingRecords",
    "WriteProvisionedThroughputExceeded",
    "ReadProvisionedThroughputExceeded",
    "IteratorAgeMilliseconds",
  ]
}

variable "tags" {
  description = "Extra tags for the stream (the provider's default tags apply as well)."
  type        = map(string)
  default     = {}
}
