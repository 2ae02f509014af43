variable "name" {
  description = "Name of the HTTP API and prefix of its resources, e.g. notes-api-prod-entry."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$", var.name)) && length(var.name) <= 100
    error_message = "name must be lowercase letters, digits and hyphens, at most 100 characters, not starting or ending with a hyphen."
  }
}

variable "routes" {
  description = "Functions behind the API: service name => { invoke_arn, function_name }. One service takes the $default route; several get ANY /<service> and ANY /<service>/{proxy+}."
  type = map(object({
    invoke_arn    = string
    function_name = string
  }))

  validation {
    condition     = length(var.routes) >= 1
    error_message = "routes needs at least one service."
  }

  validation {
    condition     = alltrue([for k in keys(var.routes) : can(regex("^[a-z]([a-z0-9-]*[a-z0-9])?$", k))])
    error_message = "routes keys must be service names (lowercase DNS labels)."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key encrypting the access-log group."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "log_retention_days" {
  description = "Days CloudWatch keeps the access logs."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention period CloudWatch Logs supports (e.g. 365)."
  }
}

variable "throttling_rate_limit" {
  description = "Steady-state requests per second the default route settings allow (per stage)."
  type        = number
  default     = 1000

  validation {
    condition     = var.throttling_rate_limit >= 1
    error_message = "throttling_rate_limit must be at least 1."
  }
}

variable "throttling_burst_limit" {
  description = "Request burst the default route settings allow (per stage)."
  type        = number
  default     = 2000

  validation {
    condition     = var.throttling_burst_limit >= 1 && floor(var.throttling_burst_limit) == var.throttling_burst_limit
    error_message = "throttling_burst_limit must be a whole number of at least 1."
  }
}

variable "integration_timeout_ms" {
  description = "Milliseconds API Gateway waits for a function (HTTP APIs allow at most 30000)."
  type        = number
  default     = 30000

  validation {
    condition     = var.integration_timeout_ms >= 50 && var.integration_timeout_ms <= 30000
    error_message = "integration_timeout_ms must be between 50 and 30000."
  }
}

variable "domain_name" {
  description = "Custom domain serving the API (e.g. api.example.com); null serves only the execute-api endpoint."
  type        = string
  default     = null

  validation {
    condition     = var.domain_name == null || can(regex("^([a-z0-9]([a-z0-9-]*[a-z0-9])?\\.)+[a-z]{2,}$", var.domain_name))
    error_message = "domain_name must be a lowercase DNS name or null."
  }
}

variable "certificate_arn" {
  description = "Regional ACM certificate for domain_name (required with it)."
  type        = string
  default     = null

  validation {
    condition     = var.certificate_arn == null || can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/.+$", var.certificate_arn))
    error_message = "certificate_arn must be an ACM certificate ARN or null."
  }
}

variable "disable_execute_api_endpoint" {
  description = "Turn off the default execute-api endpoint so clients must come through domain_name."
  type        = bool
  default     = false
}

variable "jwt_issuer" {
  description = "Issuer URL of a JWT (OIDC) identity provider; set it to require a valid token on every route."
  type        = string
  default     = null

  validation {
    condition     = var.jwt_issuer == null || can(regex("^https://", var.jwt_issuer))
    error_message = "jwt_issuer must be an https:// URL or null."
  }
}

variable "jwt_audience" {
  description = "Audiences (client IDs) a token must carry (with jwt_issuer)."
  type        = list(string)
  default     = []
  nullable    = false
}

variable "tags" {
  description = "Tags added to every resource (the provider's default_tags apply as well)."
  type        = map(string)
  default     = {}
}
