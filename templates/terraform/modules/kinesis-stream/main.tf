# A provisioned Kinesis data stream, encrypted with the Region's KMS key, with shard-level metrics for scaling.
locals {
  # The stream ARN names its Region; used to pin KMS use to Kinesis in that Region.
  region = split(":", aws_kinesis_stream.this.arn)[3]
}

resource "aws_kinesis_stream" "this" {
  name                      = var.name
  shard_count               = var.shard_count
  retention_period          = var.retention_hours
  encryption_type           = "KMS"
  kms_key_id                = var.kms_key_arn
  shard_level_metrics       = var.shard_level_metrics
  enforce_consumer_deletion = false
  tags                      = var.tags

  stream_mode_details {
    stream_mode = "PROVISIONED"
  }
}

# What a producer or consumer needs: put and get records, describe the stream, and the key to do it with.
data "aws_iam_policy_document" "access" {
  statement {
    sid = "UseStream"
    actions = [
      "kinesis:PutRecord",
      "kinesis:PutRecords",
      "kinesis:GetRecords",
      "kinesis:GetShardIterator",
      "kinesis:DescribeStream",
      "kinesis:DescribeStreamSummary",
      "kinesis:ListShards",
    ]
    resources = [aws_kinesis_stream.this.arn]
  }

  statement {
    sid       = "UseStreamKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["kinesis.${local.region}.amazonaws.com"]
    }
  }
}
