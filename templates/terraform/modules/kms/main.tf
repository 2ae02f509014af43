# One customer-managed key per Region root, rotated yearly. The key policy keeps the account in control (IAM
# policies grant use) and lets the AWS services archgen's modules use encrypt with it in this account only.
data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  account_id = data.aws_caller_identity.current.account_id
  partition  = data.aws_partition.current.partition
  region     = data.aws_region.current.name
}

data "aws_iam_policy_document" "key" {
  #checkov:skip=CKV_AWS_111:A key policy's resource "*" means this key only; it cannot name other resources.
  #checkov:skip=CKV_AWS_356:A key policy's resource "*" means this key only; it cannot name other resources.
  #checkov:skip=CKV_AWS_109:The account root must administer its own key, or the key becomes unmanageable.
  source_policy_documents = concat(var.policy_documents, var.ebs_volumes ? [data.aws_iam_policy_document.ebs.json] : [])

  statement {
    sid       = "AccountAdministersTheKey"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${local.partition}:iam::${local.account_id}:root"]
    }
  }

  statement {
    sid       = "CloudWatchLogsEncryptsLogGroups"
    actions   = ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"]
    resources = ["*"]

    principals {
      type        = "Service"
      identifiers = ["logs.${local.region}.amazonaws.com"]
    }

    condition {
      test     = "ArnLike"
      variable = "kms:EncryptionContext:aws:logs:arn"
      values   = ["arn:${local.partition}:logs:${local.region}:${local.account_id}:*"]
    }
  }

  statement {
    sid       = "ServicesUseTheKeyForThisAccount"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey*", "kms:DescribeKey"]
    resources = ["*"]

    principals {
      type = "Service"
      identifiers = [
        "delivery.logs.amazonaws.com",
        "sns.amazonaws.com",
        "events.amazonaws.com",
        "cloudfront.amazonaws.com",
        "backup.amazonaws.com",
      ]
    }

    condition {
      test     = "StringEquals"
      variable = "aws:SourceAccount"
      values   = [local.account_id]
    }
  }
}

# EC2 Auto Scaling and EKS managed node groups launch instances through the AWSServiceRoleForAutoScaling
# service-linked role, whose fixed policy grants nothing on this key, so the key policy must. Naming that role as a
# principal would fail on an account where it does not exist yet (it appears with the first Auto Scaling group), so,
# like the AWS-managed aws/ebs key, the statement admits callers of this account only through EC2 (EBS volumes).
data "aws_iam_policy_document" "ebs" {
  #checkov:skip=CKV_AWS_111:A key policy's resource "*" means this key only; it cannot name other resources.
  #checkov:skip=CKV_AWS_356:A key policy's resource "*" means this key only; it cannot name other resources.
  statement {
    sid       = "EbsThroughEc2ForThisAccount"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:CallerAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["ec2.${local.region}.amazonaws.com"]
    }
  }

  statement {
    sid       = "EbsGrantsThroughEc2ForThisAccount"
    actions   = ["kms:CreateGrant"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["*"]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:CallerAccount"
      values   = [local.account_id]
    }

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["ec2.${local.region}.amazonaws.com"]
    }

    condition {
      test     = "Bool"
      variable = "kms:GrantIsForAWSResource"
      values   = ["true"]
    }
  }
}

resource "aws_kms_key" "this" {
  description             = "${var.name}: encryption at rest for every store and log of this Region"
  enable_key_rotation     = true
  deletion_window_in_days = var.deletion_window_in_days
  policy                  = data.aws_iam_policy_document.key.json
}

resource "aws_kms_alias" "this" {
  name          = "alias/${var.name}"
  target_key_id = aws_kms_key.this.key_id
}
