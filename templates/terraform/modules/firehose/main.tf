# A Data Firehose delivery stream into the data lake bucket: from a Kinesis data stream when one is given, Direct
# PUT otherwise; GZIP objects under date partitions, encrypted with the Region's key; errors logged to CloudWatch.
data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  account_id  = data.aws_caller_identity.current.account_id
  partition   = data.aws_partition.current.partition
  region      = split(":", var.kms_key_arn)[3] # the key lives in this stream's Region
  from_stream = var.source_stream_arn != null
  log_stream  = "DestinationDelivery"
  date_path   = "year=!{timestamp:yyyy}/month=!{timestamp:MM}/day=!{timestamp:dd}/hour=!{timestamp:HH}/"
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/kinesisfirehose/${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

resource "aws_cloudwatch_log_stream" "delivery" {
  name           = local.log_stream
  log_group_name = aws_cloudwatch_log_group.this.name
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["firehose.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "sts:ExternalId"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "this" {
  name_prefix        = "${substr(var.name, 0, 34)}-fh-"
  description        = "Data Firehose stream ${var.name}: reads its source, writes the lake bucket."
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = var.tags
}

data "aws_iam_policy_document" "delivery" {
  statement {
    sid = "WriteLakeObjects"
    actions = [
      "s3:AbortMultipartUpload",
      "s3:GetBucketLocation",
      "s3:GetObject",
      "s3:ListBucket",
      "s3:ListBucketMultipartUploads",
      "s3:PutObject",
    ]
    resources = [var.destination_bucket_arn, "${var.destination_bucket_arn}/*"]
  }

  statement {
    sid       = "EncryptLakeObjects"
    actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
    resources = [var.kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${local.region}.amazonaws.com"]
    }

    condition {
      test     = "StringLike"
      variable = "kms:EncryptionContext:aws:s3:arn"
      values   = ["${var.destination_bucket_arn}/*"]
    }
  }

  statement {
    sid       = "LogDeliveryErrors"
    actions   = ["logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:log-stream:${local.log_stream}"]
  }

  dynamic "statement" {
    for_each = local.from_stream ? [var.source_stream_arn] : []

    content {
      sid = "ReadSourceStream"
      actions = [
        "kinesis:DescribeStream",
        "kinesis:DescribeStreamSummary",
        "kinesis:GetShardIterator",
        "kinesis:GetRecords",
        "kinesis:ListShards",
      ]
      resources = [statement.value]
    }
  }

  dynamic "statement" {
    for_each = local.from_stream ? [var.kms_key_arn] : []

    content {
      sid       = "DecryptSourceStream"
      actions   = ["kms:Decrypt"]
      resources = [statement.value]

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["kinesis.${local.region}.amazonaws.com"]
      }
    }
  }
}

resource "aws_iam_role_policy" "delivery" {
  name   = "deliver-to-lake"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.delivery.json
}

resource "aws_kinesis_firehose_delivery_stream" "this" {
  name        = var.name
  destination = "extended_s3"
  tags        = var.tags

  dynamic "kinesis_source_configuration" {
    for_each = local.from_stream ? [var.source_stream_arn] : []

    content {
      kinesis_stream_arn = kinesis_source_configuration.value
      role_arn           = aws_iam_role.this.arn
    }
  }

  dynamic "server_side_encryption" {
    for_each = local.from_stream ? [] : [var.kms_key_arn]

    content {
      enabled  = true
      key_type = "CUSTOMER_MANAGED_CMK"
      key_arn  = server_side_encryption.value
    }
  }

  extended_s3_configuration {
    role_arn            = aws_iam_role.this.arn
    bucket_arn          = var.destination_bucket_arn
    buffering_size      = var.buffer_mb
    buffering_interval  = var.buffer_seconds
    compression_format  = "GZIP"
    kms_key_arn         = var.kms_key_arn
    prefix              = "${var.prefix}${local.date_path}"
    error_output_prefix = "errors/!{firehose:error-output-type}/${local.date_path}"

    cloudwatch_logging_options {
      enabled         = true
      log_group_name  = aws_cloudwatch_log_group.this.name
      log_stream_name = aws_cloudwatch_log_stream.delivery.name
    }
  }

  depends_on = [aws_iam_role_policy.delivery]
}

# What a producer needs to write to a Direct PUT stream (services write to the Kinesis source otherwise).
data "aws_iam_policy_document" "access" {
  statement {
    sid       = "PutRecords"
    actions   = ["firehose:PutRecord", "firehose:PutRecordBatch", "firehose:DescribeDeliveryStream"]
    resources = [aws_kinesis_firehose_delivery_stream.this.arn]
  }
}
