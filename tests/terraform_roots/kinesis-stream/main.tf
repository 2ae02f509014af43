# Standalone test root for the kinesis-stream module: a realistic instantiation with a stand-in for the shared KMS key.
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

resource "aws_kms_key" "shared" {
  description             = "Stand-in for the root's shared key"
  enable_key_rotation     = true
  deletion_window_in_days = 30
  policy                  = data.aws_iam_policy_document.key.json
}

module "data_clicks" {
  source          = "../../../templates/terraform/modules/kinesis-stream"
  name            = "clickstream-prod-data-clicks"
  kms_key_arn     = aws_kms_key.shared.arn
  shard_count     = 20
  retention_hours = 24
}

output "stream_arn" {
  value = module.data_clicks.arn
}

output "access_policy_json" {
  value = module.data_clicks.access_policy_json
}
