output "arn" {
  description = "ARN of the stream."
  value       = aws_kinesis_stream.this.arn
}

output "name" {
  description = "Name of the stream."
  value       = aws_kinesis_stream.this.name
}

output "access_policy_json" {
  description = "IAM policy granting put/get records and describe on this stream and use of its KMS key."
  value       = data.aws_iam_policy_document.access.json
}
