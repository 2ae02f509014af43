variable "name" {
  description = "Name of the global table (the same in every Region), e.g. payments-platform-prod-data-idempotency."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_.-]{3,255}$", var.name))
    error_message = "name must be 3-255 letters, digits, underscores, hyphens or dots (a DynamoDB table name)."
  }
}

variable "kms_key_arn" {
  description = "This Region's customer-managed KMS key, which the primary root gives the replica (replica_kms_key_arns)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/", var.kms_key_arn))
    error_message = "kms_key_arn must be the ARN of a KMS key."
  }
}
