variable "name" {
  description = "Cluster name, e.g. order-events-prod-data-orders (at most 64 characters)."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z][A-Za-z0-9-]{0,63}$", var.name))
    error_message = "name must start with a letter and be at most 64 letters, digits or hyphens."
  }
}

variable "kms_key_arn" {
  description = "ARN of the customer-managed KMS key for data at rest and the broker log group."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "vpc_id" {
  description = "VPC the brokers live in."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]+$", var.vpc_id))
    error_message = "vpc_id must be a VPC ID."
  }
}

variable "subnet_ids" {
  description = "Private subnets, one per Availability Zone; brokers are spread evenly across them."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2 && length(var.subnet_ids) <= 3
    error_message = "MSK needs two or three subnets in different Availability Zones."
  }
}

variable "broker_instance_type" {
  description = "Broker instance type, e.g. kafka.m7g.large."
  type        = string

  validation {
    condition     = can(regex("^kafka\\.[a-z0-9]+\\.[a-z0-9]+$", var.broker_instance_type))
    error_message = "broker_instance_type must be an MSK broker type such as kafka.m7g.large."
  }
}

variable "broker_count" {
  description = "Number of brokers: a multiple of the number of subnets."
  type        = number

  validation {
    condition     = var.broker_count >= 2 && floor(var.broker_count) == var.broker_count
    error_message = "broker_count must be a whole number of at least 2."
  }
}

variable "volume_gb" {
  description = "EBS storage per broker, in GiB."
  type        = number

  validation {
    condition     = var.volume_gb >= 1 && var.volume_gb <= 16384
    error_message = "volume_gb must be between 1 and 16384."
  }
}

variable "kafka_version" {
  description = "Apache Kafka version."
  type        = string
  default     = "3.6.0"
}

variable "log_retention_days" {
  description = "Days broker logs are kept in CloudWatch Logs."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention period CloudWatch Logs supports."
  }
}

variable "tags" {
  description = "Extra tags for the cluster (the provider's default tags apply as well)."
  type        = map(string)
  default     = {}
}
