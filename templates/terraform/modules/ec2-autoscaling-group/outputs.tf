output "role_name" {
  description = "Name of the instance role the service runs as (the wiring attaches data-store access to it)."
  value       = aws_iam_role.this.name
}

output "role_arn" {
  description = "ARN of the instance role."
  value       = aws_iam_role.this.arn
}

output "security_group_id" {
  description = "Security group of the instances (data stores allow ingress from it)."
  value       = aws_security_group.this.id
}

output "autoscaling_group_name" {
  description = "Name of the Auto Scaling group."
  value       = aws_autoscaling_group.this.name
}

output "launch_template_id" {
  description = "ID of the launch template."
  value       = aws_launch_template.this.id
}

output "log_group_name" {
  description = "Log group of the container."
  value       = aws_cloudwatch_log_group.this.name
}
