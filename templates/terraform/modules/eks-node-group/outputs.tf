output "node_group_name" {
  description = "Name of the managed node group."
  value       = aws_eks_node_group.this.node_group_name
}

output "node_group_arn" {
  description = "ARN of the managed node group."
  value       = aws_eks_node_group.this.arn
}

output "role_name" {
  description = "Name of the node role."
  value       = aws_iam_role.node.name
}

output "role_arn" {
  description = "ARN of the node role."
  value       = aws_iam_role.node.arn
}

output "ami_type" {
  description = "AMI type the nodes run."
  value       = local.ami_type
}
