# Internet-facing Application Load Balancer: HTTPS (443) only, no plaintext listener at all, an HSTS header on every
# response, access logs, invalid headers dropped, deletion protection, and one IP target group per service, routed
# by path when there are several. HTTPS is open to the internet, or, when CloudFront fronts the load balancer, only
# to CloudFront's origin-facing servers (their managed prefix list), so clients cannot bypass the edge; Route 53
# health checks that probe it directly (DNS failover) then come in through a second group.

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

  behind_cloudfront = var.https_ingress_from == "cloudfront"
  # Open to the internet, the health checkers need no rule of their own.
  health_check_group = local.behind_cloudfront && var.route53_health_checks
}

data "aws_region" "current" {}

# Address ranges AWS maintains. A rule that references a prefix list counts as the list's weight against its
# group's quota of inbound rules (60 by default): CloudFront's weighs 55 and Route 53's 25, hence two groups.
data "aws_ec2_managed_prefix_list" "cloudfront" {
  count = local.behind_cloudfront ? 1 : 0

  name = "com.amazonaws.global.cloudfront.origin-facing"
}

data "aws_ec2_managed_prefix_list" "route53_health_checks" {
  count = local.health_check_group ? 1 : 0

  name = "com.amazonaws.${data.aws_region.current.name}.route53-healthchecks"
}

# The description is fixed text: changing a security group's description replaces the group.
resource "aws_security_group" "this" {
  name        = "${var.name}-alb"
  description = "Load balancer ${var.name}: HTTPS (443) in, traffic to targets in the VPC out"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-alb" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "https" {
  security_group_id = aws_security_group.this.id
  description       = local.behind_cloudfront ? "HTTPS only from the CloudFront origin-facing servers, so clients cannot bypass the edge" : "HTTPS from the internet: this is the public entry point"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  cidr_ipv4         = local.behind_cloudfront ? null : "0.0.0.0/0"
  prefix_list_id    = local.behind_cloudfront ? data.aws_ec2_managed_prefix_list.cloudfront[0].id : null
  tags              = var.tags
}

resource "aws_security_group" "health_checks" {
  count = local.health_check_group ? 1 : 0

  name        = "${var.name}-alb-health-checks"
  description = "Load balancer ${var.name}: HTTPS (443) from the Route 53 health checkers"
  vpc_id      = var.vpc_id
  tags        = merge(var.tags, { Name = "${var.name}-alb-health-checks" })

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_vpc_security_group_ingress_rule" "route53_health_checks" {
  count = local.health_check_group ? 1 : 0

  security_group_id = aws_security_group.health_checks[0].id
  description       = "HTTPS from the Route 53 health checkers, which probe this load balancer for DNS failover"
  ip_protocol       = "tcp"
  from_port         = 443
  to_port           = 443
  prefix_list_id    = data.aws_ec2_managed_prefix_list.route53_health_checks[0].id
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
  security_groups            = concat([aws_security_group.this.id], aws_security_group.health_checks[*].id)
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

  # Browsers that have seen this header use HTTPS for the domain from then on (there is no HTTP listener to fall to).
  routing_http_response_strict_transport_security_header_value = var.hsts_header_value

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
