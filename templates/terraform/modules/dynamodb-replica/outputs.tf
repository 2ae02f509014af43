output "arn" {
  description = "ARN of the replica in this Region."
  value       = local.arn
}

output "name" {
  description = "Name of the global table."
  value       = var.name
}

output "access_policy_json" {
  description = "IAM policy granting a service item reads and writes on the replica and its indexes (no table administration)."
  value       = data.aws_iam_policy_document.access.json
}
