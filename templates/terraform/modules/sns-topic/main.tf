# A standard SNS topic encrypted with the Region's KMS key; the topic policy refuses anything but TLS.
locals {
  # The topic ARN names its Region; used to pin KMS use to SNS in that Region.
  region = split(":", aws_sns_topic.this.arn)[3]
}

resource "aws_sns_topic" "this" {
  name              = var.name
  kms_master_key_id = var.kms_key_arn
  signature_version = 2
  tags              = var.tags
}

data "aws_iam_policy_document" "topic" {
  statement {
    sid       = "DenyInsecureTransport"
    effect    = "Deny"
    actions   = ["sns:*"]
    resources = [aws_sns_topic.this.arn]

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
}

resource "aws_sns_topic_policy" "this" {
  arn    = aws_sns_topic.this.arn
  policy = data.aws_iam_policy_document.topic.json
}

# What a publisher needs: publish to this topic and encrypt with its key.
data "aws_iam_policy_document" "access" {
  statement {
    sid       = "PublishToTopic"
    actions   = ["sns:Publish", "sns:GetTopicAttributes"]
    resources = [aws_sns_topic.this.arn]
  }

  statement {
    sid       = "UseTopicKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["sns.${local.region}.amazonaws.com"]
    }
  }
}
