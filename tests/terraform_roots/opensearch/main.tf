# Test root for modules/opensearch: a three-node domain across three zones as the planner sizes it, and a single-node
# domain with a long name (shortened to OpenSearch's 28 characters) and dedicated masters.
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

module "data_search" {
  source = "../../../templates/terraform/modules/opensearch"

  name            = "orders-api-prod-data-search"
  instance_type   = "r7g.large.search"
  instance_count  = 3
  volume_gb       = 30
  kms_key_arn     = aws_kms_key.test.arn
  vpc_id          = aws_vpc.test.id
  subnet_ids      = aws_subnet.private[*].id
  master_user_arn = "arn:aws:iam::123456789012:role/platform-admin"
}

module "data_logs_index" {
  source = "../../../templates/terraform/modules/opensearch"

  name                  = "a-rather-long-service-name-prod-data-logs_index"
  instance_type         = "r7g.large.search"
  instance_count        = 1
  volume_gb             = 10
  dedicated_master_type = "m7g.large.search"
  kms_key_arn           = aws_kms_key.test.arn
  vpc_id                = aws_vpc.test.id
  subnet_ids            = aws_subnet.private[*].id
}

output "search_endpoint" {
  description = "HTTPS endpoint of the three-node domain."
  value       = module.data_search.endpoint
}

output "search_access_policy_json" {
  description = "Policy a service would be given to use the domain."
  value       = module.data_search.access_policy_json
}

output "logs_index_domain_name" {
  description = "Shortened name of the single-node domain."
  value       = module.data_logs_index.domain_name
}
