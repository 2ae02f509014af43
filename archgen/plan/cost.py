"""Price a planned design: one cost line per billed dimension of every component, from its sizes and the usage.

Each line names the component, the Terraform resource type it prices, the billing unit, the monthly quantity and
how it was derived (``basis``), and the unit price from the catalogue for the component's Region. Capacity lines
use the steady-state (desired) counts the sizing pass chose; usage lines use the spec's average traffic.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

from archgen.design import Component, Cost, CostLine, number
from archgen.plan.components import GLOBAL
from archgen.plan.usage import Usage, region_usage, store_gb, usage_assumptions
from archgen.price_catalogue import price_catalogue
from archgen.sizing_data import sizing_data
from archgen.spec import Spec

SHARED = "shared"  # the per-Region platform every Terraform root creates (KMS key, access-log bucket)


class _Pricer:
    """Collects the lines of one design."""

    def __init__(self, spec: Spec, strategy: str, regions: tuple[str, ...], components: Iterable[Component]) -> None:
        self.spec = spec
        self.strategy = strategy
        self.regions = regions
        self.components = tuple(components)
        self.catalogue = price_catalogue()
        self.hours = float(self.catalogue.hours_per_month)
        self.lines: list[CostLine] = []

    # -- helpers ---------------------------------------------------------------------------------------------
    def usage(self, region: str) -> Usage:
        """The traffic share of a Region: edge services see all of it."""
        if region == GLOBAL or region == self.regions[0]:
            share = 1 / len(self.regions) if self.strategy == "active-active" and region != GLOBAL else 1.0
        else:
            share = 1 / len(self.regions) if self.strategy == "active-active" else 0.0
        return region_usage(self.spec, share)

    def add(
        self,
        component: Component,
        resource: str,
        item: str,
        quantity: float,
        basis: str,
        *,
        size: str | None = None,
        region: str | None = None,
        per_month: bool = False,
    ) -> None:
        """One line; ``per_month`` prices an hourly item per whole month (quantity in months)."""
        where = region or component.region
        quote = self.catalogue.quote(item, where)
        unit = quote.unit
        price = quote.usd
        if per_month:
            assert unit == "hour", item
            unit, price = "month", price * self.hours
        quantity = round(quantity, 4)
        unit_usd = round(price, 10)
        self.lines.append(
            CostLine(
                component=component.id,
                resource=resource,
                size=size,
                unit=unit,
                quantity=quantity,
                unit_usd=unit_usd,
                monthly_usd=round(quantity * unit_usd, 2),
                region=where,
                item=item,
                estimate=quote.estimate,
                basis=basis,
            )
        )

    def running(self, component: Component, key: str = "desired_count") -> int:
        return int(number(component.properties, key))

    def standby_note(self, component: Component) -> str:
        if "replica_of" in component.properties and self.usage(component.region).share == 0:
            return " (standby Region: no traffic until failover)"
        return ""

    def first(self, kind: str, region: str) -> Component | None:
        return next((c for c in self.components if c.kind == kind and c.region == region), None)


def price_design(
    spec: Spec, strategy: str, regions: tuple[str, ...], components: Iterable[Component]
) -> tuple[CostLine, ...]:
    """Every cost line of the design, in component order."""
    pricer = _Pricer(spec, strategy, regions, components)
    for region in regions:
        _shared(pricer, region)
    for component in pricer.components:
        if not component.properties.get("dormant"):  # code only until a disaster is declared: nothing runs
            _RULES[component.kind](pricer, component)
    return tuple(pricer.lines)


def summarise(lines: tuple[CostLine, ...], spec: Spec) -> Cost:
    """The cost section: the total, the budget check, and the Regions priced through a factor."""
    total = round(sum(line.monthly_usd for line in lines), 2)
    budget = spec.budget.monthly_usd if spec.budget else None
    return Cost(
        monthly_usd=total,
        budget_usd=budget,
        within_budget=None if budget is None else total <= budget,
        prices_as_of=price_catalogue().as_of,
        estimated_regions=tuple(sorted({line.region for line in lines if line.estimate})),
        lines=lines,
    )


# -- the platform each Terraform root creates ---------------------------------------------------------------
def _shared(p: _Pricer, region: str) -> None:
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


# -- network -----------------------------------------------------------------------------------------------
def _vpc(p: _Pricer, c: Component) -> None:
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


def _nat(p: _Pricer, c: Component) -> None:
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


def _alb(p: _Pricer, c: Component) -> None:
    assume = usage_assumptions()
    p.add(c, "aws_lb", "alb/hour", p.hours, f"1 load balancer × {p.hours:g} h")
    zones = _zones(p, c.region)
    p.add(
        c,
        "aws_lb",
        "ipv4/address",
        zones,
        f"{zones} public IPv4 addresses (one per AZ), each billed every hour of the month",
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
    _internet_out(p, c, "aws_lb")


def _zones(p: _Pricer, region: str) -> int:
    network = p.first("vpc", region)
    return int(number(network.properties, "az_count")) if network else 2


def _internet_out(p: _Pricer, c: Component, resource: str) -> None:
    """Responses leave AWS here unless a CDN in front of the entry carries them."""
    if any(x.kind == "cloudfront" for x in p.components):
        return  # CloudFront serves clients; origin fetches to CloudFront are free
    use = p.usage(c.region)
    p.add(
        c,
        resource,
        "transfer/internet",
        use.response_gb,
        f"data out: {use.requests:,.0f} responses × {use.response_kb:g} KB" + p.standby_note(c),
    )


def _api_gateway(p: _Pricer, c: Component) -> None:
    use = p.usage(c.region)
    p.add(
        c,
        "aws_apigatewayv2_api",
        "apigw/http",
        use.requests / 1e6,
        f"{use.requests:,.0f} requests" + p.standby_note(c),
    )
    _internet_out(p, c, "aws_apigatewayv2_api")


def _cloudfront(p: _Pricer, c: Component) -> None:
    use = p.usage(c.region)
    p.add(
        c,
        "aws_cloudfront_distribution",
        "cloudfront/gb",
        use.response_gb,
        f"{use.requests:,.0f} responses × {use.response_kb:g} KB to viewers",
    )
    p.add(c, "aws_cloudfront_distribution", "cloudfront/requests", use.requests / 1e6, "HTTPS requests")


def _cloudflare(p: _Pricer, c: Component) -> None:
    plan = str(c.properties.get("plan", sizing_data().edge.cloudflare_plan))
    p.add(
        c, "cloudflare_zone", f"cloudflare/{plan}", 1, f"Cloudflare {plan} plan, one zone (billed annually)", size=plan
    )


def _waf(p: _Pricer, c: Component) -> None:
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


def _route53(p: _Pricer, c: Component) -> None:
    use = p.usage(c.region)
    p.add(c, "aws_route53_zone", "route53/zone", 1, "one hosted zone")
    queries = use.requests / 100 / 1e6
    p.add(c, "aws_route53_zone", "route53/queries", queries, "one DNS query per 100 requests (resolvers cache)")


# -- compute -----------------------------------------------------------------------------------------------
def _ecs_service(p: _Pricer, c: Component) -> None:
    props = c.properties
    tasks = p.running(c)
    vcpu = number(props, "cpu")
    gb = number(props, "memory_mib") / 1024
    arch = str(props.get("architecture", "x86_64")).lower()
    capacity = "fargate-spot" if props.get("capacity") == "spot" else "fargate"
    label = f"{tasks} task(s) × {p.hours:g} h" + (" on Fargate Spot" if capacity == "fargate-spot" else "")
    if not tasks and "replica_of" in props:
        label += " (pilot light: scaled to zero until failover)"
    p.add(c, "aws_ecs_service", f"{capacity}/vcpu/{arch}", tasks * vcpu * p.hours, f"{label} × {vcpu:g} vCPU")
    p.add(c, "aws_ecs_service", f"{capacity}/gb/{arch}", tasks * gb * p.hours, f"{label} × {gb:g} GB")
    _logs(p, c)


def _logs(p: _Pricer, c: Component) -> None:
    """Application logs of one service: its share of the Region's requests."""
    use = p.usage(c.region)
    services = max(1, len(p.spec.service_list))
    assume = usage_assumptions()
    gb = use.requests / services * assume.log_kb_per_request / (1024 * 1024)
    p.add(
        c,
        "aws_cloudwatch_log_group",
        "cloudwatch/logs-ingest",
        gb,
        f"{use.requests / services:,.0f} requests × {assume.log_kb_per_request:g} KB of logs" + p.standby_note(c),
    )
    p.add(
        c,
        "aws_cloudwatch_log_group",
        "cloudwatch/logs-storage",
        gb * assume.log_retention_months,
        f"{gb:,.2f} GB kept {assume.log_retention_months:g} month(s)",
    )


def _instances(p: _Pricer, c: Component, resource: str, volume_key: str) -> None:
    props = c.properties
    count = p.running(c)
    instance = str(props["instance_type"])
    note = " (pilot light: scaled to zero until failover)" if not count and "replica_of" in props else ""
    p.add(c, resource, f"ec2/{instance}", count * p.hours, f"{count} × {instance} × {p.hours:g} h{note}", size=instance)
    volume = number(props, volume_key)
    p.add(c, resource, "ebs/gp3", count * volume, f"{count} × {volume:g} GB gp3 root volume")


def _asg(p: _Pricer, c: Component) -> None:
    _instances(p, c, "aws_autoscaling_group", "root_volume_gb")
    _logs(p, c)


def _nodes(p: _Pricer, c: Component) -> None:
    _instances(p, c, "aws_eks_node_group", "disk_gb")


def _eks(p: _Pricer, c: Component) -> None:
    p.add(c, "aws_eks_cluster", "eks/cluster", p.hours, f"1 cluster × {p.hours:g} h (standard support)")


def _k8s_deployment(p: _Pricer, c: Component) -> None:
    _logs(p, c)  # its pods run on the node group, priced there


def _lambda(p: _Pricer, c: Component) -> None:
    use = p.usage(c.region)
    services = max(1, len(p.spec.service_list))
    invocations = use.requests / services
    memory_gb = number(c.properties, "memory_mib") / 1024
    seconds = usage_assumptions().lambda_duration_ms / 1000
    arch = str(c.properties.get("architecture", "x86_64")).lower()
    note = p.standby_note(c)
    p.add(c, "aws_lambda_function", "lambda/requests", invocations / 1e6, f"{invocations:,.0f} invocations{note}")
    p.add(
        c,
        "aws_lambda_function",
        f"lambda/duration/{arch}",
        invocations * seconds * memory_gb,
        f"{invocations:,.0f} invocations × {seconds:g} s × {memory_gb:g} GB ({arch}){note}",
    )
    _logs(p, c)


def _free(p: _Pricer, c: Component) -> None:
    """Kinds with no charge of their own (the ECS control plane); nothing to add."""


# -- data --------------------------------------------------------------------------------------------------
def _replicated(p: _Pricer, c: Component) -> bool:
    return "replica_of" in c.properties


def _inter_region(p: _Pricer, c: Component, resource: str, gb: float, what: str) -> None:
    p.add(c, resource, "transfer/inter-region", gb, f"replication from the primary Region: {what}")


def _s3(p: _Pricer, c: Component) -> None:
    contents = c.properties.get("contents")
    if contents == "site":
        _site_bucket(p, c)
    elif contents == "lake":
        _lake_bucket(p, c)
    else:
        _store_bucket(p, c)


def _store_bucket(p: _Pricer, c: Component) -> None:
    assume = usage_assumptions()
    size = store_gb(p.spec, str(c.properties["store"]))
    p.add(c, "aws_s3_bucket", "s3/standard", size, f"{size:g} GB stored", size="STANDARD")
    if _replicated(p, c):
        primary = p.usage(p.regions[0])
        puts = primary.requests * assume.object_put_share
        gb = puts * p.spec.traffic.avg_response_kb / (1024 * 1024)
        p.add(c, "aws_s3_bucket", "s3/put", puts / 1e6, f"{puts:,.0f} replicated objects")
        p.add(c, "aws_s3_bucket", "s3/rtc", gb, f"{gb:,.2f} GB under Replication Time Control")
        _inter_region(p, c, "aws_s3_bucket", gb, f"{puts:,.0f} new objects")
        return
    use = p.usage(c.region)
    puts = use.requests * assume.object_put_share
    gets = use.requests * assume.object_get_share
    why = f"of {use.requests:,.0f} requests"
    p.add(c, "aws_s3_bucket", "s3/put", puts / 1e6, f"{puts:,.0f} uploads ({assume.object_put_share:g} {why})")
    p.add(c, "aws_s3_bucket", "s3/get", gets / 1e6, f"{gets:,.0f} downloads ({assume.object_get_share:g} {why})")


def _site_bucket(p: _Pricer, c: Component) -> None:
    """A static site's origin: the CDN's cache misses reach it, or every request without a CDN."""
    assume = usage_assumptions()
    size = assume.static_site_gb
    p.add(c, "aws_s3_bucket", "s3/standard", size, f"{size:g} GB of site files (assumed)", size="STANDARD")
    use = p.usage(c.region)
    cdn = any(x.region == GLOBAL and x.kind in ("cloudfront", "cloudflare-zone") for x in p.components)
    share = assume.cdn_origin_miss_share if cdn else 1.0
    gets = use.requests * share
    p.add(c, "aws_s3_bucket", "s3/put", assume.site_uploads / 1e6, f"{assume.site_uploads:,.0f} uploads (deploys)")
    p.add(
        c,
        "aws_s3_bucket",
        "s3/get",
        gets / 1e6,
        f"{use.requests:,.0f} requests × {share:g} " + ("that miss the CDN's cache" if cdn else "(no CDN)"),
    )
    if not any(x.kind == "cloudfront" for x in p.components):  # CloudFront's origin fetches are free
        gb = gets * p.spec.traffic.avg_response_kb / (1024 * 1024)
        p.add(c, "aws_s3_bucket", "transfer/internet", gb, f"{gets:,.0f} responses × {use.response_kb:g} KB")


def _lake_bucket(p: _Pricer, c: Component) -> None:
    """A data lake fed by a delivery stream: a month of events lands each month, in buffered objects."""
    use = p.usage(c.region)
    gb = use.requests * sizing_data().stream.record_kb / (1024 * 1024)
    p.add(
        c,
        "aws_s3_bucket",
        "s3/standard",
        gb,
        f"one month of events ({use.requests:,.0f} × {sizing_data().stream.record_kb:g} KB); grows by this each month",
        size="STANDARD",
    )
    rules = sizing_data().firehose
    objects = max(p.hours * 3600 / rules.buffer_seconds, gb * 1024 / rules.buffer_mb)
    p.add(
        c,
        "aws_s3_bucket",
        "s3/put",
        objects / 1e6,
        f"{objects:,.0f} objects: one per {rules.buffer_mb} MB or {rules.buffer_seconds} s of buffered records",
    )


def _dynamodb(p: _Pricer, c: Component) -> None:
    assume = usage_assumptions()
    size = store_gb(p.spec, str(c.properties["store"]))
    use = p.usage(c.region)
    replica = _replicated(p, c)
    p.add(c, "aws_dynamodb_table", "dynamodb/storage", size, f"{size:g} GB stored")
    # billed for the table's point_in_time_recovery block: the resource address names the setting
    p.add(
        c,
        "aws_dynamodb_table.point_in_time_recovery",
        "dynamodb/pitr",
        size,
        f"continuous backups of {size:g} GB (35 days)",
    )
    writes = use.writes * assume.kv_item_kb
    reads = use.reads * assume.kv_rru_per_read
    if c.properties.get("billing_mode") == "PROVISIONED":
        target = sizing_data().dynamodb.target_utilization
        seconds = p.hours * 3600
        wcu, rcu = writes / seconds / target, reads / seconds / target
        p.add(
            c,
            "aws_dynamodb_table",
            "dynamodb/wcu",
            wcu * p.hours,
            f"{writes / seconds:,.1f} writes/s ÷ {target:g} autoscaling target = {wcu:,.1f} WCU × {p.hours:g} h",
            size="write capacity unit",
        )
        p.add(
            c,
            "aws_dynamodb_table",
            "dynamodb/rcu",
            rcu * p.hours,
            f"{reads / seconds:,.1f} read units/s ÷ {target:g} = {rcu:,.1f} RCU × {p.hours:g} h",
            size="read capacity unit",
        )
    else:
        p.add(c, "aws_dynamodb_table", "dynamodb/wru", writes / 1e6, f"{use.writes:,.0f} writes of ≤ 1 KB (on-demand)")
        p.add(c, "aws_dynamodb_table", "dynamodb/rru", reads / 1e6, f"{use.reads:,.0f} eventually consistent reads")
    if p.strategy == "active-active" or replica:
        # a global table replicates every write into the other Regions' replicas
        other = sum(p.usage(r).writes for r in p.regions if r != c.region) * assume.kv_item_kb
        if other:
            p.add(
                c,
                "aws_dynamodb_table",
                "dynamodb/replicated-wru",
                other / 1e6,
                f"{other:,.0f} writes replicated in from the other Region(s)",
            )
            _inter_region(p, c, "aws_dynamodb_table", other * assume.kv_item_kb / (1024 * 1024), "replicated items")


def _relational(p: _Pricer, c: Component) -> None:
    props = c.properties
    engine = c.kind  # rds-postgresql, rds-mysql
    instance = str(props["instance_class"])
    multi_az = bool(props.get("multi_az"))
    copies = 2 if multi_az else 1
    layout = "Multi-AZ (primary + standby)" if multi_az else "Single-AZ"
    p.add(
        c,
        "aws_db_instance",
        f"{engine}/{instance}",
        copies * p.hours,
        f"{instance} {layout}: {copies} × {p.hours:g} h",
        size=instance,
    )
    storage = number(props, "allocated_storage_gb")
    p.add(c, "aws_db_instance", "rds/gp3", copies * storage, f"{copies} × {storage:g} GB gp3 allocated")
    if _replicated(p, c):
        gb = p.usage(p.regions[0]).writes * usage_assumptions().kv_item_kb / (1024 * 1024)
        _inter_region(p, c, "aws_db_instance", gb, "the primary's write-ahead log")


def _aurora(p: _Pricer, c: Component) -> None:
    assume = usage_assumptions()
    props = c.properties
    instance = str(props["instance_class"])
    count = int(number(props, "instance_count"))
    p.add(
        c,
        "aws_rds_cluster_instance",
        f"{c.kind}/{instance}",
        count * p.hours,
        f"{count} × {instance} × {p.hours:g} h",
        size=instance,
    )
    size = store_gb(p.spec, str(props["store"]))
    p.add(c, "aws_rds_cluster", "aurora/storage", size, f"{size:g} GB (Aurora storage is billed as used)")
    if _replicated(p, c):
        writes = p.usage(p.regions[0]).writes
        ios = writes * assume.relational_ios_per_write
        p.add(c, "aws_rds_cluster", "aurora/replicated-write-io", ios / 1e6, f"{writes:,.0f} writes replicated")
        _inter_region(p, c, "aws_rds_cluster", writes * assume.kv_item_kb / (1024 * 1024), "replicated writes")
        return
    use = p.usage(c.region)
    ios = use.writes * assume.relational_ios_per_write + use.reads * assume.relational_ios_per_read
    p.add(
        c,
        "aws_rds_cluster",
        "aurora/io",
        ios / 1e6,
        f"{use.writes:,.0f} writes × {assume.relational_ios_per_write:g} + {use.reads:,.0f} reads × "
        f"{assume.relational_ios_per_read:g} I/Os",
    )


def _cache(p: _Pricer, c: Component) -> None:
    node = str(c.properties["node_type"])
    nodes = 1 + int(number(c.properties, "replicas"))
    p.add(
        c,
        "aws_elasticache_replication_group",
        f"{c.kind}/{node}",
        nodes * p.hours,
        f"{nodes} node(s) × {node} × {p.hours:g} h",
        size=node,
    )


def _documentdb(p: _Pricer, c: Component) -> None:
    assume = usage_assumptions()
    instance = str(c.properties["instance_class"])
    count = int(number(c.properties, "instance_count"))
    p.add(
        c,
        "aws_docdb_cluster_instance",
        f"documentdb/{instance}",
        count * p.hours,
        f"{count} × {instance} × {p.hours:g} h",
        size=instance,
    )
    size = store_gb(p.spec, str(c.properties["store"]))
    p.add(c, "aws_docdb_cluster", "documentdb/storage", size, f"{size:g} GB stored")
    use = p.usage(c.region)
    ios = use.writes * assume.relational_ios_per_write + use.reads * assume.relational_ios_per_read
    p.add(c, "aws_docdb_cluster", "documentdb/io", ios / 1e6, "storage I/Os from reads and writes")


def _opensearch(p: _Pricer, c: Component) -> None:
    instance = str(c.properties["instance_type"])
    count = int(number(c.properties, "instance_count"))
    p.add(
        c,
        "aws_opensearch_domain",
        f"opensearch/{instance}",
        count * p.hours,
        f"{count} × {instance} × {p.hours:g} h",
        size=instance,
    )
    volume = number(c.properties, "volume_gb")
    p.add(c, "aws_opensearch_domain", "opensearch/gp3", count * volume, f"{count} × {volume:g} GB gp3")


def _msk(p: _Pricer, c: Component) -> None:
    broker = str(c.properties["broker_instance_type"])
    count = int(number(c.properties, "broker_count"))
    p.add(c, "aws_msk_cluster", f"msk/{broker}", count * p.hours, f"{count} brokers × {p.hours:g} h", size=broker)
    volume = number(c.properties, "volume_gb")
    p.add(c, "aws_msk_cluster", "msk/storage", count * volume, f"{count} × {volume:g} GB broker storage")


def _messages(p: _Pricer, c: Component) -> tuple[float, str]:
    """Messages a channel carries: every event in an event or streaming workload, else one per write."""
    use = p.usage(c.region)
    if p.spec.workload in ("event-driven", "streaming"):
        return use.requests, f"{use.requests:,.0f} events"
    return use.writes, f"{use.writes:,.0f} messages (one per write)"


def _sqs(p: _Pricer, c: Component) -> None:
    messages, what = _messages(p, c)
    per = usage_assumptions().queue_requests_per_message
    p.add(
        c,
        "aws_sqs_queue",
        "sqs/standard",
        messages * per / 1e6,
        f"{what} × {per:g} requests (send, receive, delete)" + p.standby_note(c),
    )


def _sns(p: _Pricer, c: Component) -> None:
    messages, what = _messages(p, c)
    p.add(c, "aws_sns_topic", "sns/publish", messages / 1e6, f"{what} published" + p.standby_note(c))


def _kinesis(p: _Pricer, c: Component) -> None:
    shards = int(number(c.properties, "shard_count"))
    p.add(c, "aws_kinesis_stream", "kinesis/shard", shards * p.hours, f"{shards} shard(s) × {p.hours:g} h")
    use = p.usage(c.region)
    unit_kb = usage_assumptions().kinesis_put_unit_kb
    units = use.requests * max(1, -(-sizing_data().stream.record_kb // unit_kb))
    p.add(
        c,
        "aws_kinesis_stream",
        "kinesis/put-units",
        units / 1e6,
        f"{use.requests:,.0f} records of ≤ {unit_kb:g} KB" + p.standby_note(c),
    )


def _firehose(p: _Pricer, c: Component) -> None:
    use = p.usage(c.region)
    step = usage_assumptions().firehose_record_increment_kb
    billed_kb = max(step, math.ceil(sizing_data().stream.record_kb / step) * step)
    gb = use.requests * billed_kb / (1024 * 1024)
    p.add(
        c,
        "aws_kinesis_firehose_delivery_stream",
        "firehose/ingest",
        gb,
        f"{use.requests:,.0f} records, each billed as {billed_kb:g} KB (5 KB increments)",
    )


def _backup(p: _Pricer, c: Component) -> None:
    assume = usage_assumptions()
    durable = sum(
        store_gb(p.spec, str(x.properties["store"]))
        for x in p.components
        if x.region == p.regions[0] and "store" in x.properties and x.kind not in _TRANSIENT
    )
    retention = number(c.properties, "retention_days")
    stored = durable * (1 + assume.backup_daily_change * retention)
    p.add(
        c,
        "aws_backup_vault",
        "backup/warm",
        stored,
        f"{durable:g} GB of durable stores + {assume.backup_daily_change:g}/day of changes × {retention:g} days",
    )
    if "copy_to_region" in c.properties and durable:
        copied = durable * assume.backup_daily_change * 30
        _inter_region(p, c, "aws_backup_vault", copied, "the daily changes, copied cross-Region")


_TRANSIENT = ("sqs-queue", "sns-topic", "kinesis-stream", "msk-cluster", "elasticache-valkey", "elasticache-redis")

_RULES: dict[str, Callable[[_Pricer, Component], Any]] = {
    "vpc": _vpc,
    "nat-gateway": _nat,
    "alb": _alb,
    "api-gateway-http": _api_gateway,
    "cloudfront": _cloudfront,
    "cloudflare-zone": _cloudflare,
    "waf": _waf,
    "route53-zone": _route53,
    "ecs-cluster": _free,
    "ecs-service": _ecs_service,
    "ec2-autoscaling-group": _asg,
    "eks-cluster": _eks,
    "eks-node-group": _nodes,
    "k8s-deployment": _k8s_deployment,
    "lambda-function": _lambda,
    "s3-bucket": _s3,
    "dynamodb-table": _dynamodb,
    "rds-postgresql": _relational,
    "rds-mysql": _relational,
    "aurora-postgresql": _aurora,
    "aurora-mysql": _aurora,
    "elasticache-valkey": _cache,
    "elasticache-redis": _cache,
    "documentdb-cluster": _documentdb,
    "opensearch-domain": _opensearch,
    "sqs-queue": _sqs,
    "sns-topic": _sns,
    "kinesis-stream": _kinesis,
    "msk-cluster": _msk,
    "firehose-stream": _firehose,
    "backup-vault": _backup,
}


def priced_kinds() -> frozenset[str]:
    """The component kinds the cost model prices (a test checks this covers the whole vocabulary)."""
    return frozenset(_RULES)
