output "arn" {
  description = "ARN of the domain."
  value       = aws_opensearch_domain.this.arn
}

output "domain_name" {
  description = "Name of the domain."
  value       = aws_opensearch_domain.this.domain_name
}

output "endpoint" {
  description = "Host name of the domain's HTTPS endpoint (in the VPC)."
  value       = aws_opensearch_domain.this.endpoint
}

output "dashboard_endpoint" {
  description = "OpenSearch Dashboards address (in the VPC)."
  value       = aws_opensearch_domain.this.dashboard_endpoint
}

output "port" {
  description = "Port of the HTTPS endpoint."
  value       = 443
}

output "security_group_id" {
  description = "Security group of the domain; wiring.tf adds one ingress rule per connected service."
  value       = aws_security_group.this.id
}

output "master_user_arn" {
  description = "IAM principal that is the fine-grained access control master: it maps each service role to an OpenSearch role."
  value       = local.master_user_arn
}

output "access_policy_json" {
  description = "IAM policy granting a service the domain's HTTP API (es:ESHttp*); its rights inside come from its OpenSearch role mapping."
  value       = data.aws_iam_policy_document.access.json
}
