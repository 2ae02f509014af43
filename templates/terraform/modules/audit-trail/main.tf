# The account's audit trail: a multi-Region CloudTrail trail (management events of every Region, global service
# events, log file integrity validation) encrypted with the Region's KMS key, written to a private bucket of its own
# (versioned, SSE-KMS, public access blocked, TLS only, CloudTrail allowed for this trail only, expiring after the
# retention period, its access logged to the Region's log bucket). Optionally: a CloudWatch Logs copy for metric
# filters and alarms, and S3/Lambda data events. `enabled = false` creates nothing (an organisation trail, such as
# AWS Control Tower's, already records the account).

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  count = var.enabled ? 1 : 0

  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name
  account_id = data.aws_caller_identity.current.account_id

  # Known before the trail exists (and without the key), so the bucket and key policies can name it.
  trail_arn = "arn:${local.partition}:cloudtrail:${local.region}:${local.account_id}:trail/${var.name}"

  # <name>-<account>-<region>; a name too long for S3's 63 characters is shortened with a hash suffix.
  suffix      = "${local.account_id}-${local.region}"
  room        = 62 - length(local.suffix)
  stem        = length(var.name) <= local.room ? var.name : "${trim(substr(var.name, 0, local.room - 9), "-")}-${substr(sha1(var.name), 0, 8)}"
  bucket_name = coalesce(var.bucket_name, "${local.stem}-${local.suffix}")
  bucket_arn  = "arn:${local.partition}:s3:::${local.bucket_name}"

  cloudwatch_count = var.enabled && var.cloudwatch_logs_enabled ? 1 : 0
  log_group_name   = "/aws/cloudtrail/${var.name}"
}

# -- the trail's bucket ------------------------------------------------------------------------------------------------
resource "aws_s3_bucket" "this" {
  #checkov:skip=CKV_AWS_144:The trail is multi-Region already (one bucket holds every Region's events); a cross-Region copy of audit logs belongs in the organisation's log-archive account, which this workload module does not own.
  count = local.count

  bucket        = local.bucket_name
  force_destroy = false
  tags          = var.tags
}

resource "aws_s3_bucket_public_access_block" "this" {
  count = local.count

  bucket                  = aws_s3_bucket.this[0].id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "this" {
  count = local.count

  bucket = aws_s3_bucket.this[0].id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_versioning" "this" {
  count = local.count

  bucket = aws_s3_bucket.this[0].id

  versioning_configuration {
    status = "Enabled"
  }
}

resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  count = local.count

  bucket = aws_s3_bucket.this[0].id

  rule {
    bucket_key_enabled = true

    apply_server_side_encryption_by_default {
      sse_algorithm     = "aws:kms"
      kms_master_key_id = var.kms_key_arn
    }
  }
}

resource "aws_s3_bucket_logging" "this" {
  count = local.count

  bucket        = aws_s3_bucket.this[0].id
  target_bucket = var.access_log_bucket_id
  target_prefix = "s3/${aws_s3_bucket.this[0].id}/"
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  count = local.count

  bucket = aws_s3_bucket.this[0].id

  rule {
    id     = "expire-after-retention"
    status = "Enabled"

    filter {}

    dynamic "transition" {
      for_each = var.archive_after_days == null ? [] : [var.archive_after_days]
      content {
        days          = transition.value
        storage_class = "GLACIER"
      }
    }

    expiration {
      days = var.retention_days
    }

    noncurrent_version_expiration {
      noncurrent_days = 30
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = 7
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]

  lifecycle {
    precondition {
      condition     = var.archive_after_days == null || try(var.archive_after_days < var.retention_days, false)
      error_message = "archive_after_days must be less than retention_days."
    }
  }
}

resource "aws_s3_bucket_notification" "this" {
  count = local.count

  bucket      = aws_s3_bucket.this[0].id
  eventbridge = true
}

data "aws_iam_policy_document" "bucket" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [local.bucket_arn, "${local.bucket_arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }

  statement {
    sid       = "CloudTrailChecksTheBucketAcl"
    actions   = ["s3:GetBucketAcl"]
    resources = [local.bucket_arn]

    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceArn"
      values   = [local.trail_arn]
    }
  }

  statement {
    sid       = "CloudTrailWritesThisTrailsLogs"
    actions   = ["s3:PutObject"]
    resources = ["${local.bucket_arn}/AWSLogs/${local.account_id}/*"]

    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "s3:x-amz-acl"
      values   = ["bucket-owner-full-control"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceArn"
      values   = [local.trail_arn]
    }
  }
}

resource "aws_s3_bucket_policy" "this" {
  count = local.count

  bucket = aws_s3_bucket.this[0].id
  policy = data.aws_iam_policy_document.bucket.json

  depends_on = [aws_s3_bucket_public_access_block.this]
}

# -- optional CloudWatch Logs copy ---------------------------------------------------------------------------------------
resource "aws_cloudwatch_log_group" "this" {
  count = local.cloudwatch_count

  name              = local.log_group_name
  retention_in_days = var.cloudwatch_logs_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

data "aws_iam_policy_document" "cloudwatch_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceArn"
      values   = [local.trail_arn]
    }
  }
}

resource "aws_iam_role" "cloudwatch" {
  count = local.cloudwatch_count

  name               = "${substr(var.name, 0, 47)}-cloudtrail-logs"
  description        = "CloudTrail trail ${var.name} writes its events to ${local.log_group_name}"
  assume_role_policy = data.aws_iam_policy_document.cloudwatch_assume.json
  tags               = var.tags
}

data "aws_iam_policy_document" "cloudwatch" {
  count = local.cloudwatch_count

  statement {
    sid       = "WriteTheTrailsLogStreams"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this[0].arn}:log-stream:*"]
  }
}

resource "aws_iam_role_policy" "cloudwatch" {
  count = local.cloudwatch_count

  name   = "cloudtrail-to-cloudwatch-logs"
  role   = aws_iam_role.cloudwatch[0].id
  policy = data.aws_iam_policy_document.cloudwatch[0].json
}

# -- the trail -------------------------------------------------------------------------------------------------------------
resource "aws_cloudtrail" "this" {
  #checkov:skip=CKV_AWS_252:An SNS notice per delivered log file is noise; alerts on API activity come from the CloudWatch Logs copy (metric filters) and EventBridge, not from file deliveries.
  count = local.count

  name                          = var.name
  s3_bucket_name                = aws_s3_bucket.this[0].id
  kms_key_id                    = var.kms_key_arn
  is_multi_region_trail         = true
  include_global_service_events = true
  enable_log_file_validation    = true
  enable_logging                = true

  cloud_watch_logs_group_arn = local.cloudwatch_count == 1 ? "${aws_cloudwatch_log_group.this[0].arn}:*" : null
  cloud_watch_logs_role_arn  = local.cloudwatch_count == 1 ? aws_iam_role.cloudwatch[0].arn : null

  advanced_event_selector {
    name = "Management events"

    field_selector {
      field  = "eventCategory"
      equals = ["Management"]
    }
  }

  dynamic "advanced_event_selector" {
    for_each = var.s3_data_events ? [1] : []
    content {
      name = "S3 object-level events, except the trail's own bucket"

      field_selector {
        field  = "eventCategory"
        equals = ["Data"]
      }

      field_selector {
        field  = "resources.type"
        equals = ["AWS::S3::Object"]
      }

      field_selector {
        field           = "resources.ARN"
        not_starts_with = ["${local.bucket_arn}/"]
      }
    }
  }

  dynamic "advanced_event_selector" {
    for_each = var.lambda_data_events ? [1] : []
    content {
      name = "Lambda invocations"

      field_selector {
        field  = "eventCategory"
        equals = ["Data"]
      }

      field_selector {
        field  = "resources.type"
        equals = ["AWS::Lambda::Function"]
      }
    }
  }

  tags = var.tags

  depends_on = [aws_s3_bucket_policy.this, aws_iam_role_policy.cloudwatch]

  lifecycle {
    precondition {
      condition     = split(":", var.kms_key_arn)[3] == local.region
      error_message = "kms_key_arn must be a key in the trail's home Region (the provider's Region)."
    }
  }
}

# What the KMS key's policy must allow so the trail can encrypt its log files (a root merges it into the key policy
# through source_policy_documents). Only names and the account go into it, so it is known before the trail exists.
data "aws_iam_policy_document" "key" {
  statement {
    sid       = "CloudTrailEncryptsThisTrailsLogs"
    actions   = ["kms:GenerateDataKey*"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceArn"
      values   = [local.trail_arn]
    }

    condition {
      test     = "StringLike"
      variable = "kms:EncryptionContext:aws:cloudtrail:arn"
      values   = ["arn:${local.partition}:cloudtrail:*:${local.account_id}:trail/*"]
    }
  }

  statement {
    sid       = "CloudTrailDescribesTheKey"
    actions   = ["kms:DescribeKey"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["cloudtrail.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceArn"
      values   = [local.trail_arn]
    }
  }
}
