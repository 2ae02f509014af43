terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 7.0"
    }
  }
}

module "entry" {
  source = "../../../templates/terraform/modules/alb"

  name               = "bulk-api-prod-entry"
  vpc_id             = aws_vpc.this.id
  vpc_cidr_block     = aws_vpc.this.cidr_block
  public_subnet_ids  = aws_subnet.public[*].id
  certificate_arn    = "arn:aws:acm:eu-west-1:123456789012:certificate/0b5d2f8e-1c1a-4a8e-9b1e-6f0c2d3e4a5b"
  access_logs_bucket = aws_s3_bucket.logs.id

  targets = {
    "bulk-api" = { port = 8080, health_check_path = "/healthz", target_type = "instance" }
  }
}

# A public service on Graviton instances behind the load balancer, image in ECR.
module "bulk_api" {
  source = "../../../templates/terraform/modules/ec2-autoscaling-group"

  name            = "bulk-api-prod-bulk-api"
  service_name    = "bulk-api"
  container_image = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/bulk-api:3.1.0"
  container_port  = 8080
  instance_type   = "c7g.large"
  desired_count   = 4
  min_count       = 2
  max_count       = 9
  vpc_id          = aws_vpc.this.id
  vpc_cidr_block  = aws_vpc.this.cidr_block
  subnet_ids      = aws_subnet.private[*].id
  kms_key_arn     = aws_kms_key.this.arn
  public          = true

  target_group_arn      = module.entry.target_group_arns["bulk-api"]
  alb_security_group_id = module.entry.security_group_id

  environment = {
    LOG_LEVEL = "info"
  }
}

# A private worker on x86 instances with a pinned AMI and a pilot-light size.
module "batch_worker" {
  source = "../../../templates/terraform/modules/ec2-autoscaling-group"

  name            = "bulk-api-prod-batch-worker-recovery"
  service_name    = "batch-worker"
  container_image = "ghcr.io/example/batch-worker:2.0.1"
  container_port  = 9090
  instance_type   = "m7i.large"
  ami_id          = "ami-0123456789abcdef0"
  desired_count   = 0
  min_count       = 0
  max_count       = 6
  vpc_id          = aws_vpc.this.id
  vpc_cidr_block  = aws_vpc.this.cidr_block
  subnet_ids      = aws_subnet.private[*].id
  kms_key_arn     = aws_kms_key.this.arn
}

output "bulk_api_role_name" {
  value = module.bulk_api.role_name
}
