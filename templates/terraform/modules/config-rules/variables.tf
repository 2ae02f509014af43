variable "enabled" {
  description = "Create the recorder, its bucket, rules and conformance pack. Set false when the organisation already records this account and Region with AWS Config (e.g. AWS Control Tower); a Region holds one recorder only."
  type        = bool
  default     = true
}

variable "name" {
  description = "Prefix of the module's resources, e.g. orders-api-prod-config: the recorder, delivery channel, role and rules are named after it; the bucket is <name>-<account>-<region> (shortened to 63 characters) unless bucket_name is set."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*$", var.name)) && length(var.name) <= 48
    error_message = "name must start with a lowercase letter and hold only lowercase letters, digits and hyphens (at most 48)."
  }
}

variable "bucket_name" {
  description = "Exact name of the configuration history bucket (globally unique); null derives it from name, the account and the Region."
  type        = string
  default     = null

  validation {
    condition     = var.bucket_name == null || can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name must be 3-63 lowercase letters, digits and hyphens, starting and ending with a letter or digit."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key that encrypts the configuration history and snapshots (the bucket's default encryption and the delivery channel); it must be in this Region."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/", var.kms_key_arn))
    error_message = "kms_key_arn must be the ARN of a KMS key."
  }
}

variable "access_log_bucket_id" {
  description = "Name of the Region's access-log bucket (module.logs.bucket_id); the Config bucket's server access logs go under s3/<bucket>/."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.access_log_bucket_id))
    error_message = "access_log_bucket_id must be an S3 bucket name."
  }
}

variable "retention_days" {
  description = "Days configuration history and snapshot files are kept in the bucket before they expire."
  type        = number
  default     = 365

  validation {
    condition     = var.retention_days >= 1 && floor(var.retention_days) == var.retention_days
    error_message = "retention_days must be a whole number of at least 1."
  }
}

variable "include_global_resource_types" {
  description = "Also record global resources (IAM users, groups, roles, policies). Set true in exactly one Region of the account (the primary Region's root) and false elsewhere, or every Region records (and bills) them again."
  type        = bool
  default     = true
}

variable "recording_frequency" {
  description = "CONTINUOUS records every change as it happens; DAILY records at most one configuration item per resource a day (cheaper, less detail for audits)."
  type        = string
  default     = "CONTINUOUS"

  validation {
    condition     = contains(["CONTINUOUS", "DAILY"], var.recording_frequency)
    error_message = "recording_frequency must be CONTINUOUS or DAILY."
  }
}

variable "snapshot_delivery_frequency" {
  description = "How often AWS Config delivers a configuration snapshot to the bucket."
  type        = string
  default     = "TwentyFour_Hours"

  validation {
    condition     = contains(["One_Hour", "Three_Hours", "Six_Hours", "Twelve_Hours", "TwentyFour_Hours"], var.snapshot_delivery_frequency)
    error_message = "snapshot_delivery_frequency must be One_Hour, Three_Hours, Six_Hours, Twelve_Hours or TwentyFour_Hours."
  }
}

variable "rules" {
  description = <<-EOT
    AWS managed Config rules to enable, as the design's compliance regimes require. Each: name (short, unique; the rule
    is named <name>-<rule name>), source_identifier (the managed rule's identifier, e.g. ENCRYPTED_VOLUMES,
    RDS_STORAGE_ENCRYPTED, S3_BUCKET_PUBLIC_READ_PROHIBITED, CLOUD_TRAIL_ENABLED), optional input_parameters (a JSON
    object of the rule's parameters), optional description, optional maximum_execution_frequency (periodic rules only).
  EOT
  type = list(object({
    name                        = string
    source_identifier           = string
    input_parameters            = optional(string)
    description                 = optional(string)
    maximum_execution_frequency = optional(string)
  }))
  default = []

  validation {
    condition     = alltrue([for rule in var.rules : can(regex("^[a-z0-9][a-z0-9-]{0,63}$", rule.name))])
    error_message = "Each rule name must be 1-64 lowercase letters, digits and hyphens."
  }

  validation {
    condition     = length(distinct([for rule in var.rules : rule.name])) == length(var.rules)
    error_message = "Rule names must be unique."
  }

  validation {
    condition     = alltrue([for rule in var.rules : can(regex("^[A-Z0-9][A-Z0-9_]*$", rule.source_identifier))])
    error_message = "Each source_identifier must be an AWS managed rule identifier such as ENCRYPTED_VOLUMES."
  }

  validation {
    condition     = alltrue([for rule in var.rules : rule.input_parameters == null || can(keys(jsondecode(rule.input_parameters)))])
    error_message = "Each input_parameters must be null or a JSON object, e.g. jsonencode({ maxAccessKeyAge = \"90\" })."
  }

  validation {
    condition = alltrue([for rule in var.rules : rule.maximum_execution_frequency == null || contains(
      ["One_Hour", "Three_Hours", "Six_Hours", "Twelve_Hours", "TwentyFour_Hours"], coalesce(rule.maximum_execution_frequency, "-")
    )])
    error_message = "Each maximum_execution_frequency must be null, One_Hour, Three_Hours, Six_Hours, Twelve_Hours or TwentyFour_Hours."
  }
}

variable "conformance_pack" {
  description = "Optional conformance pack deployed after the recorder starts: name, template_body (the pack's YAML, at most 51,200 characters) and optional input_parameters (parameter name => value). Null deploys none."
  type = object({
    name             = string
    template_body    = string
    input_parameters = optional(map(string), {})
  })
  default = null

  validation {
    condition     = var.conformance_pack == null || try(can(regex("^[a-zA-Z][-a-zA-Z0-9]{0,255}$", var.conformance_pack.name)), false)
    error_message = "conformance_pack.name must start with a letter and hold only letters, digits and hyphens (at most 256)."
  }

  validation {
    condition     = var.conformance_pack == null || try(length(var.conformance_pack.template_body) > 0 && length(var.conformance_pack.template_body) <= 51200, false)
    error_message = "conformance_pack.template_body must be 1-51,200 characters."
  }
}

variable "tags" {
  description = "Tags added to every resource of the module that takes tags."
  type        = map(string)
  default     = {}
}
