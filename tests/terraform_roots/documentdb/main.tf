# Test root for modules/documentdb: a two-instance cluster as the planner sizes it.
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

module "data_catalog" {
  source = "../../../templates/terraform/modules/documentdb"

  name           = "orders-api-prod-data-catalog"
  instance_class = "db.r6g.large"
  instance_count = 2
  kms_key_arn    = aws_kms_key.test.arn
  vpc_id         = aws_vpc.test.id
  subnet_ids     = aws_subnet.private[*].id
}

output "catalog_endpoint" {
  description = "Writer endpoint of the cluster."
  value       = module.data_catalog.endpoint
}

output "catalog_access_policy_json" {
  description = "Policy a service would be given to use the cluster."
  value       = module.data_catalog.access_policy_json
}
