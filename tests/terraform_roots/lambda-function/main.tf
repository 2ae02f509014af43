terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 7.0"
    }
  }
}

# A serverless API function with no VPC (its stores are DynamoDB and S3).
module "notes" {
  source = "../../../templates/terraform/modules/lambda-function"

  name            = "notes-api-prod-notes"
  service_name    = "notes"
  s3_bucket       = "notes-api-artifacts-eu-west-1"
  s3_key          = "notes/1.4.2/function.zip"
  memory_mib      = 1024
  timeout_seconds = 29
  architecture    = "arm64"
  kms_key_arn     = aws_kms_key.this.arn
}

# A worker attached to the VPC (it reaches a database there), with a managed runtime and a long name.
module "fulfilment_worker" {
  source = "../../../templates/terraform/modules/lambda-function"

  name                 = "order-events-processing-prod-fulfilment-worker-recovery"
  service_name         = "fulfilment-worker"
  s3_bucket            = "order-events-artifacts-eu-west-1"
  s3_key               = "fulfilment-worker/2.0.0/function.zip"
  s3_object_version    = "3HL4kqtJlcpXroDTDmjVBH40Nrjfkd"
  runtime              = "python3.12"
  handler              = "app.handler"
  memory_mib           = 512
  timeout_seconds      = 60
  reserved_concurrency = 20
  kms_key_arn          = aws_kms_key.this.arn
  in_vpc               = true
  vpc_id               = aws_vpc.this.id
  vpc_cidr_block       = aws_vpc.this.cidr_block
  subnet_ids           = aws_subnet.private[*].id

  environment = {
    LOG_LEVEL = "info"
  }
}

output "notes_security_group_id" {
  value = module.notes.security_group_id
}
