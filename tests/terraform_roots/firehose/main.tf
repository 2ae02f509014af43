# Standalone test root for the firehose module: the clickstream pipeline (Kinesis source) and a Direct PUT stream,
# with stand-ins for the shared KMS key and the lake bucket.
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

module "data_clicks" {
  source          = "../../../templates/terraform/modules/kinesis-stream"
  name            = "clickstream-prod-data-clicks"
  kms_key_arn     = aws_kms_key.shared.arn
  shard_count     = 4
  retention_hours = 24
}

module "lake_delivery" {
  source                 = "../../../templates/terraform/modules/firehose"
  name                   = "clickstream-prod-lake-delivery"
  kms_key_arn            = aws_kms_key.shared.arn
  destination_bucket_arn = aws_s3_bucket.lake.arn
  source_stream_arn      = module.data_clicks.arn
  buffer_mb              = 64
  buffer_seconds         = 300
}

module "events_delivery" {
  source                 = "../../../templates/terraform/modules/firehose"
  name                   = "order-events-prod-lake-delivery"
  kms_key_arn            = aws_kms_key.shared.arn
  destination_bucket_arn = aws_s3_bucket.lake.arn
  buffer_mb              = 64
  buffer_seconds         = 300
}

output "stream_arns" {
  value = [module.lake_delivery.arn, module.events_delivery.arn]
}
