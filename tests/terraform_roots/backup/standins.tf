# Stand-ins for each Region root's shared KMS key (module.kms).
data "aws_caller_identity" "current" {}

data "aws_iam_policy_document" "key" {
  #checkov:skip=CKV_AWS_111:A key policy's resource "*" means this key only.
  #checkov:skip=CKV_AWS_356:A key policy's resource "*" means this key only.
  #checkov:skip=CKV_AWS_109:The account root must administer its own key.
  statement {
    sid       = "AccountAdministersTheKey"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:aws:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }
}

resource "aws_kms_key" "primary" {
  description             = "Stand-in for the primary root's shared key"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.key.json
}

resource "aws_kms_key" "recovery" {
  provider                = aws.recovery
  description             = "Stand-in for the recovery root's shared key"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.key.json
}
