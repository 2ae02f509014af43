variable "name" {
  description = "Name prefix for the network's resources, e.g. orders-api-prod."
  type        = string
}

variable "cidr" {
  description = "The VPC's IPv4 range, e.g. 10.0.0.0/16."
  type        = string

  validation {
    condition     = can(cidrhost(var.cidr, 0))
    error_message = "cidr must be an IPv4 CIDR block."
  }
}

variable "availability_zones" {
  description = "Availability zones to span, one public and one private subnet in each."
  type        = list(string)

  validation {
    condition     = length(var.availability_zones) >= 2
    error_message = "At least two availability zones are needed (a load balancer requires two)."
  }
}

variable "public_subnets" {
  description = "CIDR of the public subnet in each availability zone, in the same order."
  type        = list(string)
}

variable "private_subnets" {
  description = "CIDR of the private subnet in each availability zone, in the same order."
  type        = list(string)
}

variable "nat_gateway_count" {
  description = "NAT gateways: one per availability zone for zonal independence, or one to save cost."
  type        = number

  validation {
    condition     = var.nat_gateway_count >= 1
    error_message = "nat_gateway_count must be at least 1."
  }
}

variable "kms_key_arn" {
  description = "KMS key that encrypts the flow-log group."
  type        = string
}

variable "flow_log_retention_days" {
  description = "Days VPC flow logs are kept."
  type        = number
  default     = 365
}
