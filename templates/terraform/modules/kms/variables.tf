variable "name" {
  description = "Name prefix for the key alias, e.g. orders-api-prod."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]{0,62}$", var.name))
    error_message = "name must be a lowercase name of letters, digits and hyphens."
  }
}

variable "deletion_window_in_days" {
  description = "Days a deleted key stays recoverable."
  type        = number
  default     = 30

  validation {
    condition     = var.deletion_window_in_days >= 7 && var.deletion_window_in_days <= 30
    error_message = "deletion_window_in_days must be between 7 and 30."
  }
}

variable "policy_documents" {
  description = "Further key policy documents (JSON) merged into the key's policy, e.g. the statements CloudTrail needs to encrypt a trail's log files (the audit-trail module's kms_key_policy_json). Statement ids must not repeat this module's."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for document in var.policy_documents : can(jsondecode(document).Statement)])
    error_message = "Each policy document must be a JSON IAM policy with a Statement."
  }
}

variable "ebs_volumes" {
  description = "The Region runs EC2 instances (Auto Scaling groups, EKS managed node groups) whose EBS volumes this key encrypts: let callers of this account use the key through EC2, as the Auto Scaling service-linked role must."
  type        = bool
  default     = false
}
