# Standalone test root for the msk module, with stand-ins for the shared KMS key and network.
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

module "data_orders" {
  source               = "../../../templates/terraform/modules/msk"
  name                 = "order-events-prod-data-orders"
  kms_key_arn          = aws_kms_key.shared.arn
  vpc_id               = aws_vpc.this.id
  subnet_ids           = aws_subnet.private[*].id
  broker_instance_type = "kafka.m7g.large"
  broker_count         = 3
  volume_gb            = 100
}

# The kind of rule wiring.tf adds for a connection to the cluster (here from the VPC's private range).
resource "aws_vpc_security_group_ingress_rule" "clients_to_msk" {
  description       = "private subnets read and write the cluster"
  security_group_id = module.data_orders.security_group_id
  cidr_ipv4         = aws_vpc.this.cidr_block
  from_port         = module.data_orders.port
  to_port           = module.data_orders.port
  ip_protocol       = "tcp"
}

output "bootstrap_brokers" {
  value = module.data_orders.bootstrap_brokers
}

output "access_policy_json" {
  value = module.data_orders.access_policy_json
}
