# Test root for modules/elasticache: a Valkey cache with a replica as the planner sizes it, and a Redis OSS cache
# with a long name (exercising the shortening to ElastiCache's 40 characters).
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

module "data_sessions" {
  source = "../../../templates/terraform/modules/elasticache"

  name        = "orders-api-prod-data-sessions"
  engine      = "valkey"
  node_type   = "cache.t4g.medium"
  replicas    = 1
  kms_key_arn = aws_kms_key.test.arn
  vpc_id      = aws_vpc.test.id
  subnet_ids  = aws_subnet.private[*].id
}

module "data_rate_limits" {
  source = "../../../templates/terraform/modules/elasticache"

  name        = "a-rather-long-service-name-prod-data-rate_limits-recovery"
  engine      = "redis"
  node_type   = "cache.r7g.large"
  replicas    = 2
  kms_key_arn = aws_kms_key.test.arn
  vpc_id      = aws_vpc.test.id
  subnet_ids  = aws_subnet.private[*].id
}

output "sessions_primary_endpoint" {
  description = "Primary endpoint of the Valkey cache."
  value       = module.data_sessions.primary_endpoint
}

output "sessions_access_policy_json" {
  description = "Policy a service would be given to use the Valkey cache."
  value       = module.data_sessions.access_policy_json
}

output "rate_limits_username" {
  description = "User the services authenticate as on the Redis OSS cache."
  value       = module.data_rate_limits.username
}
