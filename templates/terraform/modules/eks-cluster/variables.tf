variable "name" {
  description = "Name of the EKS cluster and prefix of its resources, e.g. payments-platform-prod-cluster."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$", var.name)) && length(var.name) <= 100
    error_message = "name must be lowercase letters, digits and hyphens, at most 100 characters, not starting or ending with a hyphen."
  }
}

variable "kubernetes_version" {
  description = "Kubernetes minor version of the control plane, e.g. 1.31."
  type        = string

  validation {
    condition     = can(regex("^1\\.[0-9]{2}$", var.kubernetes_version))
    error_message = "kubernetes_version must be a minor version such as 1.31."
  }
}

variable "vpc_id" {
  description = "VPC of the cluster."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]+$", var.vpc_id))
    error_message = "vpc_id must be a VPC ID (vpc-...)."
  }
}

variable "vpc_cidr_block" {
  description = "The VPC's IPv4 range: the only network allowed to reach the private API endpoint."
  type        = string

  validation {
    condition     = can(cidrhost(var.vpc_cidr_block, 0))
    error_message = "vpc_cidr_block must be an IPv4 CIDR block."
  }
}

variable "subnet_ids" {
  description = "Private subnets for the control plane's network interfaces, in at least two availability zones."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "EKS needs subnets in at least two availability zones."
  }

  validation {
    condition     = alltrue([for id in var.subnet_ids : can(regex("^subnet-[0-9a-f]+$", id))])
    error_message = "subnet_ids must be subnet IDs (subnet-...)."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key for envelope encryption of Kubernetes secrets and the control-plane log group."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "log_retention_days" {
  description = "Days CloudWatch keeps the control-plane logs."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention period CloudWatch Logs supports (e.g. 365)."
  }
}

variable "admin_principal_arns" {
  description = "IAM roles or users granted cluster-admin through EKS access entries (e.g. the CI deploy role, an SSO admin role)."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for arn in var.admin_principal_arns : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/.+$", arn))])
    error_message = "admin_principal_arns must be IAM role or user ARNs."
  }
}

variable "bootstrap_creator_admin" {
  description = "Give the identity that creates the cluster cluster-admin access (changing it later replaces the cluster)."
  type        = bool
  default     = true
}

variable "oidc_thumbprints" {
  description = "Server certificate thumbprints of the cluster's OIDC issuer; null lets IAM trust the issuer through its own CA library (what EKS issuers need today)."
  type        = list(string)
  default     = null

  validation {
    condition     = var.oidc_thumbprints == null || alltrue([for t in coalesce(var.oidc_thumbprints, []) : can(regex("^[0-9a-fA-F]{40}$", t))])
    error_message = "oidc_thumbprints must be 40-character hex SHA-1 thumbprints, or null."
  }
}

variable "tags" {
  description = "Tags added to every resource (the provider's default_tags apply as well)."
  type        = map(string)
  default     = {}
}
