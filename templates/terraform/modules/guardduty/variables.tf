variable "enabled" {
  description = "Create the detector and set its protection plans. Set false when the organisation's GuardDuty delegated administrator (e.g. under AWS Control Tower) already enables and configures GuardDuty in this account; a second detector cannot be created in a Region."
  type        = bool
  default     = true
}

variable "finding_publishing_frequency" {
  description = "How often updates to existing findings are published to EventBridge (and Security Hub); new findings are always published at once within about 5 minutes."
  type        = string
  default     = "FIFTEEN_MINUTES"

  validation {
    condition     = contains(["FIFTEEN_MINUTES", "ONE_HOUR", "SIX_HOURS"], var.finding_publishing_frequency)
    error_message = "finding_publishing_frequency must be FIFTEEN_MINUTES, ONE_HOUR or SIX_HOURS."
  }
}

variable "s3_protection" {
  description = "S3 Protection: analyse S3 data events (object-level API calls) for suspicious access to the account's buckets."
  type        = bool
  default     = true
}

variable "eks" {
  description = "The design runs Amazon EKS: turn on EKS Protection (EKS audit log monitoring) and Runtime Monitoring for EKS, with GuardDuty managing its security agent as an EKS add-on."
  type        = bool
  default     = false
}

variable "ecs_fargate_runtime_monitoring" {
  description = "The design runs ECS on Fargate: turn on Runtime Monitoring for Fargate tasks, with GuardDuty injecting its security agent as a sidecar into new tasks."
  type        = bool
  default     = false
}

variable "ec2_runtime_monitoring" {
  description = "Turn on Runtime Monitoring for EC2 instances, with GuardDuty managing its security agent through SSM (instances need the SSM agent)."
  type        = bool
  default     = false
}

variable "malware_protection" {
  description = "Malware Protection for EC2: scan the EBS volumes of an instance or container workload GuardDuty has a finding for."
  type        = bool
  default     = true
}

variable "rds_protection" {
  description = "RDS Protection: analyse login activity to Aurora and RDS databases for anomalous access."
  type        = bool
  default     = true
}

variable "lambda_protection" {
  description = "Lambda Protection: analyse the network activity of Lambda functions (e.g. calls to cryptocurrency mining or command-and-control hosts)."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags added to every resource of the module."
  type        = map(string)
  default     = {}
}
