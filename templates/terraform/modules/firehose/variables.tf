variable "name" {
  description = "Delivery stream name, e.g. clickstream-prod-lake-delivery (at most 64 characters)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{1,64}$", var.name))
    error_message = "name must be 1-64 letters, digits, hyphens, underscores or dots."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed KMS key: encrypts the stream, the delivered objects and the error log group; also the key of the source Kinesis stream and of the destination bucket."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "destination_bucket_arn" {
  description = "ARN of the S3 bucket (the data lake) the stream delivers to."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.destination_bucket_arn))
    error_message = "destination_bucket_arn must be an S3 bucket ARN."
  }
}

variable "source_stream_arn" {
  description = "ARN of the Kinesis data stream to read from; null for a Direct PUT stream that producers write to."
  type        = string
  default     = null

  validation {
    condition     = var.source_stream_arn == null || can(regex("^arn:aws[a-z-]*:kinesis:[a-z0-9-]+:[0-9]{12}:stream/.+$", var.source_stream_arn))
    error_message = "source_stream_arn must be null or a Kinesis stream ARN."
  }
}

variable "buffer_mb" {
  description = "Size buffer: objects are written once this many MiB have arrived (or buffer_seconds pass)."
  type        = number

  validation {
    condition     = var.buffer_mb >= 1 && var.buffer_mb <= 128
    error_message = "buffer_mb must be between 1 and 128."
  }
}

variable "buffer_seconds" {
  description = "Time buffer: objects are written at least this often."
  type        = number

  validation {
    condition     = var.buffer_seconds >= 0 && var.buffer_seconds <= 900
    error_message = "buffer_seconds must be between 0 and 900."
  }
}

variable "prefix" {
  description = "Key prefix under which objects land, before the date partitions (year=/month=/day=/hour=)."
  type        = string
  default     = "events/"

  validation {
    condition     = can(regex("^([A-Za-z0-9_=-]+/)+$", var.prefix))
    error_message = "prefix must be one or more path segments, each ending with a slash."
  }
}

variable "log_retention_days" {
  description = "Days delivery error logs are kept in CloudWatch Logs."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention period CloudWatch Logs supports."
  }
}

variable "tags" {
  description = "Extra tags for the stream and its role (the provider's default tags apply as well)."
  type        = map(string)
  default     = {}
}
