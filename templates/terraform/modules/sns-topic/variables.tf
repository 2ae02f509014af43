variable "name" {
  description = "Topic name, e.g. orders-api-prod-data-notifications."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,256}$", var.name))
    error_message = "name must be 1-256 letters, digits, hyphens or underscores."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed KMS key that encrypts the topic (its key policy must let sns.amazonaws.com use it)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "tags" {
  description = "Extra tags for the topic (the provider's default tags apply as well)."
  type        = map(string)
  default     = {}
}
