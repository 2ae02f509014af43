# HTTP API in front of Lambda functions: one $default route for a single service or a path prefix per service,
# access logs to an encrypted log group, default-route throttling, an optional JWT authorizer and custom domain.

locals {
  short_name     = length(var.name) <= 50 ? var.name : "${trimsuffix(substr(var.name, 0, 41), "-")}-${substr(md5(var.name), 0, 8)}"
  single_service = length(var.routes) == 1
  jwt            = var.jwt_issuer != null

  # Route key => service.
  route_services = local.single_service ? { "$default" = one(keys(var.routes)) } : merge(
    { for service in keys(var.routes) : "ANY /${service}" => service },
    { for service in keys(var.routes) : "ANY /${service}/{proxy+}" => service },
  )
}

resource "aws_cloudwatch_log_group" "access" {
  name              = "/aws/apigateway/${var.name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

resource "aws_apigatewayv2_api" "this" {
  name                         = var.name
  description                  = "HTTP API ${var.name}"
  protocol_type                = "HTTP"
  disable_execute_api_endpoint = var.disable_execute_api_endpoint
  tags                         = var.tags
}

resource "aws_apigatewayv2_authorizer" "jwt" {
  count = local.jwt ? 1 : 0

  api_id           = aws_apigatewayv2_api.this.id
  name             = "jwt"
  authorizer_type  = "JWT"
  identity_sources = ["$request.header.Authorization"]

  jwt_configuration {
    issuer   = var.jwt_issuer
    audience = var.jwt_audience
  }
}

resource "aws_apigatewayv2_integration" "this" {
  for_each = var.routes

  api_id                 = aws_apigatewayv2_api.this.id
  description            = "Lambda function ${each.value.function_name}"
  integration_type       = "AWS_PROXY"
  integration_method     = "POST"
  integration_uri        = each.value.invoke_arn
  payload_format_version = "2.0"
  timeout_milliseconds   = var.integration_timeout_ms
}

resource "aws_apigatewayv2_route" "this" {
  #checkov:skip=CKV_AWS_309:Authorization is conditional: with jwt_issuer set every route requires a JWT; without it the public API authenticates callers in the service itself, as the spec describes it.
  for_each = local.route_services

  api_id             = aws_apigatewayv2_api.this.id
  route_key          = each.key
  target             = "integrations/${aws_apigatewayv2_integration.this[each.value].id}"
  authorization_type = local.jwt ? "JWT" : "NONE"
  authorizer_id      = local.jwt ? aws_apigatewayv2_authorizer.jwt[0].id : null
}

resource "aws_apigatewayv2_stage" "this" {
  api_id      = aws_apigatewayv2_api.this.id
  name        = "$default"
  auto_deploy = true
  tags        = var.tags

  access_log_settings {
    destination_arn = aws_cloudwatch_log_group.access.arn
    format = jsonencode({
      requestId          = "$context.requestId"
      requestTime        = "$context.requestTime"
      sourceIp           = "$context.identity.sourceIp"
      userAgent          = "$context.identity.userAgent"
      httpMethod         = "$context.httpMethod"
      path               = "$context.path"
      routeKey           = "$context.routeKey"
      protocol           = "$context.protocol"
      status             = "$context.status"
      responseLength     = "$context.responseLength"
      responseLatency    = "$context.responseLatency"
      integrationLatency = "$context.integrationLatency"
      integrationStatus  = "$context.integrationStatus"
      integrationError   = "$context.integrationErrorMessage"
      errorMessage       = "$context.error.message"
      domainName         = "$context.domainName"
    })
  }

  default_route_settings {
    throttling_rate_limit    = var.throttling_rate_limit
    throttling_burst_limit   = var.throttling_burst_limit
    detailed_metrics_enabled = true
  }
}

# Each function may be invoked by this API only, on its own routes.
resource "aws_lambda_permission" "this" {
  for_each = var.routes

  statement_id  = "AllowHttpApi-${local.short_name}"
  action        = "lambda:InvokeFunction"
  function_name = each.value.function_name
  principal     = "apigateway.amazonaws.com"
  source_arn = (
    local.single_service
    ? "${aws_apigatewayv2_api.this.execution_arn}/*/$default"
    : "${aws_apigatewayv2_api.this.execution_arn}/*/*/${each.key}*"
  )
}

# ---------------------------------------------------------------------------------------------------------------
# Optional custom domain (TLS 1.2+), mapped to the stage.

resource "aws_apigatewayv2_domain_name" "this" {
  count = var.domain_name != null ? 1 : 0

  domain_name = var.domain_name
  tags        = var.tags

  domain_name_configuration {
    certificate_arn = var.certificate_arn
    endpoint_type   = "REGIONAL"
    security_policy = "TLS_1_2"
  }

  lifecycle {
    precondition {
      condition     = var.certificate_arn != null
      error_message = "A custom domain_name needs certificate_arn (a regional ACM certificate)."
    }
  }
}

resource "aws_apigatewayv2_api_mapping" "this" {
  count = var.domain_name != null ? 1 : 0

  api_id      = aws_apigatewayv2_api.this.id
  domain_name = aws_apigatewayv2_domain_name.this[0].id
  stage       = aws_apigatewayv2_stage.this.id
}
