output "arn" {
  description = "ARN of the cluster."
  value       = aws_rds_cluster.this.arn
}

output "cluster_identifier" {
  description = "Identifier of the cluster."
  value       = aws_rds_cluster.this.cluster_identifier
}

output "cluster_resource_id" {
  description = "Resource ID of the cluster (used in rds-db:connect ARNs)."
  value       = aws_rds_cluster.this.cluster_resource_id
}

output "endpoint" {
  description = "Writer endpoint host name (TLS required)."
  value       = aws_rds_cluster.this.endpoint
}

output "reader_endpoint" {
  description = "Reader endpoint host name, balanced over the reader instances."
  value       = aws_rds_cluster.this.reader_endpoint
}

output "port" {
  description = "Port the database listens on."
  value       = local.port
}

output "database_name" {
  description = "Name of the database created in the cluster (null on a global secondary)."
  value       = local.secondary ? null : var.database_name
}

output "iam_database_user" {
  description = "Database user the services connect as with IAM authentication."
  value       = var.iam_database_user
}

output "security_group_id" {
  description = "Security group of the cluster; wiring.tf adds one ingress rule per connected service."
  value       = aws_security_group.this.id
}

output "secret_arn" {
  description = "ARN of the Secrets Manager secret with the master user's credentials (null on a global secondary)."
  value       = local.secret_arn
}

output "global_cluster_identifier" {
  description = "Identifier of the global database this cluster belongs to (null when standalone); a recovery Region's cluster joins it."
  value       = local.secondary ? var.global_cluster_identifier : one(aws_rds_global_cluster.this[*].id)
}

output "access_policy_json" {
  description = "IAM policy granting a service IAM authentication to the database and read access to the master-user secret."
  value       = data.aws_iam_policy_document.access.json
}
