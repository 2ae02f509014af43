output "arn" {
  description = "ARN of the replication group."
  value       = aws_elasticache_replication_group.this.arn
}

output "replication_group_id" {
  description = "Identifier of the replication group (the IAM token's target)."
  value       = aws_elasticache_replication_group.this.id
}

output "primary_endpoint" {
  description = "Host name of the primary (reads and writes; TLS required)."
  value       = aws_elasticache_replication_group.this.primary_endpoint_address
}

output "reader_endpoint" {
  description = "Host name balanced over the replicas (reads)."
  value       = aws_elasticache_replication_group.this.reader_endpoint_address
}

output "port" {
  description = "Port the cache listens on."
  value       = local.port
}

output "username" {
  description = "User the services authenticate as, with an IAM token (user id and user name are the same)."
  value       = aws_elasticache_user.app.user_name
}

output "security_group_id" {
  description = "Security group of the cache; wiring.tf adds one ingress rule per connected service."
  value       = aws_security_group.this.id
}

output "access_policy_json" {
  description = "IAM policy granting a service elasticache:Connect as the application user (IAM authentication; there is no shared AUTH token)."
  value       = data.aws_iam_policy_document.access.json
}
