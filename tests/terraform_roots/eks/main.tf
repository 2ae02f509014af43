terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 7.0"
    }
  }
}

module "cluster" {
  source = "../../../templates/terraform/modules/eks-cluster"

  name                 = "payments-platform-prod-cluster"
  kubernetes_version   = "1.31"
  vpc_id               = aws_vpc.this.id
  vpc_cidr_block       = aws_vpc.this.cidr_block
  subnet_ids           = aws_subnet.private[*].id
  kms_key_arn          = aws_kms_key.this.arn
  admin_principal_arns = ["arn:aws:iam::123456789012:role/platform-admins"]
}

module "nodes" {
  source = "../../../templates/terraform/modules/eks-node-group"

  name          = "payments-platform-prod-nodes"
  cluster_name  = module.cluster.cluster_name
  subnet_ids    = aws_subnet.private[*].id
  instance_type = "m7g.large"
  desired_count = 3
  min_count     = 3
  max_count     = 21
  kms_key_arn   = aws_kms_key.this.arn
}

# One IRSA role per service account, as the k8s-deployment snippet renders them.
module "authorise" {
  source = "../../../templates/terraform/modules/irsa-role"

  name              = "payments-platform-prod-authorise"
  oidc_provider_arn = module.cluster.oidc_provider_arn
  oidc_issuer       = module.cluster.oidc_issuer
  namespace         = "payments-platform"
  service_account   = "authorise"
}

module "notifications_recovery" {
  source = "../../../templates/terraform/modules/irsa-role"

  name              = "payments-platform-long-environment-name-prod-notifications-recovery"
  oidc_provider_arn = module.cluster.oidc_provider_arn
  oidc_issuer       = module.cluster.oidc_issuer
  namespace         = "payments-platform"
  service_account   = "notifications"
}

output "authorise_role_arn" {
  value = module.authorise.role_arn
}
