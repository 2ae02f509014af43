variable "name" {
  description = "Queue name, e.g. orders-api-prod-data-events; the dead-letter queue is <name>-dlq."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,76}$", var.name))
    error_message = "name must be 1-76 letters, digits, hyphens or underscores (SQS allows 80 with the -dlq suffix)."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed KMS key that encrypts both queues."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "visibility_timeout_seconds" {
  description = "How long a received message stays hidden from other consumers; longer than the slowest handler."
  type        = number

  validation {
    condition     = var.visibility_timeout_seconds >= 0 && var.visibility_timeout_seconds <= 43200
    error_message = "visibility_timeout_seconds must be between 0 and 43200 (12 hours)."
  }
}

variable "message_retention_seconds" {
  description = "How long an unconsumed message is kept."
  type        = number

  validation {
    condition     = var.message_retention_seconds >= 60 && var.message_retention_seconds <= 1209600
    error_message = "message_retention_seconds must be between 60 and 1209600 (14 days)."
  }
}

variable "max_receive_count" {
  description = "Receives after which a message that keeps failing moves to the dead-letter queue."
  type        = number

  validation {
    condition     = var.max_receive_count >= 1 && var.max_receive_count <= 1000
    error_message = "max_receive_count must be between 1 and 1000."
  }
}

variable "receive_wait_time_seconds" {
  description = "Long-polling wait: fewer empty receives, lower cost."
  type        = number
  default     = 20

  validation {
    condition     = var.receive_wait_time_seconds >= 0 && var.receive_wait_time_seconds <= 20
    error_message = "receive_wait_time_seconds must be between 0 and 20."
  }
}

variable "tags" {
  description = "Extra tags for the queues (the provider's default tags apply as well)."
  type        = map(string)
  default     = {}
}
