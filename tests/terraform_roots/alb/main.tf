terraform {
  required_version = ">= 1.5.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100, < 7.0"
    }
  }
}

# Two services behind one load balancer: path routing, one target group each.
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
    "admin"      = { port = 8443 }
  }
}

# One service with a long name: the default route forwards to it, names are shortened with a hash.
module "entry_single" {
  source = "../../../templates/terraform/modules/alb"

  name               = "payments-platform-prod-entry-recovery"
  vpc_id             = aws_vpc.this.id
  vpc_cidr_block     = aws_vpc.this.cidr_block
  public_subnet_ids  = aws_subnet.public[*].id
  certificate_arn    = "arn:aws:acm:eu-west-1:123456789012:certificate/0b5d2f8e-1c1a-4a8e-9b1e-6f0c2d3e4a5b"
  access_logs_bucket = aws_s3_bucket.logs.id

  targets = {
    "authorise-payments-service" = { port = 8080, health_check_path = "/health/ready" }
  }
}

# Behind CloudFront, with Route 53 health checks probing it for DNS failover: HTTPS only from CloudFront's
# origin-facing servers, plus a second security group for the health checkers.
module "entry_behind_cloudfront" {
  source = "../../../templates/terraform/modules/alb"

  name                  = "global-catalog-prod-entry"
  vpc_id                = aws_vpc.this.id
  vpc_cidr_block        = aws_vpc.this.cidr_block
  public_subnet_ids     = aws_subnet.public[*].id
  certificate_arn       = "arn:aws:acm:eu-west-1:123456789012:certificate/0b5d2f8e-1c1a-4a8e-9b1e-6f0c2d3e4a5b"
  access_logs_bucket    = aws_s3_bucket.logs.id
  https_ingress_from    = "cloudfront"
  route53_health_checks = true
  hsts_header_value     = "max-age=63072000; includeSubDomains; preload"

  targets = {
    "storefront" = { port = 3000 }
  }
}

output "target_group_arns" {
  value = module.entry.target_group_arns
}
