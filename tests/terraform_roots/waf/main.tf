# Standalone test root for the waf module: a REGIONAL web ACL on an ALB (orders-api style) and a CLOUDFRONT one
# created through the us-east-1 provider with its own log key (payments-platform style).
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

module "waf_regional" {
  source                   = "../../../templates/terraform/modules/waf"
  name                     = "orders-api-prod-waf"
  scope                    = "REGIONAL"
  rate_limit_per_5min      = 2000
  kms_key_arn              = aws_kms_key.shared.arn
  associated_resource_arns = ["arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/orders-api-prod-entry/50dc6c495c0c9188"]
}

module "waf_cloudfront" {
  source              = "../../../templates/terraform/modules/waf"
  providers           = { aws = aws.us_east_1 }
  name                = "payments-platform-prod-waf"
  scope               = "CLOUDFRONT"
  rate_limit_per_5min = 2000
  kms_key_arn         = null
}

output "web_acl_arns" {
  value = [module.waf_regional.web_acl_arn, module.waf_cloudfront.web_acl_arn]
}
