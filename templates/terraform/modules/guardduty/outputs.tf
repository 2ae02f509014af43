output "detector_id" {
  description = "ID of the GuardDuty detector (null when enabled is false)."
  value       = one(aws_guardduty_detector.this[*].id)
}

output "detector_arn" {
  description = "ARN of the GuardDuty detector (null when enabled is false)."
  value       = one(aws_guardduty_detector.this[*].arn)
}

output "features" {
  description = "Protection plan (detector feature) name => ENABLED or DISABLED, as set by this module (empty when enabled is false)."
  value       = { for name, feature in aws_guardduty_detector_feature.this : name => feature.status }
}

output "finding_event_pattern_json" {
  description = "EventBridge event pattern matching this account's GuardDuty findings, for a rule that notifies the on-call channel."
  value = jsonencode({
    source        = ["aws.guardduty"]
    "detail-type" = ["GuardDuty Finding"]
  })
}
