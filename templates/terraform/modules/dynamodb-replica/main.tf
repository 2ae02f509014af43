# This Region's replica of a DynamoDB global table. The replica is created and owned by the primary Region's root
# (the table's replica block), so this module creates nothing: it names the replica for this Region's outputs and
# grants this Region's services the same item access the table module grants, on the replica and its indexes.
data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}
data "aws_region" "current" {}

locals {
  arn = "arn:${data.aws_partition.current.partition}:dynamodb:${data.aws_region.current.name}:${data.aws_caller_identity.current.account_id}:table/${var.name}"
}

# What a service needs: item reads and writes on the replica and its indexes, and the use of this Region's key
# (which encrypts the replica) through DynamoDB. No table administration.
data "aws_iam_policy_document" "access" {
  statement {
    sid = "ReadWriteItems"
    actions = [
      "dynamodb:BatchGetItem",
      "dynamodb:BatchWriteItem",
      "dynamodb:ConditionCheckItem",
      "dynamodb:DeleteItem",
      "dynamodb:DescribeTable",
      "dynamodb:GetItem",
      "dynamodb:PutItem",
      "dynamodb:Query",
      "dynamodb:Scan",
      "dynamodb:UpdateItem",
    ]
    resources = [local.arn, "${local.arn}/index/*"]
  }

  statement {
    sid       = "UseReplicaKeyThroughDynamoDB"
    actions   = ["kms:Decrypt", "kms:DescribeKey", "kms:Encrypt", "kms:GenerateDataKey*", "kms:ReEncrypt*"]
    resources = [var.kms_key_arn]

    condition {
      test     = "StringEquals"
      variable = "kms:ViaService"
      values   = ["dynamodb.${data.aws_region.current.name}.amazonaws.com"]
    }
  }
}
