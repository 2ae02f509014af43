# IAM role for one Kubernetes service account (IRSA): only pods running as system:serviceaccount:<namespace>:
# <service_account> in this cluster can assume it. Data-store access is attached by the root's wiring.

locals {
  # IAM role names allow 64 characters: longer names keep a readable head and a hash.
  role_name = length(var.name) <= 64 ? var.name : "${trimsuffix(substr(var.name, 0, 55), "-")}-${substr(md5(var.name), 0, 8)}"
  issuer    = trimprefix(var.oidc_issuer, "https://")
}

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRoleWithWebIdentity"]

    principals {
      type        = "Federated"
      identifiers = [var.oidc_provider_arn]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.issuer}:sub"
      values   = ["system:serviceaccount:${var.namespace}:${var.service_account}"]
    }

    condition {
      test     = "StringEquals"
      variable = "${local.issuer}:aud"
      values   = ["sts.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  name                 = local.role_name
  description          = "Pods of ${var.namespace}/${var.service_account} (IRSA)"
  assume_role_policy   = data.aws_iam_policy_document.assume.json
  max_session_duration = var.max_session_duration
  tags                 = merge(var.tags, { "kubernetes.io/service-account" = "${var.namespace}/${var.service_account}" })
}
