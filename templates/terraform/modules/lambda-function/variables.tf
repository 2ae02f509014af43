variable "name" {
  description = "Name of the function and prefix of its resources, e.g. notes-api-prod-notes."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$", var.name)) && length(var.name) <= 100
    error_message = "name must be lowercase letters, digits and hyphens, at most 100 characters, not starting or ending with a hyphen."
  }
}

variable "service_name" {
  description = "The service's name in the spec (set as SERVICE_NAME in the function's environment)."
  type        = string

  validation {
    condition     = can(regex("^[a-z]([a-z0-9-]*[a-z0-9])?$", var.service_name)) && length(var.service_name) <= 32
    error_message = "service_name must be a lowercase DNS label of at most 32 characters."
  }
}

variable "s3_bucket" {
  description = "S3 bucket (in the function's Region) holding the deployment package zip."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.s3_bucket))
    error_message = "s3_bucket must be an S3 bucket name."
  }
}

variable "s3_key" {
  description = "Key of the deployment package zip in s3_bucket, e.g. notes/1.4.2/function.zip."
  type        = string

  validation {
    condition     = length(var.s3_key) > 0 && endswith(var.s3_key, ".zip")
    error_message = "s3_key must name a .zip object."
  }
}

variable "s3_object_version" {
  description = "Version of the package object (pin it when the bucket is versioned); null for the current version."
  type        = string
  default     = null
}

variable "runtime" {
  description = "Lambda runtime; the default custom runtime runs any language compiled to a bootstrap binary."
  type        = string
  default     = "provided.al2023"
  nullable    = false

  validation {
    condition     = can(regex("^(nodejs[0-9]+\\.x|python3\\.[0-9]+|java[0-9]+|dotnet[0-9]+|ruby3\\.[0-9]+|provided\\.al2023)$", var.runtime))
    error_message = "runtime must be a current Lambda runtime identifier (e.g. python3.12, nodejs22.x, java21, provided.al2023)."
  }
}

variable "handler" {
  description = "Function entry point (bootstrap for provided.al2023)."
  type        = string
  default     = "bootstrap"
  nullable    = false

  validation {
    condition     = length(var.handler) > 0 && length(var.handler) <= 128
    error_message = "handler must be 1-128 characters."
  }
}

variable "architecture" {
  description = "Instruction set: arm64 (Graviton, cheaper per GB-second) or x86_64."
  type        = string
  default     = "arm64"

  validation {
    condition     = contains(["arm64", "x86_64"], var.architecture)
    error_message = "architecture must be arm64 or x86_64."
  }
}

variable "memory_mib" {
  description = "Memory in MiB (CPU is allocated in proportion)."
  type        = number

  validation {
    condition     = var.memory_mib >= 128 && var.memory_mib <= 10240 && floor(var.memory_mib) == var.memory_mib
    error_message = "memory_mib must be an integer between 128 and 10240."
  }
}

variable "timeout_seconds" {
  description = "Maximum run time of one invocation in seconds."
  type        = number

  validation {
    condition     = var.timeout_seconds >= 1 && var.timeout_seconds <= 900 && floor(var.timeout_seconds) == var.timeout_seconds
    error_message = "timeout_seconds must be an integer between 1 and 900."
  }
}

variable "reserved_concurrency" {
  description = "Concurrent executions reserved for (and capping) this function; the account keeps at least 100 unreserved."
  type        = number
  default     = 100

  validation {
    condition     = var.reserved_concurrency >= 1 && floor(var.reserved_concurrency) == var.reserved_concurrency
    error_message = "reserved_concurrency must be a whole number of at least 1."
  }
}

variable "environment" {
  description = "Environment variables (encrypted at rest with kms_key_arn; still no secrets: use Secrets Manager)."
  type        = map(string)
  default     = {}
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key encrypting environment variables, the log group and the dead-letter queue."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "log_retention_days" {
  description = "Days CloudWatch keeps the function's logs."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention period CloudWatch Logs supports (e.g. 365)."
  }
}

variable "untrusted_artifact_on_deployment" {
  description = "What Lambda does with a package not signed by the signing profile: Warn (deploy and log) or Enforce (reject)."
  type        = string
  default     = "Warn"

  validation {
    condition     = contains(["Warn", "Enforce"], var.untrusted_artifact_on_deployment)
    error_message = "untrusted_artifact_on_deployment must be Warn or Enforce."
  }
}

variable "in_vpc" {
  description = "Attach the function to the VPC (set when the design has one): then vpc_id, vpc_cidr_block and subnet_ids are required."
  type        = bool
  default     = false
}

variable "vpc_id" {
  description = "VPC of the function's security group (when in_vpc)."
  type        = string
  default     = null

  validation {
    condition     = var.vpc_id == null || can(regex("^vpc-[0-9a-f]+$", var.vpc_id))
    error_message = "vpc_id must be a VPC ID (vpc-...) or null."
  }
}

variable "vpc_cidr_block" {
  description = "The VPC's IPv4 range: the function may open connections to data stores inside it (when in_vpc)."
  type        = string
  default     = null

  validation {
    condition     = var.vpc_cidr_block == null || can(cidrhost(var.vpc_cidr_block, 0))
    error_message = "vpc_cidr_block must be an IPv4 CIDR block or null."
  }
}

variable "subnet_ids" {
  description = "Private subnets for the function's network interfaces (when in_vpc)."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for id in var.subnet_ids : can(regex("^subnet-[0-9a-f]+$", id))])
    error_message = "subnet_ids must be subnet IDs (subnet-...)."
  }
}

variable "tags" {
  description = "Tags added to every resource (the provider's default_tags apply as well)."
  type        = map(string)
  default     = {}
}
