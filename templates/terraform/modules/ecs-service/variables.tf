variable "name" {
  description = "Name of the ECS service and prefix of its resources, e.g. orders-api-prod-orders-api."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$", var.name)) && length(var.name) <= 100
    error_message = "name must be lowercase letters, digits and hyphens, at most 100 characters, not starting or ending with a hyphen."
  }
}

variable "service_name" {
  description = "The service's name in the spec: the container name and the key of its image and target group."
  type        = string

  validation {
    condition     = can(regex("^[a-z]([a-z0-9-]*[a-z0-9])?$", var.service_name)) && length(var.service_name) <= 32
    error_message = "service_name must be a lowercase DNS label of at most 32 characters."
  }
}

variable "own_cluster" {
  description = "Create a dedicated cluster with Container Insights for this service. False runs it in cluster_arn, a shared cluster. A flag of its own because a shared cluster's ARN is unknown until that cluster exists, and whether to create a resource cannot wait for it."
  type        = bool
  default     = true
}

variable "cluster_arn" {
  description = "ARN of the ECS cluster to run in (the ecs-cluster module's arn) when own_cluster is false; null otherwise."
  type        = string
  default     = null

  validation {
    condition     = var.cluster_arn == null || can(regex("^arn:aws[a-z-]*:ecs:[a-z0-9-]+:[0-9]{12}:cluster/.+$", var.cluster_arn))
    error_message = "cluster_arn must be an ECS cluster ARN or null."
  }
}

variable "container_image" {
  description = "Image URI with a tag or digest (never latest), e.g. 123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders-api:1.4.2."
  type        = string

  validation {
    condition = !endswith(var.container_image, ":latest") && (
      strcontains(element(split("/", var.container_image), length(split("/", var.container_image)) - 1), ":") ||
      strcontains(var.container_image, "@sha256:")
    )
    error_message = "container_image must name a tag or a digest, and the tag must not be latest."
  }
}

variable "container_port" {
  description = "Port the container listens on."
  type        = number

  validation {
    condition     = var.container_port >= 1 && var.container_port <= 65535 && floor(var.container_port) == var.container_port
    error_message = "container_port must be an integer between 1 and 65535."
  }
}

variable "container_user" {
  description = "UID:GID the container runs as; never root."
  type        = string
  default     = "10001:10001"

  validation {
    condition     = can(regex("^[0-9]+(:[0-9]+)?$", var.container_user)) && !startswith(var.container_user, "0")
    error_message = "container_user must be a numeric UID[:GID] other than root (0)."
  }
}

variable "cpu_architecture" {
  description = "CPU architecture the image is built for: X86_64 or ARM64 (Graviton, cheaper per vCPU)."
  type        = string
  default     = "X86_64"

  validation {
    condition     = contains(["X86_64", "ARM64"], var.cpu_architecture)
    error_message = "cpu_architecture must be X86_64 or ARM64."
  }
}

variable "capacity_provider" {
  description = "FARGATE, or FARGATE_SPOT for interruption-tolerant services (needs a cluster_arn whose cluster has the Fargate capacity providers)."
  type        = string
  default     = "FARGATE"

  validation {
    condition     = contains(["FARGATE", "FARGATE_SPOT"], var.capacity_provider)
    error_message = "capacity_provider must be FARGATE or FARGATE_SPOT."
  }
}

variable "cpu" {
  description = "vCPUs per task (a Fargate size: 0.25, 0.5, 1, 2, 4, 8 or 16)."
  type        = number

  validation {
    condition     = contains([256, 512, 1024, 2048, 4096, 8192, 16384], floor(var.cpu * 1024))
    error_message = "cpu must be a Fargate task size in vCPU: 0.25, 0.5, 1, 2, 4, 8 or 16."
  }
}

variable "memory_mib" {
  description = "Memory per task in MiB; must be a combination Fargate allows for the cpu."
  type        = number

  validation {
    condition     = var.memory_mib >= 512 && var.memory_mib <= 122880 && floor(var.memory_mib) == var.memory_mib
    error_message = "memory_mib must be an integer between 512 and 122880."
  }
}

variable "desired_count" {
  description = "Tasks to start with (Application Auto Scaling adjusts it between min_count and max_count)."
  type        = number

  validation {
    condition     = var.desired_count >= 0 && floor(var.desired_count) == var.desired_count
    error_message = "desired_count must be a whole number of at least 0."
  }
}

variable "min_count" {
  description = "Fewest tasks auto scaling keeps running (0 for a pilot-light recovery copy)."
  type        = number

  validation {
    condition     = var.min_count >= 0 && floor(var.min_count) == var.min_count
    error_message = "min_count must be a whole number of at least 0."
  }
}

variable "max_count" {
  description = "Most tasks auto scaling may run."
  type        = number

  validation {
    condition     = var.max_count >= 1 && floor(var.max_count) == var.max_count
    error_message = "max_count must be a whole number of at least 1."
  }
}

variable "cpu_target_percent" {
  description = "Average CPU utilisation auto scaling keeps the service at."
  type        = number
  default     = 60

  validation {
    condition     = var.cpu_target_percent >= 10 && var.cpu_target_percent <= 90
    error_message = "cpu_target_percent must be between 10 and 90."
  }
}

variable "vpc_id" {
  description = "VPC of the service's security group."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]+$", var.vpc_id))
    error_message = "vpc_id must be a VPC ID (vpc-...)."
  }
}

variable "vpc_cidr_block" {
  description = "The VPC's IPv4 range: tasks may open connections to data stores inside it."
  type        = string

  validation {
    condition     = can(cidrhost(var.vpc_cidr_block, 0))
    error_message = "vpc_cidr_block must be an IPv4 CIDR block."
  }
}

variable "subnet_ids" {
  description = "Private subnets the tasks run in (no public IPs), one per availability zone."
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

variable "kms_key_arn" {
  description = "Customer-managed KMS key encrypting the service's log group."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/.+$", var.kms_key_arn))
    error_message = "kms_key_arn must be a KMS key ARN."
  }
}

variable "log_retention_days" {
  description = "Days CloudWatch keeps the container logs."
  type        = number
  default     = 365

  validation {
    condition     = contains([1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653], var.log_retention_days)
    error_message = "log_retention_days must be a retention period CloudWatch Logs supports (e.g. 365)."
  }
}

variable "public" {
  description = "Whether the service sits behind the load balancer (then target_group_arn and alb_security_group_id are required)."
  type        = bool
  default     = false
}

variable "target_group_arn" {
  description = "Target group the load balancer forwards this service's traffic to (when public)."
  type        = string
  default     = null

  validation {
    condition     = var.target_group_arn == null || can(regex("^arn:aws[a-z-]*:elasticloadbalancing:[a-z0-9-]+:[0-9]{12}:targetgroup/.+$", var.target_group_arn))
    error_message = "target_group_arn must be a target group ARN or null."
  }
}

variable "alb_security_group_id" {
  description = "Security group of the load balancer; the only source allowed to reach the container port (when public)."
  type        = string
  default     = null

  validation {
    condition     = var.alb_security_group_id == null || can(regex("^sg-[0-9a-f]+$", var.alb_security_group_id))
    error_message = "alb_security_group_id must be a security group ID (sg-...) or null."
  }
}

variable "health_check_grace_period_seconds" {
  description = "Seconds after a task starts during which failed load balancer health checks are ignored."
  type        = number
  default     = 60

  validation {
    condition     = var.health_check_grace_period_seconds >= 0 && var.health_check_grace_period_seconds <= 2147483647
    error_message = "health_check_grace_period_seconds must be 0 or more."
  }
}

variable "environment" {
  description = "Plain environment variables for the container (no secrets: wire those through Secrets Manager)."
  type        = map(string)
  default     = {}
}

variable "tags" {
  description = "Tags added to every resource (the provider's default_tags apply as well)."
  type        = map(string)
  default     = {}
}
