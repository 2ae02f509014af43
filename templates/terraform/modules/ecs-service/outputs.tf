output "role_name" {
  description = "Name of the task role the service's code runs as (the wiring attaches data-store access to it)."
  value       = aws_iam_role.task.name
}

output "role_arn" {
  description = "ARN of the task role."
  value       = aws_iam_role.task.arn
}

output "execution_role_name" {
  description = "Name of the execution role ECS uses to pull the image and write logs."
  value       = aws_iam_role.execution.name
}

output "security_group_id" {
  description = "Security group of the tasks (data stores allow ingress from it)."
  value       = aws_security_group.this.id
}

output "service_name" {
  description = "Name of the ECS service."
  value       = aws_ecs_service.this.name
}

output "cluster_arn" {
  description = "ARN of the cluster the service runs in."
  value       = local.cluster_arn
}

output "task_definition_arn" {
  description = "ARN of the current task definition revision."
  value       = aws_ecs_task_definition.this.arn
}

output "log_group_name" {
  description = "Log group of the containers."
  value       = aws_cloudwatch_log_group.this.name
}
