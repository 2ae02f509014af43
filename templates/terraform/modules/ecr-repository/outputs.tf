output "arn" {
  description = "ARN of the repository."
  value       = aws_ecr_repository.this.arn
}

output "name" {
  description = "Name of the repository."
  value       = aws_ecr_repository.this.name
}

output "repository_url" {
  description = "URL to tag and push images to (<account>.dkr.ecr.<region>.amazonaws.com/<name>); append @sha256:… or an immutable tag."
  value       = aws_ecr_repository.this.repository_url
}

output "registry_id" {
  description = "Account ID of the registry holding the repository."
  value       = aws_ecr_repository.this.registry_id
}

output "kms_key_arn" {
  description = "KMS key that encrypts the repository's images."
  value       = var.kms_key_arn
}

output "pull_policy_json" {
  description = "IAM policy granting a runtime (ECS task execution role, EKS node role) what it needs to pull from this repository."
  value       = data.aws_iam_policy_document.pull.json
}

output "push_policy_json" {
  description = "IAM policy granting a build pipeline what it needs to push new images to this repository (and pull)."
  value       = data.aws_iam_policy_document.push.json
}
