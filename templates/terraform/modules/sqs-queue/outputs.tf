output "arn" {
  description = "ARN of the queue."
  value       = aws_sqs_queue.this.arn
}

output "url" {
  description = "URL of the queue (what SDKs take as QueueUrl)."
  value       = aws_sqs_queue.this.url
}

output "name" {
  description = "Name of the queue."
  value       = aws_sqs_queue.this.name
}

output "dlq_arn" {
  description = "ARN of the dead-letter queue."
  value       = aws_sqs_queue.dlq.arn
}

output "dlq_url" {
  description = "URL of the dead-letter queue."
  value       = aws_sqs_queue.dlq.url
}

output "access_policy_json" {
  description = "IAM policy granting send, receive, delete and get-attributes on this queue and use of its KMS key."
  value       = data.aws_iam_policy_document.access.json
}
