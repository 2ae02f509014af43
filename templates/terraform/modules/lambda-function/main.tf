# One Lambda function: arm64, code from S3 checked against a code-signing profile, X-Ray tracing, reserved
# concurrency, an encrypted dead-letter queue, KMS-encrypted environment and logs, optional VPC attachment, and a
# role with only what the function itself needs (data-store access is attached by the root's wiring).

data "aws_partition" "current" {}

locals {
  # Function names allow 64 characters, IAM role names 64 and signing profile names 64 (letters, digits, _).
  function_name = length(var.name) <= 64 ? var.name : "${trimsuffix(substr(var.name, 0, 55), "-")}-${substr(md5(var.name), 0, 8)}"
  short_name    = length(var.name) <= 50 ? var.name : "${trimsuffix(substr(var.name, 0, 41), "-")}-${substr(md5(var.name), 0, 8)}"
  partition     = data.aws_partition.current.partition
}

resource "aws_cloudwatch_log_group" "this" {
  name              = "/aws/lambda/${local.function_name}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.kms_key_arn
  tags              = var.tags
}

resource "aws_sqs_queue" "dlq" {
  name                              = "${local.function_name}-dlq"
  kms_master_key_id                 = var.kms_key_arn
  kms_data_key_reuse_period_seconds = 300
  message_retention_seconds         = 1209600
  tags                              = var.tags
}

# ---------------------------------------------------------------------------------------------------------------
# Code signing: packages are checked against this profile's signatures (Warn logs unsigned ones, Enforce rejects).

resource "aws_signer_signing_profile" "this" {
  # Signer keeps a cancelled profile's name forever, so the name gets a unique suffix.
  name_prefix = "${substr(replace(local.short_name, "-", "_"), 0, 37)}_"
  platform_id = "AWSLambda-SHA384-ECDSA"
  tags        = var.tags

  signature_validity_period {
    value = 5
    type  = "YEARS"
  }
}

resource "aws_lambda_code_signing_config" "this" {
  description = "Signing profile ${aws_signer_signing_profile.this.name} for ${local.function_name}"
  tags        = var.tags

  allowed_publishers {
    signing_profile_version_arns = [aws_signer_signing_profile.this.version_arn]
  }

  policies {
    untrusted_artifact_on_deployment = var.untrusted_artifact_on_deployment
  }
}

# ---------------------------------------------------------------------------------------------------------------
# IAM

data "aws_iam_policy_document" "assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["lambda.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "this" {
  name                 = "${local.short_name}-lambda"
  description          = "Runtime identity of the ${var.service_name} function (${local.function_name})"
  assume_role_policy   = data.aws_iam_policy_document.assume.json
  max_session_duration = 3600
  tags                 = var.tags
}

data "aws_iam_policy_document" "this" {
  statement {
    sid       = "WriteOwnLogs"
    actions   = ["logs:CreateLogStream", "logs:PutLogEvents"]
    resources = ["${aws_cloudwatch_log_group.this.arn}:*"]
  }

  statement {
    sid       = "SendFailedEventsToTheDeadLetterQueue"
    actions   = ["sqs:SendMessage"]
    resources = [aws_sqs_queue.dlq.arn]
  }

  statement {
    sid       = "UseTheRegionKey"
    actions   = ["kms:Decrypt", "kms:GenerateDataKey"]
    resources = [var.kms_key_arn]
  }
}

resource "aws_iam_role_policy" "this" {
  name   = "logs-dlq-and-key"
  role   = aws_iam_role.this.id
  policy = data.aws_iam_policy_document.this.json
}

resource "aws_iam_role_policy_attachment" "xray" {
  role       = aws_iam_role.this.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/AWSXRayDaemonWriteAccess"
}

resource "aws_iam_role_policy_attachment" "vpc" {
  count = var.in_vpc ? 1 : 0

  role       = aws_iam_role.this.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AWSLambdaENIManagementAccess"
}

# ---------------------------------------------------------------------------------------------------------------
# Network (only in a VPC): egress to data stores inside the VPC and HTTPS through the NAT gateway, no ingress.

resource "aws_security_group" "this" {
  count = var.in_vpc ? 1 : 0

  name        = "${var.name}-lambda"
  description = "Function ${local.function_name}: no ingress, egress to the VPC and HTTPS"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-lambda" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_egress_rule" "vpc" {
  count = var.in_vpc ? 1 : 0

  security_group_id = aws_security_group.this[0].id
  description       = "TCP to data stores and services inside the VPC"
  ip_protocol       = "tcp"
  from_port         = 1
  to_port           = 65535
  cidr_ipv4         = var.vpc_cidr_block
  tags              = var.tags
}

resource "aws_vpc_security_group_egress_rule" "https" {
  count = var.in_vpc ? 1 : 0

  security_group_id = aws_security_group.this[0].id
  description       = "HTTPS to AWS APIs through the NAT gateway"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
  tags              = var.tags
}

# ---------------------------------------------------------------------------------------------------------------
# The function

resource "aws_lambda_function" "this" {
  #checkov:skip=CKV_AWS_117:VPC attachment is conditional (in_vpc): it is on whenever the design has a VPC; a function with no VPC resources to reach needs no network interfaces.
  function_name                  = local.function_name
  description                    = "${var.service_name} (${var.name})"
  role                           = aws_iam_role.this.arn
  s3_bucket                      = var.s3_bucket
  s3_key                         = var.s3_key
  s3_object_version              = var.s3_object_version
  runtime                        = var.runtime
  handler                        = var.handler
  architectures                  = [var.architecture]
  memory_size                    = var.memory_mib
  timeout                        = var.timeout_seconds
  reserved_concurrent_executions = var.reserved_concurrency
  kms_key_arn                    = var.kms_key_arn
  code_signing_config_arn        = aws_lambda_code_signing_config.this.arn
  tags                           = var.tags

  environment {
    variables = merge({ SERVICE_NAME = var.service_name }, var.environment)
  }

  tracing_config {
    mode = "Active"
  }

  dead_letter_config {
    target_arn = aws_sqs_queue.dlq.arn
  }

  logging_config {
    log_format            = "JSON"
    log_group             = aws_cloudwatch_log_group.this.name
    application_log_level = "INFO"
    system_log_level      = "WARN"
  }

  dynamic "vpc_config" {
    for_each = var.in_vpc ? [1] : []

    content {
      subnet_ids         = var.subnet_ids
      security_group_ids = [aws_security_group.this[0].id]
    }
  }

  lifecycle {
    precondition {
      condition     = !var.in_vpc || (var.vpc_id != null && var.vpc_cidr_block != null && length(var.subnet_ids) > 0)
      error_message = "A function in the VPC needs vpc_id, vpc_cidr_block and subnet_ids."
    }
  }

  depends_on = [
    aws_iam_role_policy.this,
    aws_iam_role_policy_attachment.xray,
    aws_iam_role_policy_attachment.vpc,
  ]
}
