variable "name" {
  description = "Name of the cluster and prefix of its resources, e.g. payments-platform-prod-data-ledger. Underscores become hyphens; a name longer than 60 characters is shortened with a hash suffix."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9_-]*$", var.name)) && length(var.name) <= 128
    error_message = "name must start with a lowercase letter and hold only lowercase letters, digits, hyphens and underscores (at most 128)."
  }
}

variable "engine" {
  description = "Aurora engine: aurora-postgresql or aurora-mysql (the component kind)."
  type        = string

  validation {
    condition     = contains(["aurora-postgresql", "aurora-mysql"], var.engine)
    error_message = "engine must be aurora-postgresql or aurora-mysql."
  }
}

variable "engine_version" {
  description = "Engine version, e.g. 16.4 (Aurora PostgreSQL) or 8.0.mysql_aurora.3.07.1 (Aurora MySQL)."
  type        = string

  validation {
    condition     = can(regex("^[0-9]+\\.[0-9a-z_.]+$", var.engine_version))
    error_message = "engine_version must be an Aurora version such as 16.4 or 8.0.mysql_aurora.3.07.1."
  }
}

variable "instance_class" {
  description = "Instance class of every cluster instance, e.g. db.r7g.2xlarge (a global database needs an r class)."
  type        = string

  validation {
    condition     = can(regex("^db\\.[a-z0-9]+\\.[a-z0-9]+$", var.instance_class))
    error_message = "instance_class must look like db.r7g.large."
  }
}

variable "instance_count" {
  description = "Instances in the cluster: one writer plus readers in other availability zones (failover targets)."
  type        = number

  validation {
    condition     = var.instance_count >= 1 && var.instance_count <= 16 && floor(var.instance_count) == var.instance_count
    error_message = "instance_count must be a whole number between 1 and 16."
  }
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
  description = "VPC of the cluster's security group."
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
  description = "Name of the database created in the cluster (ignored for a global secondary)."
  type        = string
  default     = "app"

  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9_]{0,62}$", var.database_name))
    error_message = "database_name must start with a letter and hold only letters, digits and underscores."
  }
}

variable "master_username" {
  description = "Master user name (ignored for a global secondary). Its password is generated: by RDS into Secrets Manager, or for a global database (where RDS cannot manage it) by this module into a Secrets Manager secret."
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
  description = "Refuse to delete the cluster (and the global cluster) until this is turned off."
  type        = bool
  default     = true
}

variable "create_global_cluster" {
  description = "Make this cluster the primary of a new Aurora global database (aws_rds_global_cluster); the recovery Region's cluster joins it through global_cluster_identifier."
  type        = bool
  default     = false
}

variable "global_cluster_identifier" {
  description = "Identifier of an existing Aurora global database: when set, this cluster joins it as a read-only secondary (for the recovery Region). Null creates a standalone or primary cluster."
  type        = string
  default     = null

  validation {
    condition     = var.global_cluster_identifier == null || can(regex("^[a-z][a-z0-9-]{0,62}$", var.global_cluster_identifier))
    error_message = "global_cluster_identifier must be a global cluster identifier."
  }
}

variable "enable_global_write_forwarding" {
  description = "Global secondary only: accept writes and forward them to the primary cluster's writer (Aurora write forwarding). The global database still has one writer: forwarded writes add a cross-Region round trip, and conflicting writes are ordered by the primary."
  type        = bool
  default     = false
}

variable "snapshot_identifier" {
  description = "ARN (or identifier) of a DB cluster snapshot to create the cluster from, e.g. the AWS Backup recovery point copied into this Region (arn:aws:rds:<region>:<account>:cluster-snapshot:awsbackup:job-...). Null creates an empty cluster."
  type        = string
  default     = null

  validation {
    condition     = var.snapshot_identifier == null || can(regex("^(arn:aws[a-z-]*:rds:[a-z0-9-]+:[0-9]{12}:cluster-snapshot:)?[A-Za-z][A-Za-z0-9:-]{0,254}$", var.snapshot_identifier))
    error_message = "snapshot_identifier must be a DB cluster snapshot identifier or ARN."
  }
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
