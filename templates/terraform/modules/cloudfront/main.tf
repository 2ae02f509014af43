# A CloudFront distribution in front of the design's entry point (ALB or API Gateway, HTTPS only) or of a private
# S3 bucket (origin access control, SigV4): TLS 1.2+ with an ACM certificate from us-east-1, HTTP redirected to
# HTTPS, managed cache policies, security response headers, optional WAF web ACL, access logs (standard logging
# v2) to the Region's log bucket.
locals {
  is_s3     = var.origin_type == "s3"
  origin_id = "primary"

  # S3: cache everything by the managed policy; ALB and API: no caching, the viewer's request passed through.
  cache_policy = local.is_s3 ? "Managed-CachingOptimized" : "Managed-CachingDisabled"
  # ALB: its certificate names domain_name, so the viewer's Host header (and SNI) must reach it.
  # API Gateway: it only answers to its own host name, so everything but Host is forwarded.
  origin_request_policy = {
    alb         = "Managed-AllViewer"
    api-gateway = "Managed-AllViewerExceptHostHeader"
    s3          = null
  }[var.origin_type]

  custom_headers = var.origin_verify_header_value == null || local.is_s3 ? {} : { "X-Origin-Verify" = var.origin_verify_header_value }
}

data "aws_cloudfront_cache_policy" "this" {
  name = local.cache_policy
}

data "aws_cloudfront_origin_request_policy" "this" {
  count = local.origin_request_policy == null ? 0 : 1

  name = local.origin_request_policy
}

# -- certificate (CloudFront only takes certificates from us-east-1) ---------------------------------------------
resource "aws_acm_certificate" "this" {
  provider = aws.us_east_1

  domain_name       = var.domain_name
  validation_method = "DNS"
  tags              = var.tags

  options {
    certificate_transparency_logging_preference = "ENABLED"
  }

  lifecycle {
    create_before_destroy = true
  }
}

locals {
  validation_records = {
    for option in aws_acm_certificate.this.domain_validation_options : option.domain_name => {
      name  = option.resource_record_name
      type  = option.resource_record_type
      value = option.resource_record_value
    }
  }
}

resource "aws_route53_record" "validation" {
  for_each = var.route53_zone_id == null ? {} : local.validation_records

  zone_id         = var.route53_zone_id
  name            = each.value.name
  type            = each.value.type
  records         = [each.value.value]
  ttl             = 300
  allow_overwrite = true
}

resource "aws_acm_certificate_validation" "this" {
  provider = aws.us_east_1

  certificate_arn         = aws_acm_certificate.this.arn
  validation_record_fqdns = var.route53_zone_id == null ? null : [for record in aws_route53_record.validation : record.fqdn]
}

# -- origin access control (S3 origins) ---------------------------------------------------------------------------
resource "aws_cloudfront_origin_access_control" "this" {
  count = local.is_s3 ? 1 : 0

  name                              = substr("${var.name}-oac", 0, 64)
  description                       = "CloudFront signs its requests to the ${var.name} bucket."
  origin_access_control_origin_type = "s3"
  signing_behavior                  = "always"
  signing_protocol                  = "sigv4"
}

# -- security response headers --------------------------------------------------------------------------------------
resource "aws_cloudfront_response_headers_policy" "security" {
  name    = "${var.name}-security-headers"
  comment = "Security headers for every response of ${var.domain_name}."

  security_headers_config {
    strict_transport_security {
      access_control_max_age_sec = 31536000
      include_subdomains         = true
      preload                    = true
      override                   = true
    }

    content_type_options {
      override = true
    }

    frame_options {
      frame_option = "DENY"
      override     = true
    }

    referrer_policy {
      referrer_policy = "strict-origin-when-cross-origin"
      override        = true
    }

    xss_protection {
      protection = true
      mode_block = true
      override   = true
    }
  }
}

# -- the distribution -----------------------------------------------------------------------------------------------
resource "aws_cloudfront_distribution" "this" {
  #checkov:skip=CKV_AWS_86:Access logs use CloudFront standard logging v2 (aws_cloudwatch_log_delivery below, to the log bucket's cdn/ prefix), which this check does not recognise; the legacy logging_config would need ACLs on the log bucket.
  #checkov:skip=CKV_AWS_310:Regional failover happens behind the single origin: with a live recovery Region the origin is a Route 53 failover or latency name (the global root), because an origin group would fail over only GET, HEAD and OPTIONS requests, not an API's writes.
  #checkov:skip=CKV_AWS_374:The service is offered worldwide by design; no country is excluded (geo restriction type none).
  #checkov:skip=CKV2_AWS_47:The web ACL comes from the waf module (web_acl_arn), which runs AWSManagedRulesKnownBadInputsRuleSet and AWSManagedRulesAnonymousIpList; checkov cannot follow the ARN across modules.
  enabled             = true
  comment             = "${var.name}: ${var.domain_name}"
  aliases             = [var.domain_name]
  price_class         = var.price_class
  http_version        = "http2and3"
  is_ipv6_enabled     = true
  web_acl_id          = var.web_acl_arn
  default_root_object = local.is_s3 ? "index.html" : null
  wait_for_deployment = true
  tags                = var.tags

  origin {
    origin_id                = local.origin_id
    domain_name              = var.origin_domain_name
    origin_access_control_id = local.is_s3 ? aws_cloudfront_origin_access_control.this[0].id : null

    dynamic "custom_origin_config" {
      for_each = local.is_s3 ? [] : [1]

      content {
        http_port                = 80
        https_port               = 443
        origin_protocol_policy   = "https-only"
        origin_ssl_protocols     = ["TLSv1.2"]
        origin_read_timeout      = 30
        origin_keepalive_timeout = 5
      }
    }

    dynamic "custom_header" {
      for_each = local.custom_headers

      content {
        name  = custom_header.key
        value = custom_header.value
      }
    }
  }

  default_cache_behavior {
    target_origin_id           = local.origin_id
    viewer_protocol_policy     = "redirect-to-https"
    allowed_methods            = local.is_s3 ? ["GET", "HEAD", "OPTIONS"] : ["GET", "HEAD", "OPTIONS", "PUT", "POST", "PATCH", "DELETE"]
    cached_methods             = ["GET", "HEAD"]
    compress                   = true
    cache_policy_id            = data.aws_cloudfront_cache_policy.this.id
    origin_request_policy_id   = local.origin_request_policy == null ? null : data.aws_cloudfront_origin_request_policy.this[0].id
    response_headers_policy_id = aws_cloudfront_response_headers_policy.security.id
  }

  restrictions {
    geo_restriction {
      restriction_type = "none"
    }
  }

  viewer_certificate {
    acm_certificate_arn      = aws_acm_certificate_validation.this.certificate_arn
    ssl_support_method       = "sni-only"
    minimum_protocol_version = "TLSv1.2_2021"
  }

  lifecycle {
    precondition {
      condition     = !local.is_s3 || var.origin_bucket_arn != null
      error_message = "An s3 origin needs origin_bucket_arn."
    }
  }
}

# -- access logs: standard logging v2, delivered by CloudWatch Logs (its objects live in us-east-1) ----------------
resource "aws_cloudwatch_log_delivery_source" "access" {
  provider = aws.us_east_1

  name         = "${var.name}-access-logs"
  log_type     = "ACCESS_LOGS"
  resource_arn = aws_cloudfront_distribution.this.arn
  tags         = var.tags
}

resource "aws_cloudwatch_log_delivery_destination" "access" {
  provider = aws.us_east_1

  name          = "${var.name}-access-logs"
  output_format = "w3c"
  tags          = var.tags

  delivery_destination_configuration {
    destination_resource_arn = "${var.log_bucket_arn}/cdn"
  }
}

resource "aws_cloudwatch_log_delivery" "access" {
  provider = aws.us_east_1

  delivery_source_name     = aws_cloudwatch_log_delivery_source.access.name
  delivery_destination_arn = aws_cloudwatch_log_delivery_destination.access.arn
  tags                     = var.tags
}

# -- what the S3 origin's bucket policy must allow (owned by the bucket's module) -----------------------------------
data "aws_iam_policy_document" "origin_access" {
  count = local.is_s3 ? 1 : 0

  statement {
    sid       = "CloudFrontReadsThroughOriginAccessControl"
    actions   = ["s3:GetObject"]
    resources = ["${var.origin_bucket_arn}/*"]

    principals {
      type        = "Service"
      identifiers = ["cloudfront.amazonaws.com"]
    }

    condition {
      test     = "StringEquals"
      variable = "AWS:SourceArn"
      values   = [aws_cloudfront_distribution.this.arn]
    }
  }
}
