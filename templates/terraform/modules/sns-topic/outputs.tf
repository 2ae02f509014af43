output "arn" {
  description = "ARN of the topic."
  value       = aws_sns_topic.this.arn
}

output "name" {
  description = "Name of the topic."
  value       = aws_sns_topic.this.name
}

output "access_policy_json" {
  description = "IAM policy granting publish on this topic and use of its KMS key."
  value       = data.aws_iam_policy_document.access.json
}
