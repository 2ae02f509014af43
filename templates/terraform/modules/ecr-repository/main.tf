# One private ECR repository per container image: immutable tags (a tag always means the same image, so a deployed
# tag can be audited and rolled back to), scan on push, images encrypted with the Region's KMS key, a lifecycle policy
# keeping the last keep_images images. Optionally: a repository policy (e.g. pulls from another account) and the
# registry's scanning configuration (Amazon Inspector enhanced, continuous scanning), which is registry-wide.

resource "aws_ecr_repository" "this" {
  name                 = var.name
  image_tag_mutability = "IMMUTABLE"
  force_delete         = false

  image_scanning_configuration {
    scan_on_push = true
  }

  encryption_configuration {
    encryption_type = "KMS"
    kms_key         = var.kms_key_arn
  }

  tags = var.tags
}

resource "aws_ecr_lifecycle_policy" "this" {
  repository = aws_ecr_repository.this.name
  policy = jsonencode({
    rules = [
      {
        rulePriority = 1
        description  = "Keep the last ${var.keep_images} images"
        selection = {
          tagStatus   = "any"
          countType   = "imageCountMoreThan"
          countNumber = var.keep_images
        }
        action = {
          type = "expire"
        }
      },
    ]
  })
}

resource "aws_ecr_repository_policy" "this" {
  count = var.repository_policy_json == null ? 0 : 1

  repository = aws_ecr_repository.this.name
  policy     = var.repository_policy_json
}

resource "aws_ecr_registry_scanning_configuration" "this" {
  count = var.registry_scanning == null ? 0 : 1

  scan_type = var.registry_scanning.scan_type

  rule {
    scan_frequency = var.registry_scanning.scan_frequency

    dynamic "repository_filter" {
      for_each = toset(var.registry_scanning.repository_filters)
      content {
        filter      = repository_filter.value
        filter_type = "WILDCARD"
      }
    }
  }
}

# What a runtime needs to pull the image (an ECS task execution role, EKS nodes): an ECR login token (an action on
# no particular resource) and this repository's layers. ECR decrypts through its grant on the key, so no KMS rights.
data "aws_iam_policy_document" "pull" {
  statement {
    sid       = "GetRegistryLoginToken"
    actions   = ["ecr:GetAuthorizationToken"]
    resources = ["*"]
  }

  statement {
    sid       = "PullThisRepository"
    actions   = ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"]
    resources = [aws_ecr_repository.this.arn]
  }
}

# What a build pipeline needs to push new images (tags are immutable: it cannot overwrite one).
data "aws_iam_policy_document" "push" {
  source_policy_documents = [data.aws_iam_policy_document.pull.json]

  statement {
    sid = "PushToThisRepository"
    actions = [
      "ecr:CompleteLayerUpload",
      "ecr:DescribeImages",
      "ecr:InitiateLayerUpload",
      "ecr:PutImage",
      "ecr:UploadLayerPart",
    ]
    resources = [aws_ecr_repository.this.arn]
  }
}
