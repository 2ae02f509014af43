output "distribution_arn" {
  description = "ARN of the distribution."
  value       = aws_cloudfront_distribution.this.arn
}

output "distribution_id" {
  description = "ID of the distribution (for cache invalidations)."
  value       = aws_cloudfront_distribution.this.id
}

output "domain_name" {
  description = "The distribution's domain name (*.cloudfront.net): point domain_name at it (CNAME, or a Route 53 alias)."
  value       = aws_cloudfront_distribution.this.domain_name
}

output "hosted_zone_id" {
  description = "Route 53 hosted zone ID of CloudFront, for an alias record."
  value       = aws_cloudfront_distribution.this.hosted_zone_id
}

output "certificate_arn" {
  description = "ARN of the us-east-1 ACM certificate of domain_name."
  value       = aws_acm_certificate.this.arn
}

output "certificate_validation_records" {
  description = "DNS records that prove ownership of domain_name to ACM (create them when route53_zone_id is null)."
  value       = values(local.validation_records)
}

output "origin_access_policy_json" {
  description = "s3 origins: a bucket policy granting this distribution (and only it) s3:GetObject; merge it into the origin bucket's policy. null otherwise."
  value       = local.is_s3 ? data.aws_iam_policy_document.origin_access[0].json : null
}
