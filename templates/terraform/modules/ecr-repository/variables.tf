variable "name" {
  description = "Name of the repository (one per container image), e.g. orders-api/api or orders-api-prod-api; a path with / groups repositories."
  type        = string

  validation {
    condition     = length(var.name) >= 2 && length(var.name) <= 256 && can(regex("^([a-z0-9]+([._-][a-z0-9]+)*/)*[a-z0-9]+([._-][a-z0-9]+)*$", var.name))
    error_message = "name must be a repository name: 2-256 lowercase letters, digits and . _ - separators, with / between path parts."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key that encrypts the repository's images at rest (it must be in the repository's Region); fixed at creation, changing it replaces the repository."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/", var.kms_key_arn))
    error_message = "kms_key_arn must be the ARN of a KMS key."
  }
}

variable "keep_images" {
  description = "Number of most recent images the lifecycle policy keeps; older ones expire (a rollback target must be among them)."
  type        = number
  default     = 30

  validation {
    condition     = var.keep_images >= 1 && var.keep_images <= 10000 && floor(var.keep_images) == var.keep_images
    error_message = "keep_images must be a whole number between 1 and 10000."
  }
}

variable "repository_policy_json" {
  description = "Optional repository policy (JSON), e.g. letting another account of the organisation pull; null sets none (access then comes from IAM policies in this account only). Never grant a public principal."
  type        = string
  default     = null

  validation {
    condition     = var.repository_policy_json == null || can(keys(jsondecode(var.repository_policy_json)))
    error_message = "repository_policy_json must be null or a JSON policy document."
  }
}

variable "registry_scanning" {
  description = <<-EOT
    Optional registry scanning configuration: scan_type ENHANCED (Amazon Inspector: OS and language packages, rescanned
    as new CVEs appear) or BASIC, scan_frequency (ENHANCED: SCAN_ON_PUSH or CONTINUOUS_SCAN; BASIC: SCAN_ON_PUSH or
    MANUAL) and repository_filters (wildcards, default every repository). It applies to the whole registry of the account
    and Region, so set it on one instance of this module per Region only; null leaves the registry's configuration
    alone (basic scan on push, which this repository turns on).
  EOT
  type = object({
    scan_type          = optional(string, "ENHANCED")
    scan_frequency     = optional(string, "CONTINUOUS_SCAN")
    repository_filters = optional(list(string), ["*"])
  })
  default = null

  validation {
    condition = var.registry_scanning == null || try(
      (var.registry_scanning.scan_type == "ENHANCED" && contains(["SCAN_ON_PUSH", "CONTINUOUS_SCAN"], var.registry_scanning.scan_frequency)) ||
      (var.registry_scanning.scan_type == "BASIC" && contains(["SCAN_ON_PUSH", "MANUAL"], var.registry_scanning.scan_frequency)),
      false
    )
    error_message = "registry_scanning: scan_type ENHANCED takes SCAN_ON_PUSH or CONTINUOUS_SCAN, BASIC takes SCAN_ON_PUSH or MANUAL."
  }

  validation {
    condition     = var.registry_scanning == null || try(length(var.registry_scanning.repository_filters) >= 1 && alltrue([for f in var.registry_scanning.repository_filters : can(regex("^[a-z0-9*][a-z0-9._/*-]*$", f))]), false)
    error_message = "registry_scanning.repository_filters must hold at least one filter of lowercase letters, digits, . _ / - and * wildcards."
  }
}

variable "tags" {
  description = "Tags added to every resource of the module that takes tags."
  type        = map(string)
  default     = {}
}
