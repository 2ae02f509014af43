output "api_id" {
  description = "ID of the HTTP API."
  value       = aws_apigatewayv2_api.this.id
}

output "arn" {
  description = "ARN of the HTTP API."
  value       = aws_apigatewayv2_api.this.arn
}

output "api_endpoint" {
  description = "Default endpoint URL (https://<id>.execute-api.<region>.amazonaws.com)."
  value       = aws_apigatewayv2_api.this.api_endpoint
}

output "endpoint_host" {
  description = "Host name of the default endpoint, for a CDN origin."
  value       = trimprefix(aws_apigatewayv2_api.this.api_endpoint, "https://")
}

output "execution_arn" {
  description = "Execution ARN of the API (prefix of invoke permissions)."
  value       = aws_apigatewayv2_api.this.execution_arn
}

output "stage_invoke_url" {
  description = "Invoke URL of the $default stage."
  value       = aws_apigatewayv2_stage.this.invoke_url
}

output "domain_target" {
  description = "Regional target domain name for the custom domain's alias record; null without domain_name."
  value       = var.domain_name != null ? lookup(aws_apigatewayv2_domain_name.this[0].domain_name_configuration[0], "target_domain_name", null) : null
}

output "domain_zone_id" {
  description = "Hosted zone ID of the custom domain's target, for an alias record; null without domain_name."
  value       = var.domain_name != null ? lookup(aws_apigatewayv2_domain_name.this[0].domain_name_configuration[0], "hosted_zone_id", null) : null
}

output "access_log_group_name" {
  description = "Log group of the access logs."
  value       = aws_cloudwatch_log_group.access.name
}
