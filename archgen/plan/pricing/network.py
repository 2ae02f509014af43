"""Pricing rules for the network and the edge: VPC, NAT, load balancers, API Gateway, CDNs, WAF, DNS."""

from __future__ import annotations

from archgen.design import Component, number
from archgen.plan.pricing.pricer import SHARED, Pricer, Rule, internet_out, zones
from archgen.plan.usage import usage_assumptions
from archgen.recovery_data import recovery_data
from archgen.sizing_data import sizing_data


def shared(p: Pricer, region: str) -> None:
    """The platform every Region's Terraform root creates: its KMS key and its access-log bucket."""
    platform = Component(id=SHARED, kind="shared", region=region)
    p.add(platform, "aws_kms_key", "kms/key", 1, "one customer-managed key per Region root (rotation on)")
    use = p.usage(region)
    assume = usage_assumptions()
    p.add(
        platform,
        "aws_kms_key",
        "kms/requests",
        assume.kms_requests_per_region / 1e6,
        f"{assume.kms_requests_per_region:,.0f} data-key requests (S3 Bucket Keys and the database and log "
        "services cache data keys, so requests do not grow with traffic)",
    )
    log_gb = use.requests * assume.access_log_kb_per_request / (1024 * 1024)
    p.add(
        platform,
        "aws_s3_bucket",
        "s3/standard",
        log_gb,
        f"access logs: {use.requests:,.0f} requests × {assume.access_log_kb_per_request:g} KB, kept about a month",
    )


def _vpc(p: Pricer, c: Component) -> None:
    use = p.usage(c.region)
    assume = usage_assumptions()
    gb = use.requests * assume.flow_log_kb_per_request / (1024 * 1024)
    p.add(
        c,
        "aws_flow_log",
        "cloudwatch/logs-ingest",
        gb,
        f"VPC flow logs: {use.requests:,.0f} requests × {assume.flow_log_kb_per_request:g} KB of records"
        + p.standby_note(c),
    )


def _nat(p: Pricer, c: Component) -> None:
    count = p.running(c, "count")
    p.add(c, "aws_nat_gateway", "nat/hour", count * p.hours, f"{count} NAT gateway(s) × {p.hours:g} h")
    p.add(c, "aws_eip", "ipv4/address", count * p.hours, f"{count} public IPv4 address(es) × {p.hours:g} h")
    use = p.usage(c.region)
    share = usage_assumptions().nat_share_of_traffic
    p.add(
        c,
        "aws_nat_gateway",
        "nat/gb",
        use.processed_gb * share,
        f"{use.processed_gb:,.1f} GB served × {share:g}: outbound calls from private subnets" + p.standby_note(c),
    )


def _alb(p: Pricer, c: Component) -> None:
    assume = usage_assumptions()
    p.add(c, "aws_lb", "alb/hour", p.hours, f"1 load balancer × {p.hours:g} h")
    count = zones(p, c.region)
    p.add(
        c,
        "aws_lb",
        "ipv4/address",
        count,
        f"{count} public IPv4 addresses (one per AZ), each billed every hour of the month",
        size="public IPv4 address",
        per_month=True,
    )
    use = p.usage(c.region)
    rps = use.average_rps * use.share
    new_connections = rps * assume.alb_new_connection_share / assume.alb_lcu_new_connections
    processed = use.processed_gb / p.hours / assume.alb_lcu_processed_gb_hour
    lcu = max(new_connections, processed)
    p.add(
        c,
        "aws_lb",
        "alb/lcu",
        lcu * p.hours,
        f"{lcu:.2f} LCU × {p.hours:g} h: the larger of {rps:g} rps × {assume.alb_new_connection_share:g} new "
        f"connections ÷ {assume.alb_lcu_new_connections:g}/s and {use.processed_gb / p.hours:.2f} GB/h processed"
        + p.standby_note(c),
    )
    internet_out(p, c, "aws_lb")


def _api_gateway(p: Pricer, c: Component) -> None:
    use = p.usage(c.region)
    p.add(
        c,
        "aws_apigatewayv2_api",
        "apigw/http",
        use.requests / 1e6,
        f"{use.requests:,.0f} requests" + p.standby_note(c),
    )
    internet_out(p, c, "aws_apigatewayv2_api")


def _cloudfront(p: Pricer, c: Component) -> None:
    use = p.usage(c.region)
    p.add(
        c,
        "aws_cloudfront_distribution",
        "cloudfront/gb",
        use.response_gb,
        f"{use.requests:,.0f} responses × {use.response_kb:g} KB to viewers",
    )
    p.add(c, "aws_cloudfront_distribution", "cloudfront/requests", use.requests / 1e6, "HTTPS requests")


def _cloudflare(p: Pricer, c: Component) -> None:
    plan = str(c.properties.get("plan", sizing_data().edge.cloudflare_plan))
    p.add(
        c, "cloudflare_zone", f"cloudflare/{plan}", 1, f"Cloudflare {plan} plan, one zone (billed annually)", size=plan
    )


def _waf(p: Pricer, c: Component) -> None:
    if any(x.kind == "cloudflare-zone" for x in p.components):
        p.add(
            c,
            "cloudflare_ruleset",
            "cloudflare/managed-waf",
            1,
            "Cloudflare Managed Ruleset and per-IP rate limit, included in the zone's plan",
        )
        return
    rules = 5  # the managed rule groups and the rate-based rule in templates/terraform/modules/waf
    use = p.usage(c.region)
    p.add(c, "aws_wafv2_web_acl", "waf/web-acl", 1, "one web ACL")
    p.add(c, "aws_wafv2_web_acl", "waf/rule", rules, f"{rules} rules and managed rule groups")
    p.add(c, "aws_wafv2_web_acl", "waf/requests", use.requests / 1e6, f"{use.requests:,.0f} requests inspected")


def _route53(p: Pricer, c: Component) -> None:
    """Health checks on each Region's entry and the routing records (in the team's existing hosted zone)."""
    checks = int(number(c.properties, "health_checks"))
    standard = recovery_data().detection.health_check_interval_seconds
    fast = number(c.properties, "health_check_interval_seconds") < standard
    options = 2 if fast else 1  # HTTPS, and the fast (10 s) interval: each an optional feature billed per check
    p.add(
        c, "aws_route53_health_check", "route53/health-check", checks, f"{checks} HTTPS health checks (AWS endpoints)"
    )
    p.add(
        c,
        "aws_route53_health_check",
        "route53/health-check-option",
        checks * options,
        f"{checks} checks × {options} optional feature(s): HTTPS" + (", 10 s interval" if fast else ""),
    )
    use = p.usage(c.region)
    latency = c.properties.get("routing") == "latency"
    queries = use.requests / 100
    p.add(
        c,
        "aws_route53_record",
        "route53/latency-queries" if latency else "route53/queries",
        queries / 1e6,
        f"{queries:,.0f} DNS queries: one per 100 requests (resolvers cache for the record's TTL)",
    )


RULES: dict[str, Rule] = {
    "vpc": _vpc,
    "nat-gateway": _nat,
    "alb": _alb,
    "api-gateway-http": _api_gateway,
    "cloudfront": _cloudfront,
    "cloudflare-zone": _cloudflare,
    "waf": _waf,
    "route53-zone": _route53,
}
