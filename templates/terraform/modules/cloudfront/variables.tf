variable "name" {
  description = "Name prefix of the distribution's policies, certificate and log delivery, e.g. payments-platform-prod-edge."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9][A-Za-z0-9-]{0,47}$", var.name))
    error_message = "name must be 1-48 letters, digits or hyphens."
  }
}

variable "domain_name" {
  description = "The DNS name users reach the service at (the distribution's alias and certificate name)."
  type        = string

  validation {
    condition     = can(regex("^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z]{2,63}$", var.domain_name))
    error_message = "domain_name must be a fully qualified lowercase DNS name."
  }
}

variable "origin_type" {
  description = "alb: an Application Load Balancer whose certificate names domain_name (the viewer's Host header is forwarded); api-gateway: an API Gateway endpoint (Host is set to the origin); s3: a private S3 bucket read through origin access control."
  type        = string

  validation {
    condition     = contains(["alb", "api-gateway", "s3"], var.origin_type)
    error_message = "origin_type must be alb, api-gateway or s3."
  }
}

variable "origin_domain_name" {
  description = "The origin's host name: the ALB's DNS name, the API's execute-api host, or the bucket's regional domain name."
  type        = string

  validation {
    condition     = can(regex("^[A-Za-z0-9.-]+$", var.origin_domain_name))
    error_message = "origin_domain_name must be a bare host name (no scheme, no path)."
  }
}

variable "origin_bucket_arn" {
  description = "s3 origins: ARN of the bucket, for the bucket policy statement this module outputs (origin_access_policy_json)."
  type        = string
  default     = null
}

variable "origin_verify_header_value" {
  description = "Optional secret sent to custom origins as the X-Origin-Verify header, so the origin can refuse requests that bypass CloudFront."
  type        = string
  default     = null
  sensitive   = true
}

variable "price_class" {
  description = "CloudFront price class: which edge locations serve the distribution."
  type        = string

  validation {
    condition     = contains(["PriceClass_100", "PriceClass_200", "PriceClass_All"], var.price_class)
    error_message = "price_class must be PriceClass_100, PriceClass_200 or PriceClass_All."
  }
}

variable "web_acl_arn" {
  description = "ARN of a CLOUDFRONT-scope WAF web ACL (the waf module's web_acl_arn); null when the design has no WAF."
  type        = string
  default     = null
}

variable "log_bucket_arn" {
  description = "ARN of the access-log bucket; access logs (standard logging v2) land under its cdn/ prefix."
  type        = string

  validation {
    condition     = can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.log_bucket_arn))
    error_message = "log_bucket_arn must be an S3 bucket ARN."
  }
}

variable "route53_zone_id" {
  description = "Optional Route 53 hosted zone of domain_name: when set, the certificate's DNS validation records are created there. When null, create the records of the certificate_validation_records output in your DNS (apply with -target=module.<edge>.aws_acm_certificate.this first); the apply waits for validation."
  type        = string
  default     = null
}

variable "tags" {
  description = "Extra tags for the distribution and its certificate (the provider's default tags apply as well)."
  type        = map(string)
  default     = {}
}
