output "arn" {
  description = "ARN of the cluster."
  value       = aws_msk_cluster.this.arn
}

output "bootstrap_brokers" {
  description = "Bootstrap broker list for IAM authentication over TLS (host:9098,...)."
  value       = aws_msk_cluster.this.bootstrap_brokers_sasl_iam
}

output "security_group_id" {
  description = "Security group of the brokers; wiring.tf adds one ingress rule per connected service."
  value       = aws_security_group.this.id
}

output "port" {
  description = "Port clients connect to (IAM authentication over TLS)."
  value       = local.port
}

output "log_group_name" {
  description = "CloudWatch log group of the broker logs."
  value       = aws_cloudwatch_log_group.brokers.name
}

output "access_policy_json" {
  description = "IAM policy granting connect, topic read/write/create/describe and consumer-group use on this cluster."
  value       = data.aws_iam_policy_document.access.json
}
