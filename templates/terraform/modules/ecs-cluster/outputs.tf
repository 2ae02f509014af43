output "arn" {
  description = "ARN of the cluster (services pass it as cluster_arn)."
  value       = aws_ecs_cluster.this.arn
}

output "name" {
  description = "Name of the cluster."
  value       = aws_ecs_cluster.this.name
}

output "id" {
  description = "ID of the cluster (the same as its ARN)."
  value       = aws_ecs_cluster.this.id
}

output "exec_log_group_name" {
  description = "Log group receiving ECS Exec session output."
  value       = aws_cloudwatch_log_group.exec.name
}
