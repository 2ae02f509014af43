# Test root for modules/s3-bucket: a data bucket as the planner sizes it, the same replicated to the recovery Region
# (Cross-Region Replication with Replication Time Control), a static site's origin read by CloudFront, and one read by
# Cloudflare through Cloud Connector (SSE-S3, unsigned reads from Cloudflare's ranges only).
terraform {
  required_version = ">= 1.6"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 7.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

module "data_attachments" {
  source = "../../../templates/terraform/modules/s3-bucket"

  name                 = "notes-api-prod-data-attachments"
  versioning           = true
  kms_key_arn          = aws_kms_key.test.arn
  access_log_bucket_id = aws_s3_bucket.logs.id
}

module "data_images" {
  source = "../../../templates/terraform/modules/s3-bucket"

  name                                = "global-catalog-prod-data-images"
  versioning                          = true
  kms_key_arn                         = aws_kms_key.test.arn
  access_log_bucket_id                = aws_s3_bucket.logs.id
  replication_destination_bucket_arn  = "arn:aws:s3:::global-catalog-prod-data-images-recovery-123456789012-eu-west-3"
  replication_destination_kms_key_arn = "arn:aws:kms:eu-west-3:123456789012:key/0d6c4f1e-8a2b-4c3d-9e5f-1a2b3c4d5e6f"
}

module "site" {
  source = "../../../templates/terraform/modules/s3-bucket"

  name                        = "a-rather-long-marketing-site-name-prod-site"
  versioning                  = true
  kms_key_arn                 = aws_kms_key.test.arn
  access_log_bucket_id        = aws_s3_bucket.logs.id
  cloudfront_distribution_arn = "arn:aws:cloudfront::123456789012:distribution/E2QWRUHAPOMQZL"
}

module "cloudflare_site" {
  source = "../../../templates/terraform/modules/s3-bucket"

  name                 = "marketing-site-prod-site"
  versioning           = true
  kms_key_arn          = null
  access_log_bucket_id = aws_s3_bucket.logs.id
  read_source_cidrs    = ["173.245.48.0/20", "103.21.244.0/22", "2400:cb00::/32", "2606:4700::/32"]
}

output "attachments_access_policy_json" {
  description = "Policy a service would be given to use the bucket."
  value       = module.data_attachments.access_policy_json
}

output "images_replication_role_arn" {
  description = "Role S3 replicates the images bucket with."
  value       = module.data_images.replication_role_arn
}

output "site_origin_domain_name" {
  description = "Origin domain a CloudFront distribution would use."
  value       = module.site.bucket_regional_domain_name
}
