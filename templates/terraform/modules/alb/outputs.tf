output "arn" {
  description = "ARN of the load balancer."
  value       = aws_lb.this.arn
}

output "arn_suffix" {
  description = "ARN suffix of the load balancer, for CloudWatch metrics."
  value       = aws_lb.this.arn_suffix
}

output "dns_name" {
  description = "DNS name of the load balancer (the origin or alias target)."
  value       = aws_lb.this.dns_name
}

output "zone_id" {
  description = "Route 53 hosted zone ID of the load balancer, for alias records."
  value       = aws_lb.this.zone_id
}

output "security_group_id" {
  description = "Security group of the load balancer; targets allow ingress from it."
  value       = aws_security_group.this.id
}

output "target_group_arns" {
  description = "Target group ARN per service (same keys as var.targets)."
  value       = { for service, tg in aws_lb_target_group.this : service => tg.arn }
}

output "target_group_arn_suffixes" {
  description = "Target group ARN suffix per service, for CloudWatch metrics."
  value       = { for service, tg in aws_lb_target_group.this : service => tg.arn_suffix }
}

output "https_listener_arn" {
  description = "ARN of the HTTPS listener."
  value       = aws_lb_listener.https.arn
}
