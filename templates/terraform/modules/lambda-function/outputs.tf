output "role_name" {
  description = "Name of the role the function runs as (the wiring attaches data-store access to it)."
  value       = aws_iam_role.this.name
}

output "role_arn" {
  description = "ARN of the function's role."
  value       = aws_iam_role.this.arn
}

output "security_group_id" {
  description = "Security group of the function's network interfaces; null when the function is not in a VPC."
  value       = var.in_vpc ? aws_security_group.this[0].id : null
}

output "function_name" {
  description = "Name of the function."
  value       = aws_lambda_function.this.function_name
}

output "arn" {
  description = "ARN of the function."
  value       = aws_lambda_function.this.arn
}

output "invoke_arn" {
  description = "ARN API Gateway uses to invoke the function."
  value       = aws_lambda_function.this.invoke_arn
}

output "dead_letter_queue_arn" {
  description = "ARN of the queue receiving failed asynchronous invocations."
  value       = aws_sqs_queue.dlq.arn
}

output "log_group_name" {
  description = "Log group of the function."
  value       = aws_cloudwatch_log_group.this.name
}

output "signing_profile_name" {
  description = "AWS Signer profile the delivery pipeline signs packages with."
  value       = aws_signer_signing_profile.this.name
}
