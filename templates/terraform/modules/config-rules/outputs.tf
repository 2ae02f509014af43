output "recorder_name" {
  description = "Name of the configuration recorder (null when enabled is false)."
  value       = one(aws_config_configuration_recorder.this[*].name)
}

output "delivery_channel_name" {
  description = "Name of the delivery channel (null when enabled is false)."
  value       = one(aws_config_delivery_channel.this[*].name)
}

output "role_arn" {
  description = "Role AWS Config records and delivers with (null when enabled is false)."
  value       = one(aws_iam_role.this[*].arn)
}

output "bucket_id" {
  description = "Name of the configuration history bucket (null when enabled is false)."
  value       = one(aws_s3_bucket.this[*].id)
}

output "bucket_arn" {
  description = "ARN of the configuration history bucket (null when enabled is false)."
  value       = one(aws_s3_bucket.this[*].arn)
}

output "rule_arns" {
  description = "Rule name (as given in rules) => ARN of the AWS Config rule."
  value       = { for name, rule in aws_config_config_rule.this : name => rule.arn }
}

output "rule_names" {
  description = "Rule name (as given in rules) => name of the AWS Config rule in the account (<name>-<rule name>)."
  value       = { for name, rule in aws_config_config_rule.this : name => rule.name }
}

output "conformance_pack_arn" {
  description = "ARN of the conformance pack (null without one)."
  value       = one(aws_config_conformance_pack.this[*].arn)
}
