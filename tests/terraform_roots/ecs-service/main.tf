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
  source = "../../../templates/terraform/modules/ecs-cluster"

  name        = "orders-api-prod-cluster"
  kms_key_arn = aws_kms_key.this.arn
}

module "entry" {
  source = "../../../templates/terraform/modules/alb"

  name               = "orders-api-prod-entry"
  vpc_id             = aws_vpc.this.id
  vpc_cidr_block     = aws_vpc.this.cidr_block
  public_subnet_ids  = aws_subnet.public[*].id
  certificate_arn    = "arn:aws:acm:eu-west-1:123456789012:certificate/0b5d2f8e-1c1a-4a8e-9b1e-6f0c2d3e4a5b"
  access_logs_bucket = aws_s3_bucket.logs.id

  targets = {
    "orders-api" = { port = 8080, health_check_path = "/healthz" }
  }
}

# A public service behind the load balancer, in the shared cluster, image in ECR.
module "orders_api" {
  source = "../../../templates/terraform/modules/ecs-service"

  name            = "orders-api-prod-orders-api"
  service_name    = "orders-api"
  own_cluster     = false
  cluster_arn     = module.cluster.arn
  container_image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders-api:1.4.2"
  container_port  = 8080
  cpu             = 0.5
  memory_mib      = 1024
  desired_count   = 6
  min_count       = 2
  max_count       = 21
  vpc_id          = aws_vpc.this.id
  vpc_cidr_block  = aws_vpc.this.cidr_block
  subnet_ids      = aws_subnet.private[*].id
  kms_key_arn     = aws_kms_key.this.arn
  public          = true

  target_group_arn      = module.entry.target_group_arns["orders-api"]
  alb_security_group_id = module.entry.security_group_id
}

# A private worker with no shared cluster (the module creates its own), image outside ECR, pilot-light counts.
module "sessionizer" {
  source = "../../../templates/terraform/modules/ecs-service"

  name             = "clickstream-prod-sessionizer-recovery"
  service_name     = "sessionizer"
  container_image  = "ghcr.io/example/sessionizer@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"
  container_port   = 8080
  cpu_architecture = "ARM64"
  cpu              = 1
  memory_mib       = 2048
  desired_count    = 0
  min_count        = 0
  max_count        = 52
  vpc_id           = aws_vpc.this.id
  vpc_cidr_block   = aws_vpc.this.cidr_block
  subnet_ids       = aws_subnet.private[*].id
  kms_key_arn      = aws_kms_key.this.arn

  environment = {
    LOG_LEVEL = "info"
  }
}

output "orders_api_role_name" {
  value = module.orders_api.role_name
}
