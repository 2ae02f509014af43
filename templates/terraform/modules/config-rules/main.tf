# AWS Config for the Region: a recorder of every supported resource type (global ones — IAM — in one Region only),
# delivering configuration history and snapshots to a private bucket of its own (versioned, SSE-KMS, public access
# blocked, TLS only, AWS Config allowed for this account only, expiring after the retention period, its access logged
# to the Region's log bucket), recorded through a role with the AWS managed policy AWS_ConfigRole. On top: the AWS
# managed rules the design's compliance regimes ask for and, optionally, a conformance pack. `enabled = false`
# creates nothing (the organisation, e.g. AWS Control Tower, records the account already).

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  count = var.enabled ? 1 : 0

  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name
  account_id = data.aws_caller_identity.current.account_id

  # <name>-<account>-<region>; a name too long for S3's 63 characters is shortened with a hash suffix.
  suffix      = "${local.account_id}-${local.region}"
  room        = 62 - length(local.suffix)
  stem        = length(var.name) <= local.room ? var.name : "${trim(substr(var.name, 0, local.room - 9), "-")}-${substr(sha1(var.name), 0, 8)}"
  bucket_name = coalesce(var.bucket_name, "${local.stem}-${local.suffix}")
  bucket_arn  = "arn:${local.partition}:s3:::${local.bucket_name}"

  # Where AWS Config writes (no key prefix): AWSLogs/<account>/Config/<region>/…
  delivery_objects_arn = "${local.bucket_arn}/AWSLogs/${local.account_id}/Config/*"

  rules = var.enabled ? { for rule in var.rules : rule.name => rule } : {}
}

# -- the configuration history bucket ----------------------------------------------------------------------------------
resource "aws_s3_bucket" "this" {
  #checkov:skip=CKV_AWS_144:Configuration history describes this Region's resources and AWS Config rebuilds it from the live resources; a cross-Region copy belongs in the organisation's log-archive account, which this workload module does not own.
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

  # AWS Config delivers through the recorder's role; these let it check and write the bucket as the service too.
  statement {
    sid       = "AWSConfigChecksTheBucket"
    actions   = ["s3:GetBucketAcl", "s3:ListBucket"]
    resources = [local.bucket_arn]

    principals {
      type        = "Service"
      identifiers = ["config.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }

  statement {
    sid       = "AWSConfigWritesThisAccountsHistory"
    actions   = ["s3:PutObject"]
    resources = [local.delivery_objects_arn]

    principals {
      type        = "Service"
      identifiers = ["config.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "s3:x-amz-acl"
      values   = ["bucket-owner-full-control"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_s3_bucket_policy" "this" {
  count = local.count

  bucket = aws_s3_bucket.this[0].id
  policy = data.aws_iam_policy_document.bucket.json

  depends_on = [aws_s3_bucket_public_access_block.this]
}

# -- the recorder's role -------------------------------------------------------------------------------------------------
data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["config.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

resource "aws_iam_role" "this" {
  count = local.count

  name               = "${var.name}-recorder"
  description        = "AWS Config records ${local.region}'s resources and delivers them to ${local.bucket_name}"
  assume_role_policy = data.aws_iam_policy_document.assume.json
  tags               = var.tags
}

resource "aws_iam_role_policy_attachment" "managed" {
  count = local.count

  role       = aws_iam_role.this[0].name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AWS_ConfigRole"
}

data "aws_iam_policy_document" "delivery" {
  statement {
    sid       = "CheckTheBucket"
    actions   = ["s3:GetBucketAcl", "s3:ListBucket"]
    resources = [local.bucket_arn]
  }

  statement {
    sid       = "WriteHistoryAndSnapshots"
    actions   = ["s3:PutObject"]
    resources = [local.delivery_objects_arn]

    condition {
      test     = "StringEquals"
      variable = "s3:x-amz-acl"
      values   = ["bucket-owner-full-control"]
    }
  }

  statement {
    sid       = "EncryptThroughS3"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${local.region}.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "delivery" {
  count = local.count

  name   = "deliver-to-${local.bucket_name}"
  role   = aws_iam_role.this[0].id
  policy = data.aws_iam_policy_document.delivery.json
}

# -- recorder, delivery channel, status ----------------------------------------------------------------------------------
resource "aws_config_configuration_recorder" "this" {
  #checkov:skip=CKV2_AWS_48:Every supported type is recorded; global types (IAM) only where include_global_resource_types is true, in one Region of the account, because recording them in every Region records and bills each IAM change once per Region.
  count = local.count

  name     = var.name
  role_arn = aws_iam_role.this[0].arn

  recording_group {
    all_supported                 = true
    include_global_resource_types = var.include_global_resource_types

    recording_strategy {
      use_only = "ALL_SUPPORTED_RESOURCE_TYPES"
    }
  }

  recording_mode {
    recording_frequency = var.recording_frequency
  }

  depends_on = [aws_iam_role_policy_attachment.managed]
}

resource "aws_config_delivery_channel" "this" {
  count = local.count

  name           = var.name
  s3_bucket_name = aws_s3_bucket.this[0].id
  s3_kms_key_arn = var.kms_key_arn

  snapshot_delivery_properties {
    delivery_frequency = var.snapshot_delivery_frequency
  }

  depends_on = [aws_config_configuration_recorder.this, aws_s3_bucket_policy.this, aws_iam_role_policy.delivery]

  lifecycle {
    precondition {
      condition     = split(":", var.kms_key_arn)[3] == local.region
      error_message = "kms_key_arn must be a key in the recorder's Region (the provider's Region)."
    }
  }
}

resource "aws_config_configuration_recorder_status" "this" {
  count = local.count

  name       = aws_config_configuration_recorder.this[0].name
  is_enabled = true

  depends_on = [aws_config_delivery_channel.this]
}

# -- rules and conformance pack ------------------------------------------------------------------------------------------
resource "aws_config_config_rule" "this" {
  for_each = local.rules

  name                        = "${var.name}-${each.key}"
  description                 = each.value.description
  input_parameters            = each.value.input_parameters
  maximum_execution_frequency = each.value.maximum_execution_frequency

  source {
    owner             = "AWS"
    source_identifier = each.value.source_identifier
  }

  tags = var.tags

  depends_on = [aws_config_configuration_recorder_status.this]
}

resource "aws_config_conformance_pack" "this" {
  count = var.enabled && var.conformance_pack != null ? 1 : 0

  name          = var.conformance_pack.name
  template_body = var.conformance_pack.template_body

  dynamic "input_parameter" {
    for_each = var.conformance_pack.input_parameters
    content {
      parameter_name  = input_parameter.key
      parameter_value = input_parameter.value
    }
  }

  depends_on = [aws_config_configuration_recorder_status.this]
}
