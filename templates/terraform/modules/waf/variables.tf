variable "name" {
  description = "Web ACL name, e.g. payments-platform-prod-waf; the log group is aws-waf-logs-<name>."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9_-]{1,115}$", var.name))
    error_message = "name must be 1-115 letters, digits, hyphens or underscores."
  }
}

variable "scope" {
  description = "CLOUDFRONT for a web ACL on a CloudFront distribution (pass the us-east-1 provider as this module's aws provider), REGIONAL for one on an ALB in this Region."
  type        = string

  validation {
    condition     = contains(["CLOUDFRONT", "REGIONAL"], var.scope)
    error_message = "scope must be CLOUDFRONT or REGIONAL."
  }
}

variable "rate_limit_per_5min" {
  description = "Requests one client IP may send in any 5-minute window before it is blocked."
  type        = number

  validation {
    condition     = var.rate_limit_per_5min >= 100 && var.rate_limit_per_5min <= 2000000000
    error_message = "rate_limit_per_5min must be between 100 and 2,000,000,000."
  }
}

variable "kms_key_arn" {
  description = "ARN of a KMS key in the provider's Region for the WAF log group. null (CLOUDFRONT scope only, when the root's key is in another Region) creates a dedicated key in us-east-1."
  type        = string
  default     = null

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be null or a KMS key ARN."
  }
}

variable "associated_resource_arns" {
  description = "REGIONAL scope: ARNs of the resources (ALBs) the web ACL protects. CLOUDFRONT scope: leave empty; the distribution names the web ACL."
  type        = list(string)
  default     = []
}

variable "log_retention_days" {
  description = "Days WAF logs are kept in CloudWatch Logs."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention period CloudWatch Logs supports."
  }
}

variable "tags" {
  description = "Extra tags for the web ACL and its log group (the provider's default tags apply as well)."
  type        = map(string)
  default     = {}
}
