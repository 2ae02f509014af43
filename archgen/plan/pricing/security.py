"""Pricing rules for the security overlay: the audit trail, GuardDuty, AWS Config and the image repositories."""

from __future__ import annotations

from archgen.design import Component, number
from archgen.plan.pricing.pricer import Pricer, Rule
from archgen.plan.usage import KB_PER_GB, usage_assumptions
from archgen.sizing_data import sizing_data

DAYS_PER_MONTH = 30.4
EC2_KINDS = ("ec2-autoscaling-group", "eks-node-group")


def _trail(p: Pricer, c: Component) -> None:
    assume = usage_assumptions()
    events = assume.management_events_per_region * len(p.regions)
    raw_gb = events * assume.cloudtrail_event_kb / KB_PER_GB
    basis = f"{events:,.0f} management events ({assume.management_events_per_region:,.0f} per Region)"
    # the first copy of management events is free; the bucket and the CloudWatch Logs copy are not. In steady state
    # each store holds the months it keeps: the bucket's first months in S3 Standard, the rest archived.
    retention = number(c.properties, "retention_days")
    archive = c.properties.get("archive_after_days")
    hot = min(retention, archive) if isinstance(archive, int) else retention
    watched = number(c.properties, "cloudwatch_retention_days")
    compressed = f"{basis} × {assume.cloudtrail_event_kb:g} KB, compressed"
    stores = [
        ("aws_s3_bucket", "s3/standard", hot, f"{compressed}, {hot:g} days in S3 Standard"),
        (
            "aws_s3_bucket",
            "s3/glacier-flexible",
            retention - hot,
            f"{compressed}, then {retention - hot:g} days archived",
        ),
        ("aws_cloudwatch_log_group", "cloudwatch/logs-storage", watched, f"{compressed}, kept {watched:g} days"),
    ]
    for resource, item, days, kept in stores:
        if days > 0:
            p.add(c, resource, item, raw_gb * assume.log_compression * days / DAYS_PER_MONTH, kept)
    ingest = f"{basis} × {assume.cloudtrail_event_kb:g} KB"
    p.add(c, "aws_cloudwatch_log_group", "cloudwatch/logs-ingest", raw_gb, ingest)


def _detector(p: Pricer, c: Component) -> None:
    assume = usage_assumptions()
    use = p.usage(c.region)
    events = assume.management_events_per_region
    p.add(c, "aws_guardduty_detector", "guardduty/cloudtrail-events", events / 1e6, f"{events:,.0f} management events")
    instances = [x for x in p.components if x.region == c.region and x.kind in EC2_KINDS]
    if instances:
        # GuardDuty reads the flow logs of EC2 instances (and the node groups' nodes); Fargate tasks, Lambda and the
        # load balancers' interfaces are outside its foundational flow-log analysis
        gb = use.requests * assume.flow_log_kb_per_request / KB_PER_GB
        p.add(
            c,
            "aws_guardduty_detector",
            "guardduty/flow-dns-logs",
            gb,
            f"flow logs of the EC2 instances: {use.requests:,.0f} requests × {assume.flow_log_kb_per_request:g} KB"
            + p.standby_note(c),
        )
    if c.properties.get("s3_protection") is True:
        stores = [x for x in p.components if x.kind == "s3-bucket" and x.region == c.region and "store" in x.properties]
        share = assume.object_put_share + assume.object_get_share
        s3_events = use.requests * share * len(stores)
        p.add(
            c,
            "aws_guardduty_detector",
            "guardduty/s3-events",
            s3_events / 1e6,
            f"S3 Protection: {len(stores)} bucket(s) × {use.requests:,.0f} requests × {share:g} object calls",
        )
    vcpus = _monitored_vcpus(p, c)
    if vcpus:
        p.add(
            c,
            "aws_guardduty_detector",
            "guardduty/runtime",
            vcpus * p.hours,
            f"Runtime Monitoring: {vcpus:g} vCPU × {p.hours:g} h",
        )


def _monitored_vcpus(p: Pricer, c: Component) -> float:
    """The vCPUs Runtime Monitoring watches in the Region (tasks on Fargate, instances and nodes on EC2)."""
    rules = sizing_data().compute
    props = c.properties
    total = 0.0
    for x in p.components:
        if x.region != c.region or x.properties.get("dormant"):
            continue
        if x.kind == "ecs-service" and props.get("ecs_fargate_runtime_monitoring") is True:
            total += p.running(x) * number(x.properties, "cpu")
        elif x.kind == "ec2-autoscaling-group" and props.get("ec2_runtime_monitoring") is True:
            total += p.running(x) * rules.ec2_vcpu
        elif x.kind == "eks-node-group" and props.get("eks") is True:
            total += p.running(x) * rules.node_vcpu
    return total


def _recorder(p: Pricer, c: Component) -> None:
    assume = usage_assumptions()
    present = [x for x in p.components if x.region == c.region and not x.properties.get("dormant")]
    items = len(present) * assume.config_items_per_component
    rules = c.properties["rules"]
    count = len(rules) if isinstance(rules, tuple) else 0
    p.add(
        c,
        "aws_config_configuration_recorder",
        "config/item",
        items,
        f"{len(present)} components × {assume.config_items_per_component:g} configuration items",
    )
    evaluations = items * assume.config_evaluations_per_item + count * assume.periodic_evaluations_per_rule
    p.add(
        c,
        "aws_config_conformance_pack",
        "config/evaluation",
        evaluations,
        f"{items:,.0f} items × {assume.config_evaluations_per_item:g} rules each + {count} rules × "
        f"{assume.periodic_evaluations_per_rule:g} daily evaluations",
    )


def _repository(p: Pricer, c: Component) -> None:
    assume = usage_assumptions()
    keep = number(c.properties, "keep_images")
    p.add(
        c,
        "aws_ecr_repository",
        "ecr/storage",
        keep * assume.image_gb,
        f"{keep:g} images kept × {assume.image_gb:g} GB",
    )
    if c.properties.get("enhanced_scanning") is True:
        pushes = assume.image_pushes_per_month  # the recovery Region's repository receives the same pushes
        p.add(c, "aws_ecr_repository", "inspector/image-scan", pushes, f"{pushes:g} pushes, each scanned")
        rescans = keep * assume.image_rescans_per_month
        p.add(
            c,
            "aws_ecr_repository",
            "inspector/image-rescan",
            rescans,
            f"{keep:g} images × {assume.image_rescans_per_month:g} continuous rescans",
        )


RULES: dict[str, Rule] = {
    "cloudtrail": _trail,
    "guardduty-detector": _detector,
    "config-recorder": _recorder,
    "ecr-repository": _repository,
}

__all__ = ["RULES"]
