variable "name" {
  description = "Name of the cluster and prefix of its resources, e.g. orders-api-prod-data-catalog. Underscores become hyphens; a name longer than 60 characters is shortened with a hash suffix."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9_-]*$", var.name)) && length(var.name) <= 128
    error_message = "name must start with a lowercase letter and hold only lowercase letters, digits, hyphens and underscores (at most 128)."
  }
}

variable "engine_version" {
  description = "DocumentDB engine version (MongoDB API compatibility), e.g. 5.0.0."
  type        = string
  default     = "5.0.0"

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9]+\\.[0-9]+$", var.engine_version))
    error_message = "engine_version must look like 5.0.0."
  }
}

variable "instance_class" {
  description = "Instance class of every cluster instance, e.g. db.r6g.large."
  type        = string

  validation {
    condition     = can(regex("^db\\.[a-z0-9]+\\.[a-z0-9]+$", var.instance_class))
    error_message = "instance_class must look like db.r6g.large."
  }
}

variable "instance_count" {
  description = "Instances in the cluster: one primary plus replicas in other availability zones (failover targets)."
  type        = number

  validation {
    condition     = var.instance_count >= 1 && var.instance_count <= 16 && floor(var.instance_count) == var.instance_count
    error_message = "instance_count must be a whole number between 1 and 16."
  }
}

variable "backup_retention_days" {
  description = "Days automated backups (point-in-time recovery) are kept."
  type        = number
  default     = 14

  validation {
    condition     = var.backup_retention_days >= 1 && var.backup_retention_days <= 35
    error_message = "backup_retention_days must be between 1 and 35."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key for storage, Performance Insights and the log groups."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/", var.kms_key_arn))
    error_message = "kms_key_arn must be the ARN of a KMS key."
  }
}

variable "vpc_id" {
  description = "VPC of the cluster's security group."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets of the subnet group (two or more availability zones)."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "subnet_ids needs subnets in at least two availability zones."
  }
}

variable "master_username" {
  description = "Master user name; DocumentDB generates its password and keeps it in Secrets Manager."
  type        = string
  default     = "dbadmin"

  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9]{0,62}$", var.master_username)) && !contains(["admin", "root", "serviceadmin"], lower(var.master_username))
    error_message = "master_username must be letters and digits, start with a letter, and not be a reserved name."
  }
}

variable "profiler_threshold_ms" {
  description = "Operations slower than this (milliseconds) are written to the profiler log."
  type        = number
  default     = 100

  validation {
    condition     = var.profiler_threshold_ms >= 50 && var.profiler_threshold_ms <= 2147483646
    error_message = "profiler_threshold_ms must be at least 50."
  }
}

variable "log_retention_days" {
  description = "Days the audit and profiler logs are kept in CloudWatch Logs."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention CloudWatch Logs accepts (e.g. 365)."
  }
}

variable "backup_window" {
  description = "Daily UTC window for automated backups (hh24:mi-hh24:mi), outside the maintenance window."
  type        = string
  default     = "02:00-03:00"
}

variable "maintenance_window" {
  description = "Weekly UTC maintenance window (ddd:hh24:mi-ddd:hh24:mi)."
  type        = string
  default     = "sun:04:00-sun:05:00"
}

variable "deletion_protection" {
  description = "Refuse to delete the cluster until this is turned off."
  type        = bool
  default     = true
}

variable "backup" {
  description = "Tag the cluster archgen:backup = true, the tag the Region's AWS Backup plan (backup module) selects by."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags added to every resource of the module."
  type        = map(string)
  default     = {}
}
