output "arn" {
  description = "ARN of the DB instance."
  value       = aws_db_instance.this.arn
}

output "identifier" {
  description = "Identifier of the DB instance."
  value       = aws_db_instance.this.identifier
}

output "resource_id" {
  description = "Resource ID of the DB instance (used in rds-db:connect ARNs)."
  value       = aws_db_instance.this.resource_id
}

output "endpoint" {
  description = "Host name to connect to (TLS required)."
  value       = aws_db_instance.this.address
}

output "port" {
  description = "Port the database listens on."
  value       = local.port
}

output "database_name" {
  description = "Name of the database created in the instance (null on a read replica)."
  value       = local.is_replica ? null : var.database_name
}

output "iam_database_user" {
  description = "Database user the services connect as with IAM authentication."
  value       = var.iam_database_user
}

output "security_group_id" {
  description = "Security group of the instance; wiring.tf adds one ingress rule per connected service."
  value       = aws_security_group.this.id
}

output "secret_arn" {
  description = "ARN of the Secrets Manager secret with the master user's credentials (null on a read replica)."
  value       = local.secret_arn
}

output "access_policy_json" {
  description = "IAM policy granting a service IAM authentication to the database and read access to the master-user secret."
  value       = data.aws_iam_policy_document.access.json
}
