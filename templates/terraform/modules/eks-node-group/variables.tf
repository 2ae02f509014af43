variable "name" {
  description = "Name of the node group and prefix of its resources, e.g. payments-platform-prod-nodes."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$", var.name)) && length(var.name) <= 100
    error_message = "name must be lowercase letters, digits and hyphens, at most 100 characters, not starting or ending with a hyphen."
  }
}

variable "cluster_name" {
  description = "Name of the EKS cluster the nodes join (the eks-cluster module's cluster_name)."
  type        = string

  validation {
    condition     = length(var.cluster_name) >= 1 && length(var.cluster_name) <= 100
    error_message = "cluster_name must be 1-100 characters."
  }
}

variable "subnet_ids" {
  description = "Private subnets for the nodes, one per availability zone."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 1
    error_message = "subnet_ids needs at least one private subnet."
  }

  validation {
    condition     = alltrue([for id in var.subnet_ids : can(regex("^subnet-[0-9a-f]+$", id))])
    error_message = "subnet_ids must be subnet IDs (subnet-...)."
  }
}

variable "instance_type" {
  description = "EC2 instance type of the nodes; Graviton types (e.g. m7g.large) get the arm64 AMI."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*\\.[a-z0-9]+$", var.instance_type))
    error_message = "instance_type must look like m7g.large."
  }
}

variable "ami_type" {
  description = "EKS AMI type; null picks AL2023_ARM_64_STANDARD for Graviton instance types and AL2023_x86_64_STANDARD otherwise."
  type        = string
  default     = null

  validation {
    condition     = var.ami_type == null || can(regex("^(AL2023_|BOTTLEROCKET_)", coalesce(var.ami_type, "-")))
    error_message = "ami_type must be an Amazon Linux 2023 or Bottlerocket AMI type, or null."
  }
}

variable "capacity_type" {
  description = "ON_DEMAND or SPOT."
  type        = string
  default     = "ON_DEMAND"

  validation {
    condition     = contains(["ON_DEMAND", "SPOT"], var.capacity_type)
    error_message = "capacity_type must be ON_DEMAND or SPOT."
  }
}

variable "desired_count" {
  description = "Nodes to start with (the cluster autoscaler or Karpenter adjusts it between min_count and max_count)."
  type        = number

  validation {
    condition     = var.desired_count >= 0 && floor(var.desired_count) == var.desired_count
    error_message = "desired_count must be a whole number of at least 0."
  }
}

variable "min_count" {
  description = "Fewest nodes (one per availability zone for N+1; fewer in a recovery copy)."
  type        = number

  validation {
    condition     = var.min_count >= 0 && floor(var.min_count) == var.min_count
    error_message = "min_count must be a whole number of at least 0."
  }
}

variable "max_count" {
  description = "Most nodes."
  type        = number

  validation {
    condition     = var.max_count >= 1 && floor(var.max_count) == var.max_count
    error_message = "max_count must be a whole number of at least 1."
  }
}

variable "disk_size_gb" {
  description = "Size of each node's encrypted gp3 root volume in GiB (images, logs, emptyDir)."
  type        = number
  default     = 50

  validation {
    condition     = var.disk_size_gb >= 20 && var.disk_size_gb <= 16384 && floor(var.disk_size_gb) == var.disk_size_gb
    error_message = "disk_size_gb must be a whole number between 20 and 16384."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key encrypting the nodes' volumes."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "labels" {
  description = "Kubernetes labels put on every node."
  type        = map(string)
  default     = {}

  validation {
    condition     = alltrue([for k in keys(var.labels) : can(regex("^([a-z0-9.-]+/)?[A-Za-z0-9]([A-Za-z0-9_.-]*[A-Za-z0-9])?$", k))])
    error_message = "labels keys must be Kubernetes label keys."
  }
}

variable "tags" {
  description = "Tags added to every resource (the provider's default_tags apply as well)."
  type        = map(string)
  default     = {}
}
