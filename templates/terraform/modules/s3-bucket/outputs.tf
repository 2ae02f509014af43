output "arn" {
  description = "ARN of the bucket."
  value       = aws_s3_bucket.this.arn
}

output "id" {
  description = "Name of the bucket."
  value       = aws_s3_bucket.this.id
}

output "bucket_domain_name" {
  description = "Global domain name of the bucket (bucket.s3.amazonaws.com)."
  value       = aws_s3_bucket.this.bucket_domain_name
}

output "bucket_regional_domain_name" {
  description = "Regional domain name of the bucket (the origin domain for CloudFront)."
  value       = aws_s3_bucket.this.bucket_regional_domain_name
}

output "kms_key_arn" {
  description = "KMS key that encrypts the bucket's objects; null with SSE-S3."
  value       = var.kms_key_arn
}

output "replication_role_arn" {
  description = "Role S3 uses for Cross-Region Replication (null without replication); a destination bucket's policy may name it."
  value       = one(aws_iam_role.replication[*].arn)
}

output "access_policy_json" {
  description = "IAM policy granting a service object read/write/delete on the bucket and use of its KMS key through S3."
  value       = data.aws_iam_policy_document.access.json
}
