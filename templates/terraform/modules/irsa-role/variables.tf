variable "name" {
  description = "Name of the IAM role, e.g. payments-platform-prod-authorise (names up to 64 characters are kept as is)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$", var.name)) && length(var.name) <= 100
    error_message = "name must be lowercase letters, digits and hyphens, at most 100 characters, not starting or ending with a hyphen."
  }
}

variable "oidc_provider_arn" {
  description = "ARN of the cluster's IAM OIDC provider (the eks-cluster module's oidc_provider_arn)."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:oidc-provider/.+$", var.oidc_provider_arn))
    error_message = "oidc_provider_arn must be an IAM OIDC provider ARN."
  }
}

variable "oidc_issuer" {
  description = "OIDC issuer URL of the cluster (the eks-cluster module's oidc_issuer), with or without https://."
  type        = string

  validation {
    condition     = can(regex("^(https://)?oidc\\.eks\\.[a-z0-9-]+\\.amazonaws\\.com(\\.cn)?/id/[A-Za-z0-9]+$", var.oidc_issuer))
    error_message = "oidc_issuer must be an EKS OIDC issuer URL (https://oidc.eks.<region>.amazonaws.com/id/<id>)."
  }
}

variable "namespace" {
  description = "Kubernetes namespace of the service account."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$", var.namespace)) && length(var.namespace) <= 63
    error_message = "namespace must be a Kubernetes namespace name (DNS label)."
  }
}

variable "service_account" {
  description = "Name of the Kubernetes service account the pods run as (the service's name)."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9.-]*[a-z0-9])?$", var.service_account)) && length(var.service_account) <= 253
    error_message = "service_account must be a Kubernetes object name."
  }
}

variable "max_session_duration" {
  description = "Longest session, in seconds, a pod's credentials last before the SDK refreshes them."
  type        = number
  default     = 3600

  validation {
    condition     = var.max_session_duration >= 3600 && var.max_session_duration <= 43200
    error_message = "max_session_duration must be between 3600 and 43200 seconds."
  }
}

variable "tags" {
  description = "Tags added to every resource (the provider's default_tags apply as well)."
  type        = map(string)
  default     = {}
}
