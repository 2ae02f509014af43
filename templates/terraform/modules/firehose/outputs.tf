output "arn" {
  description = "ARN of the delivery stream."
  value       = aws_kinesis_firehose_delivery_stream.this.arn
}

output "name" {
  description = "Name of the delivery stream."
  value       = aws_kinesis_firehose_delivery_stream.this.name
}

output "role_arn" {
  description = "ARN of the role the stream reads and writes with."
  value       = aws_iam_role.this.arn
}

output "log_group_name" {
  description = "CloudWatch log group of delivery errors."
  value       = aws_cloudwatch_log_group.this.name
}

output "access_policy_json" {
  description = "IAM policy granting PutRecord/PutRecordBatch on this stream (for Direct PUT producers)."
  value       = data.aws_iam_policy_document.access.json
}
