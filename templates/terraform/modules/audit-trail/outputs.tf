output "trail_arn" {
  description = "ARN of the trail (null when enabled is false)."
  value       = one(aws_cloudtrail.this[*].arn)
}

output "trail_name" {
  description = "Name of the trail (null when enabled is false)."
  value       = one(aws_cloudtrail.this[*].name)
}

output "bucket_id" {
  description = "Name of the bucket the trail writes to (null when enabled is false)."
  value       = one(aws_s3_bucket.this[*].id)
}

output "bucket_arn" {
  description = "ARN of the bucket the trail writes to (null when enabled is false)."
  value       = one(aws_s3_bucket.this[*].arn)
}

output "log_group_name" {
  description = "CloudWatch Logs log group receiving the trail's events, for metric filters and alarms (null without the CloudWatch Logs copy)."
  value       = one(aws_cloudwatch_log_group.this[*].name)
}

output "log_group_arn" {
  description = "ARN of the CloudWatch Logs log group receiving the trail's events (null without the CloudWatch Logs copy)."
  value       = one(aws_cloudwatch_log_group.this[*].arn)
}

output "cloudwatch_logs_role_arn" {
  description = "Role CloudTrail assumes to write to the log group (null without the CloudWatch Logs copy)."
  value       = one(aws_iam_role.cloudwatch[*].arn)
}

output "kms_key_policy_json" {
  description = "Key policy statements letting CloudTrail encrypt this trail's log files with kms_key_arn; merge them into the key's policy (source_policy_documents). Known before the trail exists, so it creates no dependency cycle. Null when enabled is false."
  value       = var.enabled ? data.aws_iam_policy_document.key.json : null
}
