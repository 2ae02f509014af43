output "web_acl_arn" {
  description = "ARN of the web ACL (a CloudFront distribution takes it as web_acl_id)."
  value       = aws_wafv2_web_acl.this.arn
}

output "web_acl_id" {
  description = "ID of the web ACL."
  value       = aws_wafv2_web_acl.this.id
}

output "log_group_name" {
  description = "CloudWatch log group receiving every request's WAF log."
  value       = aws_cloudwatch_log_group.this.name
}
