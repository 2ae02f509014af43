terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 7.0"
    }
  }
}

module "notes" {
  source = "../../../templates/terraform/modules/lambda-function"

  name            = "notes-api-prod-notes"
  service_name    = "notes"
  s3_bucket       = "notes-api-artifacts-eu-west-1"
  s3_key          = "notes/1.4.2/function.zip"
  memory_mib      = 1024
  timeout_seconds = 29
  kms_key_arn     = aws_kms_key.this.arn
}

module "attachments" {
  source = "../../../templates/terraform/modules/lambda-function"

  name            = "notes-api-prod-attachments"
  service_name    = "attachments"
  s3_bucket       = "notes-api-artifacts-eu-west-1"
  s3_key          = "attachments/1.0.0/function.zip"
  memory_mib      = 512
  timeout_seconds = 29
  kms_key_arn     = aws_kms_key.this.arn
}

# Two services: a path prefix each, a custom domain and a JWT authorizer.
module "entry" {
  source = "../../../templates/terraform/modules/api-gateway-http"

  name            = "notes-api-prod-entry"
  kms_key_arn     = aws_kms_key.this.arn
  domain_name     = "api.notes.example.com"
  certificate_arn = "arn:aws:acm:eu-west-1:123456789012:certificate/0b5d2f8e-1c1a-4a8e-9b1e-6f0c2d3e4a5b"
  jwt_issuer      = "https://cognito-idp.eu-west-1.amazonaws.com/eu-west-1_AbCdEfGhI"
  jwt_audience    = ["4example0client0id0abcdefg"]

  routes = {
    "notes"       = { invoke_arn = module.notes.invoke_arn, function_name = module.notes.function_name }
    "attachments" = { invoke_arn = module.attachments.invoke_arn, function_name = module.attachments.function_name }
  }
}

# One service on the $default route, no custom domain.
module "entry_single" {
  source = "../../../templates/terraform/modules/api-gateway-http"

  name                   = "notes-api-prod-entry-recovery"
  kms_key_arn            = aws_kms_key.this.arn
  throttling_rate_limit  = 200
  throttling_burst_limit = 400

  routes = {
    "notes" = { invoke_arn = module.notes.invoke_arn, function_name = module.notes.function_name }
  }
}

output "api_endpoint" {
  value = module.entry.api_endpoint
}
