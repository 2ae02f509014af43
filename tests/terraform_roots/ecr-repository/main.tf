# Test root for modules/ecr-repository: one repository per container image of a design, as a root would write it
# (for_each over the images), the first also setting the registry's enhanced, continuous scanning; and a repository
# another account of the organisation pulls from through its repository policy. A stand-in for the shared KMS key.
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

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

data "aws_iam_policy_document" "key" {
  #checkov:skip=CKV_AWS_111:A key policy's resource "*" means this key only.
  #checkov:skip=CKV_AWS_356:A key policy's resource "*" means this key only.
  #checkov:skip=CKV_AWS_109:The account root must administer its own key, or the key becomes unmanageable.
  statement {
    sid       = "AccountAdministersTheKey"
    actions   = ["kms:*"]
    resources = ["*"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::${data.aws_caller_identity.current.account_id}:root"]
    }
  }
}

resource "aws_kms_key" "test" {
  description             = "Stand-in for the root's shared key"
  enable_key_rotation     = true
  deletion_window_in_days = 7
  policy                  = data.aws_iam_policy_document.key.json
}

locals {
  images = {
    api    = { keep_images = 30, registry_scanning = true }
    worker = { keep_images = 10, registry_scanning = false }
  }
}

module "images" {
  source   = "../../../templates/terraform/modules/ecr-repository"
  for_each = local.images

  name        = "orders-api/${each.key}"
  kms_key_arn = aws_kms_key.test.arn
  keep_images = each.value.keep_images

  # Registry-wide: set by one instance only.
  registry_scanning = each.value.registry_scanning ? { scan_type = "ENHANCED", scan_frequency = "CONTINUOUS_SCAN" } : null

  tags = {
    "archgen:component" = "images"
  }
}

data "aws_iam_policy_document" "shared_pull" {
  statement {
    sid     = "TheStagingAccountPulls"
    actions = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]

    principals {
      type        = "AWS"
      identifiers = ["arn:${data.aws_partition.current.partition}:iam::210987654321:root"]
    }
  }
}

module "shared_base_image" {
  source = "../../../templates/terraform/modules/ecr-repository"

  name                   = "platform-prod-base-image"
  kms_key_arn            = aws_kms_key.test.arn
  keep_images            = 100
  repository_policy_json = data.aws_iam_policy_document.shared_pull.json
}

output "repository_urls" {
  description = "Where the pipeline pushes each image."
  value       = { for image, repository in module.images : image => repository.repository_url }
}

output "api_pull_policy_json" {
  description = "Policy an ECS task execution role would be given to pull the api image."
  value       = module.images["api"].pull_policy_json
}

output "shared_base_image_arn" {
  description = "The repository another account pulls from."
  value       = module.shared_base_image.arn
}
