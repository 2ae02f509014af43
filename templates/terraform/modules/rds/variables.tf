variable "name" {
  description = "Name of the instance and prefix of its resources, e.g. orders-api-prod-data-orders. Underscores become hyphens; a name longer than an RDS identifier allows (63) is shortened with a hash suffix."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9_-]*$", var.name)) && length(var.name) <= 128
    error_message = "name must start with a lowercase letter and hold only lowercase letters, digits, hyphens and underscores (at most 128)."
  }
}

variable "engine" {
  description = "RDS engine: postgres (kind rds-postgresql) or mysql (kind rds-mysql)."
  type        = string

  validation {
    condition     = contains(["postgres", "mysql"], var.engine)
    error_message = "engine must be postgres or mysql."
  }
}

variable "engine_version" {
  description = "Engine version, e.g. 16.4 for PostgreSQL or 8.0.39 for MySQL."
  type        = string

  validation {
    condition     = can(regex("^[0-9]+(\\.[0-9]+)*$", var.engine_version))
    error_message = "engine_version must be a dotted version number such as 16.4 or 8.0.39."
  }
}

variable "instance_class" {
  description = "DB instance class, e.g. db.r7g.xlarge."
  type        = string

  validation {
    condition     = can(regex("^db\\.[a-z0-9]+\\.[a-z0-9]+$", var.instance_class))
    error_message = "instance_class must look like db.r7g.xlarge."
  }
}

variable "allocated_storage_gb" {
  description = "Initial gp3 storage in GiB."
  type        = number

  validation {
    condition     = var.allocated_storage_gb >= 20 && var.allocated_storage_gb <= 65536 && floor(var.allocated_storage_gb) == var.allocated_storage_gb
    error_message = "allocated_storage_gb must be a whole number between 20 and 65536."
  }
}

variable "max_allocated_storage_gb" {
  description = "Upper limit for storage autoscaling in GiB (at least allocated_storage_gb)."
  type        = number

  validation {
    condition     = var.max_allocated_storage_gb <= 65536 && floor(var.max_allocated_storage_gb) == var.max_allocated_storage_gb
    error_message = "max_allocated_storage_gb must be a whole number of at most 65536."
  }
}

variable "multi_az" {
  description = "Run a synchronous standby in a second availability zone."
  type        = bool
}

variable "backup_retention_days" {
  description = "Days automated backups (point-in-time recovery) are kept."
  type        = number

  validation {
    condition     = var.backup_retention_days >= 1 && var.backup_retention_days <= 35
    error_message = "backup_retention_days must be between 1 and 35."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key for storage, the master-user secret, Performance Insights and log groups."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/", var.kms_key_arn))
    error_message = "kms_key_arn must be the ARN of a KMS key."
  }
}

variable "vpc_id" {
  description = "VPC of the instance's security group."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets of the DB subnet group (two or more availability zones)."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2
    error_message = "subnet_ids needs subnets in at least two availability zones."
  }
}

variable "database_name" {
  description = "Name of the database created in the instance (ignored for a read replica)."
  type        = string
  default     = "app"

  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9_]{0,62}$", var.database_name))
    error_message = "database_name must start with a letter and hold only letters, digits and underscores."
  }
}

variable "master_username" {
  description = "Master user name; RDS generates its password and keeps it in Secrets Manager."
  type        = string
  default     = "dbadmin"

  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9_]{0,15}$", var.master_username)) && !contains(["admin", "postgres", "rdsadmin", "root"], lower(var.master_username))
    error_message = "master_username must be 1-16 letters, digits or underscores, start with a letter, and not be a reserved name."
  }
}

variable "iam_database_user" {
  description = "Database user the services connect as with IAM authentication (create it with the rds_iam role / AWSAuthenticationPlugin)."
  type        = string
  default     = "app"

  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9_]{0,62}$", var.iam_database_user))
    error_message = "iam_database_user must start with a letter and hold only letters, digits and underscores."
  }
}

variable "monitoring_interval_seconds" {
  description = "Enhanced Monitoring interval in seconds."
  type        = number
  default     = 60

  validation {
    condition     = contains([1, 5, 10, 15, 30, 60], var.monitoring_interval_seconds)
    error_message = "monitoring_interval_seconds must be one of 1, 5, 10, 15, 30 or 60."
  }
}

variable "performance_insights_retention_days" {
  description = "Days Performance Insights data is kept (7 is free; otherwise a multiple of 31, up to 731)."
  type        = number
  default     = 7

  validation {
    condition     = var.performance_insights_retention_days == 7 || var.performance_insights_retention_days == 731 || (var.performance_insights_retention_days % 31 == 0 && var.performance_insights_retention_days <= 713)
    error_message = "performance_insights_retention_days must be 7, 731 or a multiple of 31."
  }
}

variable "log_retention_days" {
  description = "Days the exported database logs are kept in CloudWatch Logs."
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
  description = "Refuse to delete the instance until this is turned off."
  type        = bool
  default     = true
}

variable "replicate_source_db" {
  description = "ARN of an RDS instance in another Region: when set, this instance is a cross-Region read replica of it (for the recovery Region; promote it on failover). Null creates a primary."
  type        = string
  default     = null

  validation {
    condition     = var.replicate_source_db == null || can(regex("^arn:aws[a-z-]*:rds:[a-z0-9-]+:[0-9]{12}:db:", var.replicate_source_db))
    error_message = "replicate_source_db must be the ARN of an RDS DB instance."
  }
}

variable "snapshot_identifier" {
  description = "ARN (or identifier) of a DB snapshot to create the instance from, e.g. the AWS Backup recovery point copied into this Region (arn:aws:rds:<region>:<account>:snapshot:awsbackup:job-...). Null creates an empty instance."
  type        = string
  default     = null

  validation {
    condition     = var.snapshot_identifier == null || can(regex("^(arn:aws[a-z-]*:rds:[a-z0-9-]+:[0-9]{12}:snapshot:)?[A-Za-z][A-Za-z0-9:-]{0,254}$", var.snapshot_identifier))
    error_message = "snapshot_identifier must be a DB snapshot identifier or ARN."
  }
}

variable "backup" {
  description = "Tag the instance (not a read replica, which AWS Backup cannot back up) archgen:backup = true, the tag the Region's AWS Backup plan (backup module) selects by."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags added to every resource of the module."
  type        = map(string)
  default     = {}
}
