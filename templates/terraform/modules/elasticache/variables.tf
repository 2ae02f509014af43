variable "name" {
  description = "Name of the replication group and prefix of its resources, e.g. orders-api-prod-data-sessions. Underscores become hyphens; a name longer than ElastiCache allows (40) is shortened with a hash suffix."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9_-]*$", var.name)) && length(var.name) <= 128
    error_message = "name must start with a lowercase letter and hold only lowercase letters, digits, hyphens and underscores (at most 128)."
  }
}

variable "engine" {
  description = "Cache engine: valkey (kind elasticache-valkey) or redis (kind elasticache-redis, Redis OSS)."
  type        = string

  validation {
    condition     = contains(["valkey", "redis"], var.engine)
    error_message = "engine must be valkey or redis."
  }
}

variable "engine_version" {
  description = "Engine version; null picks 8.0 for Valkey and 7.1 for Redis OSS (IAM authentication needs Valkey 7.2+ or Redis OSS 7.0+)."
  type        = string
  default     = null

  validation {
    condition     = var.engine_version == null || can(regex("^[0-9]+\\.[0-9]+$", var.engine_version))
    error_message = "engine_version must be major.minor, e.g. 8.0."
  }
}

variable "node_type" {
  description = "Cache node type, e.g. cache.t4g.medium."
  type        = string

  validation {
    condition     = can(regex("^cache\\.[a-z0-9]+\\.[a-z0-9]+$", var.node_type))
    error_message = "node_type must look like cache.r7g.large."
  }
}

variable "replicas" {
  description = "Read replicas besides the primary; with one or more, automatic failover and Multi-AZ are on."
  type        = number

  validation {
    condition     = var.replicas >= 0 && var.replicas <= 5 && floor(var.replicas) == var.replicas
    error_message = "replicas must be a whole number between 0 and 5."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key for data at rest, snapshots and the log groups."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/", var.kms_key_arn))
    error_message = "kms_key_arn must be the ARN of a KMS key."
  }
}

variable "vpc_id" {
  description = "VPC of the cache's security group."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets of the cache subnet group."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 1
    error_message = "subnet_ids needs at least one subnet."
  }
}

variable "access_string" {
  description = "ACL of the application user the services connect as (IAM authentication). The default allows every key and channel and every command except the dangerous ones (FLUSHALL, KEYS, CONFIG, ...)."
  type        = string
  default     = "on ~* &* +@all -@dangerous"

  validation {
    condition     = startswith(var.access_string, "on ")
    error_message = "access_string must start with \"on \" (the user is enabled)."
  }
}

variable "snapshot_retention_days" {
  description = "Days daily snapshots are kept."
  type        = number
  default     = 7

  validation {
    condition     = var.snapshot_retention_days >= 1 && var.snapshot_retention_days <= 35
    error_message = "snapshot_retention_days must be between 1 and 35."
  }
}

variable "snapshot_window" {
  description = "Daily UTC window for snapshots (hh24:mi-hh24:mi), outside the maintenance window."
  type        = string
  default     = "02:00-03:00"
}

variable "maintenance_window" {
  description = "Weekly UTC maintenance window (ddd:hh24:mi-ddd:hh24:mi)."
  type        = string
  default     = "sun:04:00-sun:05:00"
}

variable "log_retention_days" {
  description = "Days the slow log and engine log are kept in CloudWatch Logs."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention CloudWatch Logs accepts (e.g. 365)."
  }
}

variable "tags" {
  description = "Tags added to every resource of the module."
  type        = map(string)
  default     = {}
}
