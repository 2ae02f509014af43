variable "name" {
  description = "Prefix of the bucket's name and resources, e.g. global-catalog-prod-data-images. The bucket is named <name>-<account>-<region> (shortened to 63 characters) unless bucket_name is set."
  type        = string

  validation {
    condition     = can(regex("^[a-z][a-z0-9_-]*$", var.name)) && length(var.name) <= 128
    error_message = "name must start with a lowercase letter and hold only lowercase letters, digits, hyphens and underscores (at most 128)."
  }
}

variable "bucket_name" {
  description = "Exact bucket name (globally unique); null derives it from name, the account and the Region."
  type        = string
  default     = null

  validation {
    condition     = var.bucket_name == null || can(regex("^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$", var.bucket_name))
    error_message = "bucket_name must be 3-63 lowercase letters, digits and hyphens, starting and ending with a letter or digit."
  }
}

variable "kms_key_arn" {
  description = "Customer-managed KMS key for default encryption (SSE-KMS with an S3 Bucket Key); it must be in the bucket's Region. Null: SSE-S3 (AES256), for a bucket read by unsigned requests (read_source_cidrs), which S3 refuses for SSE-KMS objects."
  type        = string

  validation {
    condition     = var.kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/", var.kms_key_arn))
    error_message = "kms_key_arn must be the ARN of a KMS key, or null for SSE-S3."
  }
}

variable "read_source_cidrs" {
  description = "CIDRs (IPv4 and IPv6) allowed to read objects without signing (s3:GetObject for any principal, only from these addresses), e.g. Cloudflare's ranges for a site Cloud Connector reads. Empty grants nothing; non-empty needs kms_key_arn = null (S3 refuses anonymous reads of SSE-KMS objects)."
  type        = list(string)
  default     = []
  nullable    = false

  validation {
    condition     = alltrue([for cidr in var.read_source_cidrs : can(cidrhost(cidr, 0))])
    error_message = "read_source_cidrs must hold CIDR blocks."
  }
}

variable "versioning" {
  description = "Keep every version of every object (needed for replication and AWS Backup)."
  type        = bool
  default     = true
}

variable "access_log_bucket_id" {
  description = "Name of the Region's access-log bucket (module.logs.bucket_id); server access logs go under s3/<bucket>/."
  type        = string
}

variable "noncurrent_version_expiration_days" {
  description = "Days a replaced or deleted object version is kept before it expires."
  type        = number
  default     = 90

  validation {
    condition     = var.noncurrent_version_expiration_days >= 1 && floor(var.noncurrent_version_expiration_days) == var.noncurrent_version_expiration_days
    error_message = "noncurrent_version_expiration_days must be a whole number of at least 1."
  }
}

variable "abort_incomplete_multipart_upload_days" {
  description = "Days after which unfinished multipart uploads are aborted (and their parts deleted)."
  type        = number
  default     = 7

  validation {
    condition     = var.abort_incomplete_multipart_upload_days >= 1 && floor(var.abort_incomplete_multipart_upload_days) == var.abort_incomplete_multipart_upload_days
    error_message = "abort_incomplete_multipart_upload_days must be a whole number of at least 1."
  }
}

variable "replication_destination_bucket_arn" {
  description = "ARN of a bucket in another Region: when set, every object is copied there by Cross-Region Replication with Replication Time Control (15-minute SLA). Null: no replication (the DR strategy decides)."
  type        = string
  default     = null

  validation {
    condition     = var.replication_destination_bucket_arn == null || can(regex("^arn:aws[a-z-]*:s3:::[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$", var.replication_destination_bucket_arn))
    error_message = "replication_destination_bucket_arn must be the ARN of an S3 bucket."
  }
}

variable "replication_destination_kms_key_arn" {
  description = "KMS key in the destination Region that encrypts the replicas; required with replication_destination_bucket_arn."
  type        = string
  default     = null

  validation {
    condition     = var.replication_destination_kms_key_arn == null || can(regex("^arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/", var.replication_destination_kms_key_arn))
    error_message = "replication_destination_kms_key_arn must be the ARN of a KMS key."
  }
}

variable "cloudfront_distribution_arn" {
  description = "ARN of a CloudFront distribution that reads the bucket through origin access control (a static site's origin); null grants CloudFront nothing."
  type        = string
  default     = null

  validation {
    condition     = var.cloudfront_distribution_arn == null || can(regex("^arn:aws[a-z-]*:cloudfront::[0-9]{12}:distribution/[A-Z0-9]+$", var.cloudfront_distribution_arn))
    error_message = "cloudfront_distribution_arn must be the ARN of a CloudFront distribution."
  }
}

variable "backup" {
  description = "Tag the bucket archgen:backup = true, the tag the Region's AWS Backup plan (backup module) selects by."
  type        = bool
  default     = true
}

variable "tags" {
  description = "Tags added to every resource of the module."
  type        = map(string)
  default     = {}
}
