output "role_name" {
  description = "Name of the role the service's pods run as (the wiring attaches data-store access to it)."
  value       = aws_iam_role.this.name
}

output "role_arn" {
  description = "ARN of the role: the value of the service account's eks.amazonaws.com/role-arn annotation."
  value       = aws_iam_role.this.arn
}

output "security_group_id" {
  description = "Always null: pods have no security group of their own; they reach data stores from the nodes' cluster security group (eks-cluster's cluster_security_group_id)."
  value       = null
}
