output "arn" {
  description = "ARN of the cluster."
  value       = aws_docdb_cluster.this.arn
}

output "cluster_identifier" {
  description = "Identifier of the cluster."
  value       = aws_docdb_cluster.this.cluster_identifier
}

output "endpoint" {
  description = "Cluster (writer) endpoint host name (TLS required)."
  value       = aws_docdb_cluster.this.endpoint
}

output "reader_endpoint" {
  description = "Reader endpoint host name, balanced over the replicas."
  value       = aws_docdb_cluster.this.reader_endpoint
}

output "port" {
  description = "Port the cluster listens on."
  value       = local.port
}

output "security_group_id" {
  description = "Security group of the cluster; wiring.tf adds one ingress rule per connected service."
  value       = aws_security_group.this.id
}

output "secret_arn" {
  description = "ARN of the Secrets Manager secret with the master user's credentials."
  value       = local.secret_arn
}

output "access_policy_json" {
  description = "IAM policy granting a service read access to the master-user secret."
  value       = data.aws_iam_policy_document.access.json
}
