variable "name" {
  description = "Name of the load balancer and prefix of its resources, e.g. orders-api-prod-entry."
  type        = string

  validation {
    condition     = can(regex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$", var.name)) && length(var.name) <= 100
    error_message = "name must be lowercase letters, digits and hyphens, at most 100 characters, not starting or ending with a hyphen."
  }
}

variable "vpc_id" {
  description = "VPC the load balancer and its target groups live in."
  type        = string

  validation {
    condition     = can(regex("^vpc-[0-9a-f]+$", var.vpc_id))
    error_message = "vpc_id must be a VPC ID (vpc-...)."
  }
}

variable "vpc_cidr_block" {
  description = "The VPC's IPv4 range: the load balancer may only send traffic to targets inside it."
  type        = string

  validation {
    condition     = can(cidrhost(var.vpc_cidr_block, 0))
    error_message = "vpc_cidr_block must be an IPv4 CIDR block."
  }
}

variable "public_subnet_ids" {
  description = "Public subnets, at least two in different availability zones."
  type        = list(string)

  validation {
    condition     = length(var.public_subnet_ids) >= 2
    error_message = "An Application Load Balancer needs subnets in at least two availability zones."
  }

  validation {
    condition     = alltrue([for id in var.public_subnet_ids : can(regex("^subnet-[0-9a-f]+$", id))])
    error_message = "public_subnet_ids must be subnet IDs (subnet-...)."
  }
}

variable "certificate_arn" {
  description = "ARN of the regional ACM certificate the HTTPS listener presents."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:acm:[a-z0-9-]+:[0-9]{12}:certificate/.+$", var.certificate_arn))
    error_message = "certificate_arn must be an ACM certificate ARN."
  }
}

variable "ssl_policy" {
  description = "TLS negotiation policy of the HTTPS listener (TLS 1.3 with TLS 1.2 fallback by default)."
  type        = string
  default     = "ELBSecurityPolicy-TLS13-1-2-2021-06"

  validation {
    condition     = can(regex("^ELBSecurityPolicy-(TLS13-1-[23]-|TLS-1-2-|FS-1-2-)", var.ssl_policy))
    error_message = "ssl_policy must be a TLS 1.2+ policy (ELBSecurityPolicy-TLS13-1-2-*, -TLS13-1-3-*, -TLS-1-2-* or -FS-1-2-*)."
  }
}

variable "access_logs_bucket" {
  description = "Name of the S3 bucket receiving access logs (SSE-S3 encrypted, with a policy allowing load balancer log delivery)."
  type        = string

  validation {
    condition     = length(var.access_logs_bucket) >= 3 && length(var.access_logs_bucket) <= 63
    error_message = "access_logs_bucket must be an S3 bucket name."
  }
}

variable "access_logs_prefix" {
  description = "Key prefix of the access logs in the bucket; the log bucket's policy allows delivery under alb/."
  type        = string
  default     = "alb"

  validation {
    condition     = !startswith(var.access_logs_prefix, "/") && !endswith(var.access_logs_prefix, "/")
    error_message = "access_logs_prefix must not start or end with a slash."
  }
}

variable "targets" {
  description = "Services behind the load balancer: service name => { port, health_check_path (default /readyz, the readiness endpoint), target_type }. One service gets the default route; several are routed by path prefix /<service>. target_type is ip for Fargate tasks and pods, instance for EC2 Auto Scaling groups."
  type = map(object({
    port              = number
    health_check_path = optional(string, "/readyz")
    target_type       = optional(string, "ip")
  }))

  validation {
    condition     = alltrue([for k, t in var.targets : can(regex("^[a-z0-9]([a-z0-9-]*[a-z0-9])?$", k))])
    error_message = "targets keys must be service names (lowercase DNS labels)."
  }

  validation {
    condition     = alltrue([for t in values(var.targets) : t.port >= 1 && t.port <= 65535 && floor(t.port) == t.port])
    error_message = "Every target port must be an integer between 1 and 65535."
  }

  validation {
    condition     = alltrue([for t in values(var.targets) : startswith(t.health_check_path, "/")])
    error_message = "Every health_check_path must start with a slash."
  }

  validation {
    condition     = alltrue([for t in values(var.targets) : contains(["ip", "instance"], t.target_type)])
    error_message = "Every target_type must be ip or instance."
  }
}

variable "deletion_protection" {
  description = "Protect the load balancer from deletion (turn off only to tear the environment down)."
  type        = bool
  default     = true
}

variable "idle_timeout" {
  description = "Seconds a connection may stay idle."
  type        = number
  default     = 60

  validation {
    condition     = var.idle_timeout >= 1 && var.idle_timeout <= 4000
    error_message = "idle_timeout must be between 1 and 4000 seconds."
  }
}

variable "deregistration_delay" {
  description = "Seconds the load balancer keeps draining a deregistering target."
  type        = number
  default     = 30

  validation {
    condition     = var.deregistration_delay >= 0 && var.deregistration_delay <= 3600
    error_message = "deregistration_delay must be between 0 and 3600 seconds."
  }
}

variable "tags" {
  description = "Tags added to every resource (the provider's default_tags apply as well)."
  type        = map(string)
  default     = {}
}

variable "https_ingress_from" {
  description = "Who may reach the HTTPS listener: internet (0.0.0.0/0, the load balancer is the public entry point) or cloudfront (only CloudFront's origin-facing servers, through the com.amazonaws.global.cloudfront.origin-facing managed prefix list, when a CloudFront distribution fronts this load balancer, so clients cannot bypass it)."
  type        = string
  default     = "internet"
  nullable    = false

  validation {
    condition     = contains(["internet", "cloudfront"], var.https_ingress_from)
    error_message = "https_ingress_from must be internet or cloudfront."
  }
}

variable "hsts_header_value" {
  description = "Strict-Transport-Security header the HTTPS listener adds to every response (one year, subdomains included, by default)."
  type        = string
  default     = "max-age=31536000; includeSubDomains"
  nullable    = false

  validation {
    condition     = can(regex("^max-age=[0-9]+(; ?includeSubDomains)?(; ?preload)?$", var.hsts_header_value))
    error_message = "hsts_header_value must be max-age=<seconds>, optionally followed by ; includeSubDomains and ; preload."
  }
}

variable "route53_health_checks" {
  description = "Whether Route 53 health checks probe this load balancer over HTTPS (DNS failover or latency records). With https_ingress_from = cloudfront they are let in from the Region's com.amazonaws.<region>.route53-healthchecks prefix list, through a second security group; open to the internet, they need nothing more."
  type        = bool
  default     = false
  nullable    = false
}
