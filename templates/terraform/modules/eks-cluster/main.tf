# EKS control plane: private API endpoint only, secrets envelope-encrypted with the Region's key, every control-
# plane log type to an encrypted log group, access entries (authentication mode API), and an IAM OIDC provider so
# pods assume IAM roles through their service accounts (IRSA).

data "aws_partition" "current" {}

locals {
  short_name = length(var.name) <= 50 ? var.name : "${trimsuffix(substr(var.name, 0, 41), "-")}-${substr(md5(var.name), 0, 8)}"
  partition  = data.aws_partition.current.partition
}

resource "aws_cloudwatch_log_group" "this" {
  # EKS writes control-plane logs to this fixed name; creating it first sets retention and encryption.
  name              = "/aws/eks/${var.name}/cluster"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

# ---------------------------------------------------------------------------------------------------------------
# Cluster role

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole", "sts:TagSession"]

    principals {
      type        = "Service"
      identifiers = ["eks.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "cluster" {
  name                 = "${local.short_name}-cluster"
  description          = "EKS control plane of ${var.name}"
  assume_role_policy   = data.aws_iam_policy_document.assume.json
  max_session_duration = 3600
  tags                 = var.tags
}

resource "aws_iam_role_policy_attachment" "cluster" {
  role       = aws_iam_role.cluster.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/AmazonEKSClusterPolicy"
}

data "aws_iam_policy_document" "encryption" {
  statement {
    sid       = "EnvelopeEncryptionOfSecrets"
    actions   = ["kms:Encrypt", "kms:Decrypt", "kms:ListGrants", "kms:DescribeKey"]
    resources = [var.kms_key_arn]
  }
}

resource "aws_iam_role_policy" "encryption" {
  name   = "secrets-envelope-encryption"
  role   = aws_iam_role.cluster.id
  policy = data.aws_iam_policy_document.encryption.json
}

# ---------------------------------------------------------------------------------------------------------------
# Additional security group of the control plane's network interfaces: the API only from inside the VPC. (EKS also
# creates the cluster security group that nodes and control plane share; it is output as cluster_security_group_id.)

resource "aws_security_group" "control_plane" {
  name        = "${var.name}-control-plane"
  description = "EKS API endpoint of ${var.name}: HTTPS from inside the VPC only"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-control-plane" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "api_from_vpc" {
  security_group_id = aws_security_group.control_plane.id
  description       = "Kubernetes API (HTTPS) from nodes and operators inside the VPC"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = var.vpc_cidr_block
  tags              = var.tags
}

# ---------------------------------------------------------------------------------------------------------------
# Cluster

resource "aws_eks_cluster" "this" {
  name                      = var.name
  version                   = var.kubernetes_version
  role_arn                  = aws_iam_role.cluster.arn
  enabled_cluster_log_types = ["api", "audit", "authenticator", "controllerManager", "scheduler"]
  tags                      = merge(var.tags, { Name = var.name })

  vpc_config {
    subnet_ids              = var.subnet_ids
    security_group_ids      = [aws_security_group.control_plane.id]
    endpoint_private_access = true
    endpoint_public_access  = false
  }

  encryption_config {
    resources = ["secrets"]

    provider {
      key_arn = var.kms_key_arn
    }
  }

  access_config {
    authentication_mode                         = "API"
    bootstrap_cluster_creator_admin_permissions = var.bootstrap_creator_admin
  }

  upgrade_policy {
    # Standard support only: no silent move to paid extended support.
    support_type = "STANDARD"
  }

  depends_on = [
    aws_cloudwatch_log_group.this,
    aws_iam_role_policy_attachment.cluster,
    aws_iam_role_policy.encryption,
  ]
}

resource "aws_iam_openid_connect_provider" "this" {
  url             = aws_eks_cluster.this.identity[0].oidc[0].issuer
  client_id_list  = ["sts.amazonaws.com"]
  thumbprint_list = var.oidc_thumbprints
  tags            = merge(var.tags, { Name = "${var.name}-irsa" })
}

# ---------------------------------------------------------------------------------------------------------------
# Access entries: cluster-admin for the listed principals.

resource "aws_eks_access_entry" "admin" {
  for_each = toset(var.admin_principal_arns)

  cluster_name  = aws_eks_cluster.this.name
  principal_arn = each.value
  type          = "STANDARD"
  tags          = var.tags
}

resource "aws_eks_access_policy_association" "admin" {
  for_each = toset(var.admin_principal_arns)

  cluster_name  = aws_eks_cluster.this.name
  principal_arn = aws_eks_access_entry.admin[each.value].principal_arn
  policy_arn    = "arn:${local.partition}:eks::aws:cluster-access-policy/AmazonEKSClusterAdminPolicy"

  access_scope {
    type = "cluster"
  }
}
