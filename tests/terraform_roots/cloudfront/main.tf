# Standalone test root for the cloudfront module: an API behind an ALB with a CLOUDFRONT-scope WAF
# (payments-platform style) and a static site from a private S3 bucket (marketing-site style), with stand-ins for
# the log bucket and the site bucket.
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

provider "aws" {
  alias  = "us_east_1"
  region = "us-east-1"
}

module "waf" {
  source              = "../../../templates/terraform/modules/waf"
  providers           = { aws = aws.us_east_1 }
  name                = "payments-platform-prod-waf"
  scope               = "CLOUDFRONT"
  rate_limit_per_5min = 2000
  kms_key_arn         = null
}

module "edge" {
  source = "../../../templates/terraform/modules/cloudfront"
  providers = {
    aws           = aws
    aws.us_east_1 = aws.us_east_1
  }
  name                       = "payments-platform-prod-edge"
  domain_name                = "pay.example.com"
  origin_type                = "alb"
  origin_domain_name         = "payments-platform-prod-entry-1234567890.eu-west-1.elb.amazonaws.com"
  origin_verify_header_value = "0f3c1c2e-edge-only-5b8e"
  price_class                = "PriceClass_100"
  web_acl_arn                = module.waf.web_acl_arn
  log_bucket_arn             = aws_s3_bucket.logs.arn
}

module "site_edge" {
  source = "../../../templates/terraform/modules/cloudfront"
  providers = {
    aws           = aws
    aws.us_east_1 = aws.us_east_1
  }
  name               = "marketing-site-prod-edge"
  domain_name        = "www.example.com"
  origin_type        = "s3"
  origin_domain_name = aws_s3_bucket.site.bucket_regional_domain_name
  origin_bucket_arn  = aws_s3_bucket.site.arn
  price_class        = "PriceClass_100"
  log_bucket_arn     = aws_s3_bucket.logs.arn
}

output "distribution_domain_names" {
  value = [module.edge.domain_name, module.site_edge.domain_name]
}

output "certificate_validation_records" {
  value = concat(module.edge.certificate_validation_records, module.site_edge.certificate_validation_records)
}
