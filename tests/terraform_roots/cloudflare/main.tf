# Standalone test root for the cloudflare module: an application behind an ALB with the WAF ruleset and rate limit
# (as for a design with edge.cdn cloudflare and edge.waf), and a static site from S3 (marketing-site style).
# Validate with the cloudflare/cloudflare stand-in (tests/validators.py); the real provider is not on this machine.
terraform {
  required_version = ">= 1.6"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 7.0"
    }
    cloudflare = {
      source  = "cloudflare/cloudflare"
      version = ">= 5.0, < 6.0"
    }
  }
}

provider "aws" {
  region = "eu-west-1"
}

variable "cloudflare_api_token" {
  description = "Cloudflare API token with zone DNS, settings and ruleset edit rights."
  type        = string
  sensitive   = true
  default     = null
}

provider "cloudflare" {
  api_token = var.cloudflare_api_token
}

module "edge" {
  source              = "../../../templates/terraform/modules/cloudflare"
  name                = "orders-api-prod-edge"
  zone_id             = "023e105f4ecef8ad9ca31a8372d0c353"
  domain_name         = "api.example.com"
  origin_hostname     = "orders-api-prod-entry-1234567890.eu-west-1.elb.amazonaws.com"
  enable_waf          = true
  rate_limit_per_5min = 2000
}

module "site_edge" {
  source           = "../../../templates/terraform/modules/cloudflare"
  name             = "marketing-site-prod-edge"
  zone_id          = "8f2a6c1e9b3d4f5a6b7c8d9e0f1a2b3c"
  domain_name      = "www.example.org"
  origin_type      = "s3"
  origin_hostname  = "marketing-site-prod-site.s3.eu-west-1.amazonaws.com"
  cache_everything = true
}

output "hostnames" {
  value = [module.edge.hostname, module.site_edge.hostname]
}

output "site_bucket_reader_cidrs" {
  value = module.site_edge.cloudflare_ipv4_cidrs
}

output "rate_limit_requests_per_minute" {
  value = module.edge.rate_limit_requests_per_period
}
