variable "name" {
  description = "Name of the ECS cluster, e.g. orders-api-prod-cluster."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$", var.name)) && length(var.name) <= 100
    error_message = "name must be lowercase letters, digits and hyphens, at most 100 characters, not starting or ending with a hyphen."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key encrypting the execute-command session data and its log group."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "log_retention_days" {
  description = "Days CloudWatch keeps the execute-command session logs."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention period CloudWatch Logs supports (e.g. 365)."
  }
}

variable "default_capacity_provider" {
  description = "Capacity provider tasks use unless a service says otherwise: FARGATE (on-demand) or FARGATE_SPOT."
  type        = string
  default     = "FARGATE"

  validation {
    condition     = contains(["FARGATE", "FARGATE_SPOT"], var.default_capacity_provider)
    error_message = "default_capacity_provider must be FARGATE or FARGATE_SPOT."
  }
}

variable "tags" {
  description = "Tags added to every resource (the provider's default_tags apply as well)."
  type        = map(string)
  default     = {}
}
