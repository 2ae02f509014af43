variable "name" {
  description = "Prefix of the domain's resources, e.g. orders-api-prod-data-search. The domain name is this, shortened to OpenSearch's 28 characters with a hash suffix when longer."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9_-]*$", var.name)) && length(var.name) <= 128
    error_message = "name must start with a lowercase letter and hold only lowercase letters, digits, hyphens and underscores (at most 128)."
  }
}

variable "engine_version" {
  description = "OpenSearch version, e.g. OpenSearch_2.19."
  type        = string
  default     = "OpenSearch_2.19"

  validation {
    condition     = can(regex("^OpenSearch_[0-9]+\\.[0-9]+$", var.engine_version))
    error_message = "engine_version must look like OpenSearch_2.19."
  }
}

variable "instance_type" {
  description = "Data node instance type, e.g. r7g.large.search."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]+\\.[a-z0-9]+\\.search$", var.instance_type))
    error_message = "instance_type must look like r7g.large.search."
  }
}

variable "instance_count" {
  description = "Data nodes; two or more are spread over availability zones (three zones when the count is a multiple of three)."
  type        = number

  validation {
    condition     = var.instance_count >= 1 && floor(var.instance_count) == var.instance_count
    error_message = "instance_count must be a whole number of at least 1."
  }
}

variable "volume_gb" {
  description = "gp3 EBS volume per data node, in GiB."
  type        = number

  validation {
    condition     = var.volume_gb >= 10 && floor(var.volume_gb) == var.volume_gb
    error_message = "volume_gb must be a whole number of at least 10."
  }
}

variable "dedicated_master_type" {
  description = "Instance type of dedicated master nodes (e.g. m7g.large.search); null: none, the data nodes elect the master."
  type        = string
  default     = null

  validation {
    condition     = var.dedicated_master_type == null || can(regex("^[a-z0-9]+\\.[a-z0-9]+\\.search$", var.dedicated_master_type))
    error_message = "dedicated_master_type must look like m7g.large.search."
  }
}

variable "dedicated_master_count" {
  description = "Dedicated master nodes when dedicated_master_type is set (3 or 5)."
  type        = number
  default     = 3

  validation {
    condition     = contains([3, 5], var.dedicated_master_count)
    error_message = "dedicated_master_count must be 3 or 5."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key for data at rest and the log groups."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/", var.kms_key_arn))
    error_message = "kms_key_arn must be the ARN of a KMS key."
  }
}

variable "vpc_id" {
  description = "VPC of the domain's security group."
  type        = string
}

variable "subnet_ids" {
  description = "Private subnets, one per availability zone; the domain uses as many as it spans zones."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 1
    error_message = "subnet_ids needs at least one subnet."
  }
}

variable "master_user_arn" {
  description = "IAM role or user that is the fine-grained access control master (maps the services' roles to OpenSearch roles). Null: the IAM role or user running Terraform."
  type        = string
  default     = null

  validation {
    condition     = var.master_user_arn == null || can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:(role|user)/", var.master_user_arn))
    error_message = "master_user_arn must be the ARN of an IAM role or user."
  }
}

variable "tls_security_policy" {
  description = "TLS policy of the HTTPS endpoint."
  type        = string
  default     = "Policy-Min-TLS-1-2-PFS-2023-10"

  validation {
    condition     = contains(["Policy-Min-TLS-1-2-2019-07", "Policy-Min-TLS-1-2-PFS-2023-10"], var.tls_security_policy)
    error_message = "tls_security_policy must be a TLS 1.2+ policy."
  }
}

variable "log_retention_days" {
  description = "Days the slow, application and audit logs are kept in CloudWatch Logs."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention CloudWatch Logs accepts (e.g. 365)."
  }
}

variable "create_service_linked_role" {
  description = "Create the account's AWSServiceRoleForAmazonOpenSearchService role, which VPC domains need; leave false when it exists (it is one per account)."
  type        = bool
  default     = false
}

variable "tags" {
  description = "Tags added to every resource of the module."
  type        = map(string)
  default     = {}
}
