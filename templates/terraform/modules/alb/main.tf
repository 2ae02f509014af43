# Internet-facing Application Load Balancer: HTTPS only (HTTP redirects), access logs, invalid headers dropped,
# deletion protection, and one IP target group per service, routed by path when there are several.

locals {
  # Load balancer and target group names allow 32 characters: a long name keeps a readable head (for a target
  # group, the service's name) and a hash of the full name, which keeps it unique.
  lb_name = length(var.name) <= 32 ? var.name : "${trimsuffix(substr(var.name, 0, 23), "-")}-${substr(md5(var.name), 0, 8)}"
  target_group_names = {
    for service in keys(var.targets) : service => (
      length("${var.name}-${service}") <= 32
      ? "${var.name}-${service}"
      : "${trimsuffix(substr(service, 0, 23), "-")}-${substr(md5("${var.name}-${service}"), 0, 8)}"
    )
  }
  services       = sort(keys(var.targets))
  single_service = length(var.targets) == 1
  target_ports   = toset([for t in values(var.targets) : tostring(t.port)])
}

resource "aws_security_group" "this" {
  name        = "${var.name}-alb"
  description = "Load balancer ${var.name}: HTTPS and HTTP (redirect) from the internet, traffic to targets in the VPC"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-alb" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "https" {
  security_group_id = aws_security_group.this.id
  description       = "HTTPS from the internet: this is the public entry point"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = "0.0.0.0/0"
  tags              = var.tags
}

resource "aws_vpc_security_group_ingress_rule" "http" {
  #checkov:skip=CKV_AWS_260:Port 80 is open only so the listener can answer with a permanent redirect to HTTPS; it never forwards to a target.
  security_group_id = aws_security_group.this.id
  description       = "HTTP from the internet, answered only with a redirect to HTTPS"
  ip_protocol       = "tcp"
  from_port         = 80
  to_port           = 80
  cidr_ipv4         = "0.0.0.0/0"
  tags              = var.tags
}

resource "aws_vpc_security_group_egress_rule" "targets" {
  for_each = local.target_ports

  security_group_id = aws_security_group.this.id
  description       = "To targets on port ${each.value}, inside the VPC only"
  ip_protocol       = "tcp"
  from_port         = tonumber(each.value)
  to_port           = tonumber(each.value)
  cidr_ipv4         = var.vpc_cidr_block
  tags              = var.tags
}

resource "aws_lb" "this" {
  #checkov:skip=CKV2_AWS_28:The web ACL is associated by the waf module when the spec asks for one (or sits on the CloudFront edge in front of this load balancer).
  #checkov:skip=CKV2_AWS_76:The Log4j managed rule set belongs to the web ACL, which the waf module owns.
  name                       = local.lb_name
  internal                   = false
  load_balancer_type         = "application"
  ip_address_type            = "ipv4"
  security_groups            = [aws_security_group.this.id]
  subnets                    = var.public_subnet_ids
  idle_timeout               = var.idle_timeout
  drop_invalid_header_fields = true
  desync_mitigation_mode     = "defensive"
  enable_http2               = true
  enable_deletion_protection = var.deletion_protection
  tags                       = merge(var.tags, { Name = var.name })

  access_logs {
    bucket  = var.access_logs_bucket
    prefix  = var.access_logs_prefix
    enabled = true
  }
}

resource "aws_lb_target_group" "this" {
  #checkov:skip=CKV_AWS_378:TLS terminates at the load balancer; targets sit in private subnets and accept traffic only from its security group.
  for_each = var.targets

  name                 = local.target_group_names[each.key]
  port                 = each.value.port
  protocol             = "HTTP"
  target_type          = each.value.target_type
  vpc_id               = var.vpc_id
  deregistration_delay = var.deregistration_delay
  tags                 = merge(var.tags, { Name = local.target_group_names[each.key], Service = each.key })

  health_check {
    enabled             = true
    path                = each.value.health_check_path
    port                = "traffic-port"
    protocol            = "HTTP"
    matcher             = "200-399"
    interval            = 15
    timeout             = 5
    healthy_threshold   = 3
    unhealthy_threshold = 3
  }
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.this.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = var.ssl_policy
  certificate_arn   = var.certificate_arn
  tags              = var.tags

  default_action {
    type             = local.single_service ? "forward" : "fixed-response"
    target_group_arn = local.single_service ? aws_lb_target_group.this[local.services[0]].arn : null

    dynamic "fixed_response" {
      for_each = local.single_service ? [] : [1]

      content {
        content_type = "text/plain"
        message_body = "Not found"
        status_code  = "404"
      }
    }
  }
}

resource "aws_lb_listener_rule" "service" {
  for_each = local.single_service ? {} : var.targets

  listener_arn = aws_lb_listener.https.arn
  priority     = 100 + index(local.services, each.key)
  tags         = var.tags

  action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.this[each.key].arn
  }

  condition {
    path_pattern {
      values = ["/${each.key}", "/${each.key}/*"]
    }
  }
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.this.arn
  port              = 80
  protocol          = "HTTP"
  tags              = var.tags

  default_action {
    type = "redirect"

    redirect {
      protocol    = "HTTPS"
      port        = "443"
      status_code = "HTTP_301"
    }
  }
}
