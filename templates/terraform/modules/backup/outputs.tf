output "arn" {
  description = "ARN of the backup vault."
  value       = aws_backup_vault.this.arn
}

output "vault_arn" {
  description = "ARN of the backup vault (pass it to the primary Region's root as backup_copy_vault_arn)."
  value       = aws_backup_vault.this.arn
}

output "vault_name" {
  description = "Name of the backup vault."
  value       = aws_backup_vault.this.name
}

output "plan_id" {
  description = "ID of the backup plan; null for a vault without a plan."
  value       = local.create_plan ? aws_backup_plan.this[0].id : null
}

output "role_arn" {
  description = "ARN of the role AWS Backup uses; null for a vault without a plan."
  value       = local.create_plan ? aws_iam_role.this[0].arn : null
}

output "selection_tag" {
  description = "The tag (key and value) that opts a resource into the plan."
  value       = var.selection_tag
}
