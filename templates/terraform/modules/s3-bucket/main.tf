# One private S3 bucket: versioned, SSE-KMS with an S3 Bucket Key, public access blocked, ACLs disabled
# (BucketOwnerEnforced), TLS-only bucket policy, server access logs to the Region's log bucket, old versions and
# unfinished uploads cleaned up, every event sent to EventBridge. Optionally: Cross-Region Replication with
# Replication Time Control (the DR strategy sets the destination) and read access for a CloudFront distribution
# through origin access control (a static site's origin), or unsigned reads from fixed CIDRs (a static site that
# Cloudflare reads through Cloud Connector), which need SSE-S3 instead of SSE-KMS.

data "aws_caller_identity" "current" {}
data "aws_region" "current" {}

locals {
  # The bucket lives in its KMS key's Region (SSE-KMS needs a key in the same Region); with SSE-S3 (no key), in the
  # provider's Region.
  sse_kms = var.kms_key_arn != null
  region  = local.sse_kms ? split(":", var.kms_key_arn)[3] : data.aws_region.current.name

  # <name>-<account>-<region>; a name too long for S3's 63 characters is shortened with a hash suffix.
  suffix      = "${data.aws_caller_identity.current.account_id}-${local.region}"
  clean_name  = trim(replace(var.name, "/[^a-z0-9]+/", "-"), "-")
  room        = 62 - length(local.suffix)
  stem        = length(local.clean_name) <= local.room ? local.clean_name : "${trim(substr(local.clean_name, 0, local.room - 9), "-")}-${substr(sha1(local.clean_name), 0, 8)}"
  bucket_name = coalesce(var.bucket_name, "${local.stem}-${local.suffix}")

  replicate = var.replication_destination_bucket_arn != null

  # The Region's AWS Backup plan selects resources by this tag.
  backup_tags = var.backup ? { "archgen:backup" = "true" } : {}
}

resource "aws_s3_bucket" "this" {
  #checkov:skip=CKV_AWS_144:Cross-Region Replication is set by the design's DR strategy through replication_destination_bucket_arn (aws_s3_bucket_replication_configuration below); without it the strategy recovers from AWS Backup copies in the recovery Region.
  bucket        = local.bucket_name
  force_destroy = false
  tags          = merge(var.tags, local.backup_tags)
}

resource "aws_s3_bucket_public_access_block" "this" {
  bucket                  = aws_s3_bucket.this.id
  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

resource "aws_s3_bucket_versioning" "this" {
  bucket = aws_s3_bucket.this.id

  versioning_configuration {
    status = var.versioning ? "Enabled" : "Suspended"
  }
}

# SSE-KMS with the customer-managed key, or SSE-S3 (AES256) without one: S3 refuses anonymous requests for SSE-KMS
# objects (KMS needs Signature Version 4: https://repost.aws/knowledge-center/s3-kms-signature-version-error), so a
# bucket read by unsigned requests (read_source_cidrs) must use SSE-S3. That is deliberate where checkov's
# CKV_AWS_145 (KMS by default) would flag it; it does not resolve the conditional, so no skip is needed.
resource "aws_s3_bucket_server_side_encryption_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    bucket_key_enabled = local.sse_kms

    apply_server_side_encryption_by_default {
      sse_algorithm     = local.sse_kms ? "aws:kms" : "AES256"
      kms_master_key_id = var.kms_key_arn
    }
  }
}

resource "aws_s3_bucket_logging" "this" {
  bucket        = aws_s3_bucket.this.id
  target_bucket = var.access_log_bucket_id
  target_prefix = "s3/${aws_s3_bucket.this.id}/"
}

resource "aws_s3_bucket_lifecycle_configuration" "this" {
  bucket = aws_s3_bucket.this.id

  rule {
    id     = "expire-old-versions-and-abandoned-uploads"
    status = "Enabled"

    filter {}

    noncurrent_version_expiration {
      noncurrent_days = var.noncurrent_version_expiration_days
    }

    abort_incomplete_multipart_upload {
      days_after_initiation = var.abort_incomplete_multipart_upload_days
    }
  }

  depends_on = [aws_s3_bucket_versioning.this]
}

resource "aws_s3_bucket_notification" "this" {
  bucket      = aws_s3_bucket.this.id
  eventbridge = true
}

data "aws_iam_policy_document" "bucket" {
  statement {
    sid     = "DenyInsecureTransport"
    effect  = "Deny"
    actions = ["s3:*"]
    resources = [
      aws_s3_bucket.this.arn,
      "${aws_s3_bucket.this.arn}/*",
    ]

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

  dynamic "statement" {
    for_each = var.cloudfront_distribution_arn == null ? [] : [var.cloudfront_distribution_arn]
    content {
      sid       = "CloudFrontOriginAccessControlReads"
      actions   = ["s3:GetObject"]
      resources = ["${aws_s3_bucket.this.arn}/*"]

      principals {
        type        = "Service"
        identifiers = ["cloudfront.amazonaws.com"]
      }

      condition {
        test     = "StringEquals"
        variable = "AWS:SourceArn"
        values   = [statement.value]
      }
    }
  }

  # Unsigned reads from fixed CIDRs only (Cloudflare's ranges for a Cloud Connector origin: Cloud Connector does not
  # sign its requests to S3). Block Public Access stays on: S3 does not count a policy as public when it limits access
  # to a set of CIDRs with aws:SourceIp ("The meaning of public",
  # https://docs.aws.amazon.com/AmazonS3/latest/userguide/access-control-block-public-access.html).
  dynamic "statement" {
    for_each = length(var.read_source_cidrs) == 0 ? [] : [var.read_source_cidrs]
    content {
      sid       = "UnsignedReadsFromSourceCidrs"
      actions   = ["s3:GetObject"]
      resources = ["${aws_s3_bucket.this.arn}/*"]

      principals {
        type        = "*"
        identifiers = ["*"]
      }

      condition {
        test     = "IpAddress"
        variable = "aws:SourceIp"
        values   = statement.value
      }
    }
  }
}

resource "aws_s3_bucket_policy" "this" {
  bucket = aws_s3_bucket.this.id
  policy = data.aws_iam_policy_document.bucket.json

  depends_on = [aws_s3_bucket_public_access_block.this]

  lifecycle {
    precondition {
      condition     = length(var.read_source_cidrs) == 0 || var.kms_key_arn == null
      error_message = "read_source_cidrs needs kms_key_arn = null: S3 refuses unsigned reads of SSE-KMS objects."
    }
  }
}

# Cross-Region Replication (only with a destination): a role S3 assumes to copy new objects, deletes (markers) and
# tags, re-encrypting them with the destination Region's key, within 15 minutes (Replication Time Control).
data "aws_iam_policy_document" "replication_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["s3.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [data.aws_caller_identity.current.account_id]
    }
  }
}

resource "aws_iam_role" "replication" {
  count = local.replicate ? 1 : 0

  name               = "${substr(local.clean_name, 0, 53)}-s3-crr"
  description        = "S3 Cross-Region Replication of ${local.bucket_name}"
  assume_role_policy = data.aws_iam_policy_document.replication_assume.json
  tags               = var.tags
}

data "aws_iam_policy_document" "replication" {
  count = local.replicate ? 1 : 0

  statement {
    sid       = "ReadReplicationConfiguration"
    actions   = ["s3:GetReplicationConfiguration", "s3:ListBucket"]
    resources = [aws_s3_bucket.this.arn]
  }

  statement {
    sid       = "ReadSourceVersions"
    actions   = ["s3:GetObjectVersionForReplication", "s3:GetObjectVersionAcl", "s3:GetObjectVersionTagging"]
    resources = ["${aws_s3_bucket.this.arn}/*"]
  }

  statement {
    sid       = "WriteReplicas"
    actions   = ["s3:ReplicateObject", "s3:ReplicateDelete", "s3:ReplicateTags"]
    resources = ["${var.replication_destination_bucket_arn}/*"]
  }

  dynamic "statement" {
    for_each = local.sse_kms ? [var.kms_key_arn] : []
    content {
      sid       = "DecryptSourceObjects"
      actions   = ["kms:Decrypt"]
      resources = [statement.value]

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["s3.${local.region}.amazonaws.com"]
      }
    }
  }

  statement {
    sid       = "EncryptReplicas"
    actions   = ["kms:Encrypt", "kms:GenerateDataKey"]
    resources = [var.replication_destination_kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["s3.${split(":", var.replication_destination_kms_key_arn)[3]}.amazonaws.com"]
    }
  }
}

resource "aws_iam_role_policy" "replication" {
  count = local.replicate ? 1 : 0

  name   = "replicate-${local.bucket_name}"
  role   = aws_iam_role.replication[0].id
  policy = data.aws_iam_policy_document.replication[0].json
}

resource "aws_s3_bucket_replication_configuration" "this" {
  count = local.replicate ? 1 : 0

  bucket = aws_s3_bucket.this.id
  role   = aws_iam_role.replication[0].arn

  rule {
    id       = "replicate-everything"
    status   = "Enabled"
    priority = 0

    filter {}

    delete_marker_replication {
      status = "Enabled"
    }

    source_selection_criteria {
      sse_kms_encrypted_objects {
        status = "Enabled"
      }
    }

    destination {
      bucket        = var.replication_destination_bucket_arn
      storage_class = "STANDARD"

      encryption_configuration {
        replica_kms_key_id = var.replication_destination_kms_key_arn
      }

      replication_time {
        status = "Enabled"

        time {
          minutes = 15
        }
      }

      metrics {
        status = "Enabled"

        event_threshold {
          minutes = 15
        }
      }
    }
  }

  depends_on = [aws_s3_bucket_versioning.this, aws_iam_role_policy.replication]

  lifecycle {
    precondition {
      condition     = var.versioning && var.replication_destination_kms_key_arn != null
      error_message = "Cross-Region Replication needs versioning and replication_destination_kms_key_arn."
    }
  }
}

# What a service needs: list the bucket, read, write and delete objects, and use the bucket's key (if any) through S3.
data "aws_iam_policy_document" "access" {
  statement {
    sid       = "ListBucket"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.this.arn]
  }

  statement {
    sid       = "ReadWriteObjects"
    actions   = ["s3:AbortMultipartUpload", "s3:DeleteObject", "s3:GetObject", "s3:PutObject"]
    resources = ["${aws_s3_bucket.this.arn}/*"]
  }

  dynamic "statement" {
    for_each = local.sse_kms ? [var.kms_key_arn] : []
    content {
      sid       = "UseBucketKeyThroughS3"
      actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
      resources = [statement.value]

      condition {
        test     = "StringEquals"
        variable = "kms:ViaService"
        values   = ["s3.${local.region}.amazonaws.com"]
      }
    }
  }
}
