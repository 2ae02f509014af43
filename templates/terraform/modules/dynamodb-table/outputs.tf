output "arn" {
  description = "ARN of the table (in this Region)."
  value       = aws_dynamodb_table.this.arn
}

output "name" {
  description = "Name of the table (the same in every replica Region)."
  value       = aws_dynamodb_table.this.name
}

output "stream_arn" {
  description = "ARN of the table's stream (null unless it is a global table)."
  value       = local.global ? aws_dynamodb_table.this.stream_arn : null
}

output "replica_arns" {
  description = "ARN of the replica in each replica Region."
  value       = { for r in var.replica_regions : r => "arn:${local.partition}:dynamodb:${r}:${local.account}:table/${var.name}" }
}

output "access_policy_json" {
  description = "IAM policy granting a service item reads and writes on the table, its replicas and indexes (no table administration)."
  value       = data.aws_iam_policy_document.access.json
}
