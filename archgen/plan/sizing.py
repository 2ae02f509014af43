"""Sizes for every component, from the spec and ``data/sizing.yaml``: counts, instance classes, storage, CIDRs.

Renderers read these properties and decide nothing. Each rule is deliberately simple and stated; the capacity
and cost work refines them.
"""

from __future__ import annotations

import ipaddress
import math
from collections.abc import Callable

from archgen.blueprint import Blueprint
from archgen.data_kinds import store_size_gb
from archgen.design import Component, Props, number
from archgen.plan.tweaks import Tweaks
from archgen.plan.usage import usage_assumptions
from archgen.price_catalogue import price_catalogue
from archgen.sizing_data import InstanceClass, sizing_data
from archgen.spec import Service, Spec

RELATIONAL = ("rds-postgresql", "rds-mysql", "aurora-postgresql", "aurora-mysql")
SERVICE_KINDS = ("ecs-service", "k8s-deployment", "ec2-autoscaling-group", "lambda-function")


def az_count(spec: Spec, multi_az: bool) -> int:
    """Availability zones the Region's network spans."""
    rules = sizing_data().network
    if multi_az and spec.availability.slo >= rules.high_slo:
        return rules.az_count_high
    return rules.az_count


def network_properties(cidr: str, zones: int, multi_az: bool, single_nat: bool = False) -> Props:
    """A /16 split into one /24 public and one /20 private subnet per AZ."""
    network = ipaddress.ip_network(cidr)
    public = list(network.subnets(new_prefix=24))[:zones]
    private = list(network.subnets(new_prefix=20))[1 : zones + 1]
    return {
        "cidr": cidr,
        "az_count": zones,
        "public_subnets": tuple(str(s) for s in public),
        "private_subnets": tuple(str(s) for s in private),
        "nat_gateway_count": zones if multi_az and not single_nat else 1,
    }


def size_components(
    components: list[Component],
    spec: Spec,
    blueprint: Blueprint,
    decisions_compute: str,
    multi_az: bool,
    *,
    tweaks: Tweaks | None = None,
) -> list[Component]:
    """The primary Region's components with their sizes filled in (``tweaks``: cheaper variants to apply)."""
    zones = az_count(spec, multi_az)
    context = _Context(spec, blueprint, decisions_compute, multi_az, zones, tweaks=tweaks or Tweaks())
    sized = []
    for component in components:
        rule = _RULES.get(component.kind)
        context.notes = []
        extra = rule(component, context) if rule else {}
        update = {"properties": {**component.properties, **extra}, "sizing": tuple(context.notes)}
        sized.append(component.model_copy(update=update))
    return sized


class _Context:
    def __init__(
        self, spec: Spec, blueprint: Blueprint, compute: str, multi_az: bool, zones: int, *, tweaks: Tweaks
    ) -> None:
        self.spec = spec
        self.tweaks = tweaks
        self.blueprint = blueprint
        self.compute = compute
        self.multi_az = multi_az
        self.zones = zones
        self.notes: list[str] = []  # the arithmetic behind the current component's sizes, for DESIGN.md

    def quiet(self) -> _Context:
        """A copy whose notes go nowhere: for arithmetic computed on another component's behalf."""
        return _Context(self.spec, self.blueprint, self.compute, self.multi_az, self.zones, tweaks=self.tweaks)

    def note(self, text: str) -> None:
        """Record one step of the sizing arithmetic."""
        self.notes.append(text)

    @property
    def rps_per_vcpu(self) -> float:
        """Requests one vCPU serves: the spec's figure, else the blueprint's assumption."""
        given = self.spec.traffic.rps_per_vcpu
        return given if given is not None else float(self.blueprint.defaults.get("rps_per_vcpu", 100))

    def service(self, component: Component) -> Service:
        name = component.properties["service"]
        return next(s for s in self.spec.service_list if s.name == name)

    def store_size(self, component: Component) -> float:
        name = component.properties["store"]
        store = next(s for s in self.spec.data if s.name == name)
        return store_size_gb(store.kind, store.size_gb)

    @property
    def headroom(self) -> float:
        rules = sizing_data().compute
        return rules.lean_headroom if self.tweaks.lean_headroom else rules.headroom

    @property
    def rps_per_service(self) -> float:
        return self.spec.traffic.peak_rps / max(1, len(self.spec.service_list))


def _network(component: Component, context: _Context) -> Props:
    return network_properties(
        sizing_data().network.primary_cidr, context.zones, context.multi_az, context.tweaks.single_nat
    )


def _nat(component: Component, context: _Context) -> Props:
    if context.multi_az and not context.tweaks.single_nat:
        context.note(f"one NAT gateway per AZ ({context.zones}): an AZ outage leaves the others' egress working")
    else:
        context.note("one NAT gateway for the Region" + (" (budget variant)" if context.tweaks.single_nat else ""))
    return {"count": context.zones if context.multi_az and not context.tweaks.single_nat else 1}


def _task_shape(service: Service) -> tuple[float, int]:
    rules = sizing_data().compute
    vcpu = service.cpu or rules.default_task_vcpu
    return vcpu, service.memory or int(vcpu * rules.memory_mib_per_vcpu)


def _service(component: Component, context: _Context) -> Props:
    service = context.service(component)
    vcpu, memory = _task_shape(service)
    rps_per_vcpu = context.rps_per_vcpu
    per_task = rps_per_vcpu * vcpu
    needed = context.rps_per_service * context.headroom / per_task
    floor = context.zones if context.multi_az else 1  # N+1 across AZs: one per AZ at least
    maximum = max(floor + 1, math.ceil(needed))
    average = context.spec.traffic.average / max(1, len(context.spec.service_list))
    steady = average * context.headroom / per_task
    desired = min(maximum, max(floor, math.ceil(steady)))
    shared = f" (its share of {len(context.spec.service_list)} services)" if len(context.spec.service_list) > 1 else ""
    context.note(
        f"each task: {vcpu:g} vCPU × {rps_per_vcpu:g} rps per vCPU = {per_task:g} rps; {memory} MiB"
        + (" (given)" if service.cpu else f" (default {vcpu:g} vCPU, {memory} MiB)")
    )
    context.note(
        f"max: peak {context.rps_per_service:g} rps{shared} × {context.headroom:g} headroom ÷ {per_task:g} = "
        f"{needed:.2f} → {maximum} (at least min + 1)"
    )
    context.note(
        f"desired: average {average:g} rps × {context.headroom:g} ÷ {per_task:g} = {steady:.2f} → {desired}; "
        f"min {floor}" + (f" (one per AZ across {context.zones} AZs)" if context.multi_az else "")
    )
    return {"cpu": vcpu, "memory_mib": memory, "min_count": floor, "desired_count": desired, "max_count": maximum}


def _fargate(component: Component, context: _Context) -> Props:
    spot = context.tweaks.spot_workers and not component.properties.get("public")
    return {
        **_service(component, context),
        # x86 by default: any image runs; Arm (Graviton) is ~20 % cheaper once images are built multi-arch
        "architecture": "arm64" if context.tweaks.arm_containers else "x86_64",
        "capacity": "spot" if spot else "on-demand",
    }


def _lambda(component: Component, context: _Context) -> Props:
    rules = sizing_data().compute
    service = context.service(component)
    duration = usage_assumptions().lambda_duration_ms / 1000
    concurrency = math.ceil(context.rps_per_service * duration)
    context.note(
        f"concurrency at peak: {context.rps_per_service:g} rps × {duration:g} s average duration = {concurrency} "
        f"(account default limit 1,000 per Region; functions scale by 1,000 environments every 10 s)"
    )
    return {
        "peak_concurrency": concurrency,
        "memory_mib": service.memory or rules.lambda_memory_mib,
        "timeout_seconds": rules.lambda_timeout_seconds,
        "architecture": "arm64",
    }


def _ec2(component: Component, context: _Context) -> Props:
    rules = sizing_data().compute
    tasks = _service(component, context)
    per_instance = max(1, int(rules.ec2_vcpu // number(tasks, "cpu")))
    floor = int(number(tasks, "min_count"))

    def instances(key: str) -> int:
        return max(floor, math.ceil(number(tasks, key) / per_instance))

    context.note(
        f"{rules.ec2_instance_type}: {rules.ec2_vcpu} vCPU ÷ {number(tasks, 'cpu'):g} vCPU per process = "
        f"{per_instance} per instance; desired {tasks['desired_count']} → {instances('desired_count')} instances, "
        f"max {tasks['max_count']} → {instances('max_count')} + 1 for rolling replacement"
    )

    return {
        "instance_type": rules.ec2_instance_type,
        "root_volume_gb": rules.ec2_root_volume_gb,
        "min_count": floor,
        "desired_count": instances("desired_count"),
        "max_count": instances("max_count") + 1,
        # the processes the fleet runs, sized like tasks and pods (the Kubernetes renderer reads these)
        "cpu": tasks["cpu"],
        "memory_mib": tasks["memory_mib"],
        "task_min_count": tasks["min_count"],
        "task_desired_count": tasks["desired_count"],
        "task_max_count": tasks["max_count"],
    }


def _nodes(component: Component, context: _Context) -> Props:
    rules = sizing_data().compute
    # the pods' own arithmetic is shown on their components, not repeated here
    pods = [_service(_pod(s), context.quiet()) for s in context.spec.service_list]
    steady = sum(number(p, "cpu") * number(p, "desired_count") for p in pods)
    peak = sum(number(p, "cpu") * number(p, "max_count") for p in pods)
    usable = rules.node_vcpu * rules.node_allocatable_ratio
    desired = max(context.zones, math.ceil(steady / usable))
    maximum = max(desired + 1, math.ceil(peak / usable))
    context.note(
        f"each {rules.node_instance_type} node: {rules.node_vcpu} vCPU × {rules.node_allocatable_ratio:g} "
        f"allocatable = {usable:g} vCPU for pods"
    )
    context.note(f"desired: the pods' steady requests {steady:g} vCPU ÷ {usable:g} → {desired} (at least one per AZ)")
    context.note(f"max: the pods at their maximum {peak:g} vCPU ÷ {usable:g} → {maximum}")
    return {
        "instance_type": rules.node_instance_type,
        "disk_gb": rules.node_disk_gb,
        "min_count": context.zones,
        "desired_count": desired,
        "max_count": maximum,
    }


def _pod(service: Service) -> Component:
    return Component(id=service.name, kind="k8s-deployment", region="", properties={"service": service.name})


def _relational(component: Component, context: _Context) -> Props:
    rules = sizing_data().relational
    size = context.store_size(component)
    aurora = component.kind.startswith("aurora-")
    ladder = _from(rules.classes, rules.aurora_min_class) if aurora else rules.classes
    working_set = size * rules.working_set_ratio
    by_memory = next((c for c in ladder if c.memory_gib >= working_set), ladder[-1])
    context.note(
        f"working set: {size:g} GB × {rules.working_set_ratio:g} = {working_set:g} GB → {by_memory.name} "
        f"({by_memory.memory_gib:g} GiB), the smallest class whose memory holds it"
        + (f" (Aurora Global Database needs {rules.aurora_min_class} or larger)" if aurora else "")
    )
    mysql = "mysql" in component.kind
    needed, how = _connections(context)
    divisor = rules.mysql_bytes_per_connection if mysql else rules.postgresql_bytes_per_connection
    ladder = ladder[ladder.index(by_memory) :]
    instance = next((c for c in ladder if _max_connections(c, divisor) >= needed), ladder[-1])
    context.note(
        f"connections: {how} = {needed}; {instance.name} allows about {_max_connections(instance, divisor):,} "
        f"(default max_connections: usable memory ÷ {divisor:,} bytes"
        + (")" if instance is by_memory else f"), so the class steps up from {by_memory.name}")
    )
    engine = component.kind if aurora else component.kind.removeprefix("rds-")
    props: Props = {
        "instance_class": instance.name,
        "engine_version": rules.engine_versions[engine],
        "backup_retention_days": rules.backup_retention_days,
    }
    if aurora:
        props["instance_count"] = 2 if context.multi_az else 1
    else:
        allocated = max(rules.min_storage_gb, math.ceil(size * rules.storage_growth))
        context.note(
            f"storage: {size:g} GB × {rules.storage_growth:g} growth = {allocated} GB gp3 "
            f"(at least {rules.min_storage_gb}); autoscaling up to {allocated * 2} GB"
        )
        props.update(multi_az=context.multi_az, allocated_storage_gb=allocated, max_allocated_storage_gb=allocated * 2)
    return props


def _connections(context: _Context) -> tuple[int, str]:
    """Database connections at peak: each task's or pod's pool, or one per concurrent Lambda environment."""
    pool = sizing_data().relational.connection_pool_per_task
    total, parts = 0, []
    for service in context.spec.service_list:
        probe = _pod(service)
        if context.compute == "lambda":
            count = math.ceil(context.rps_per_service * usage_assumptions().lambda_duration_ms / 1000)
            total += count
            parts.append(f"{service.name} {count} concurrent")
        elif context.compute != "none":
            count = int(number(_service(probe, context.quiet()), "max_count"))
            total += count * pool
            parts.append(f"{service.name} {count} × {pool}")
    return max(total, 1), " + ".join(parts) or "no services"


def _max_connections(instance: InstanceClass, bytes_per_connection: int) -> int:
    usable = instance.memory_gib * sizing_data().relational.usable_memory_share * 1024**3
    return min(5000, int(usable // bytes_per_connection))


def _from(ladder: tuple[InstanceClass, ...], smallest: str) -> tuple[InstanceClass, ...]:
    names = [c.name for c in ladder]
    return ladder[names.index(smallest) :]


def _cache(component: Component, context: _Context) -> Props:
    rules = sizing_data().cache
    size = context.store_size(component)
    node = next((c for c in rules.classes if c.memory_gib * rules.fill_ratio >= size), rules.classes[-1])
    context.note(
        f"{size:g} GB of data ÷ {rules.fill_ratio:g} fill = {size / rules.fill_ratio:.2f} GiB → {node.name} "
        f"({node.memory_gib:g} GiB)"
        + ("; one replica in another AZ" if context.multi_az else "; no replica (single AZ)")
    )
    return {"node_type": node.name, "replicas": 1 if context.multi_az else 0}


def _stream(component: Component, context: _Context) -> Props:
    rules = sizing_data().stream
    peak = context.spec.traffic.peak_rps
    shards = max(1, math.ceil(peak / 1000), math.ceil(peak * rules.record_kb / 1024))
    context.note(
        f"peak {peak:g} records/s ÷ 1,000 per shard and {peak * rules.record_kb / 1024:.2f} MB/s ÷ 1 MB/s per shard "
        f"({rules.record_kb:g} KB records) → {shards} shard(s)"
    )
    return {"shard_count": shards, "retention_hours": rules.retention_hours}


def _queue(component: Component, context: _Context) -> Props:
    rules = sizing_data().queue
    return {
        "visibility_timeout_seconds": rules.visibility_timeout_seconds,
        "message_retention_seconds": rules.message_retention_seconds,
        "max_receive_count": rules.max_receive_count,
    }


def _search(component: Component, context: _Context) -> Props:
    rules = sizing_data().search
    return {
        "instance_type": rules.instance_type,
        "instance_count": context.zones if context.multi_az else 1,
        "volume_gb": max(10, math.ceil(context.store_size(component) * rules.volume_per_gb)),
    }


def _kafka(component: Component, context: _Context) -> Props:
    rules = sizing_data().kafka
    return {
        "broker_instance_type": rules.broker_instance_type,
        "broker_count": max(2, context.zones),
        "volume_gb": max(10, math.ceil(context.store_size(component) * rules.volume_per_gb)),
    }


def _document(component: Component, context: _Context) -> Props:
    return {"instance_class": sizing_data().document.instance_class, "instance_count": 2 if context.multi_az else 1}


def _dynamodb(component: Component, context: _Context) -> Props:
    """On-demand, unless steady traffic makes provisioned capacity with autoscaling clearly cheaper."""
    rules = sizing_data().dynamodb
    assume = usage_assumptions()
    traffic = context.spec.traffic
    writes = traffic.average * assume.write_share
    reads = traffic.average * (1 - assume.write_share) * assume.kv_rru_per_read
    burst = traffic.peak_rps / traffic.average if traffic.average else math.inf
    catalogue = price_catalogue()
    hours = catalogue.hours_per_month
    on_demand = (
        (
            writes * catalogue.quote("dynamodb/wru", "us-east-1").usd
            + reads * catalogue.quote("dynamodb/rru", "us-east-1").usd
        )
        * hours
        * 3600
        / 1e6
    )
    provisioned = (
        (
            writes * catalogue.quote("dynamodb/wcu", "us-east-1").usd
            + reads * catalogue.quote("dynamodb/rcu", "us-east-1").usd
        )
        / rules.target_utilization
        * hours
    )
    steady = burst <= rules.max_burst_ratio
    props: Props = {"point_in_time_recovery": True}
    context.note(
        f"average {writes:g} writes/s and {reads:g} read units/s; on-demand ≈ ${on_demand:,.2f}/month, provisioned at "
        f"{rules.target_utilization:g} target utilisation ≈ ${provisioned:,.2f}/month (us-east-1 prices)"
    )
    if steady and on_demand - provisioned >= rules.min_saving_usd:
        share = traffic.peak_rps / max(traffic.average, 1e-9)
        props.update(
            billing_mode="PROVISIONED",
            write_capacity=max(1, math.ceil(writes * rules.floor_share)),
            read_capacity=max(1, math.ceil(reads * rules.floor_share)),
            max_write_capacity=max(1, math.ceil(writes * share / rules.target_utilization)),
            max_read_capacity=max(1, math.ceil(reads * share / rules.target_utilization)),
        )
        context.note(
            f"provisioned with autoscaling: peak is {burst:.1f}× average (autoscaling follows up to "
            f"{rules.max_burst_ratio:g}×) and it saves ${on_demand - provisioned:,.2f} a month"
        )
    else:
        props["billing_mode"] = "PAY_PER_REQUEST"
        why = (
            f"peak is {burst:.1f}× average, sharper than autoscaling follows ({rules.max_burst_ratio:g}×)"
            if not steady
            else f"provisioning would save under ${rules.min_saving_usd:g} a month"
        )
        context.note(f"on-demand: {why}")
    return props


def _simple(**values: str | int | float | bool) -> Callable[[Component, _Context], Props]:
    return lambda component, context: dict(values)


def _firehose(component: Component, context: _Context) -> Props:
    rules = sizing_data().firehose
    return {"buffer_mb": rules.buffer_mb, "buffer_seconds": rules.buffer_seconds}


def _alb(component: Component, context: _Context) -> Props:
    """Load balancer capacity units: ALBs scale themselves; the LCUs are what the traffic will be billed as."""
    assume = usage_assumptions()
    traffic = context.spec.traffic
    kb = traffic.avg_response_kb + assume.request_kb
    gb_hour = traffic.average * 3600 * kb / (1024 * 1024)
    connections = traffic.average * assume.alb_new_connection_share / assume.alb_lcu_new_connections
    lcu = max(gb_hour / assume.alb_lcu_processed_gb_hour, connections)
    peak = lcu * traffic.peak_rps / traffic.average if traffic.average else lcu
    context.note(
        f"average {traffic.average:g} rps × {kb:g} KB = {gb_hour:.2f} GB/h processed ÷ "
        f"{assume.alb_lcu_processed_gb_hour:g} GB/h per LCU; {connections:.2f} LCU of new connections → "
        f"{lcu:.2f} LCU on average, about {peak:.1f} at peak (the ALB scales itself; LCUs are billed)"
    )
    return {"lcu_average": round(lcu, 2)}


def _edge(component: Component, context: _Context) -> Props:
    rules = sizing_data().edge
    if component.kind == "cloudflare-zone":
        return {"plan": rules.cloudflare_plan}
    global_users = context.spec.traffic.global_users
    return {"price_class": rules.cloudfront_price_class_global if global_users else rules.cloudfront_price_class}


def _waf(component: Component, context: _Context) -> Props:
    return {"rate_limit_per_5min": sizing_data().edge.waf_rate_limit_per_5min}


_RULES: dict[str, Callable[[Component, _Context], Props]] = {
    "vpc": _network,
    "nat-gateway": _nat,
    "alb": _alb,
    "ecs-service": _fargate,
    "k8s-deployment": _service,
    "ec2-autoscaling-group": _ec2,
    "lambda-function": _lambda,
    "eks-node-group": _nodes,
    "eks-cluster": _simple(kubernetes_version="1.31"),
    **dict.fromkeys(RELATIONAL, _relational),
    "elasticache-valkey": _cache,
    "elasticache-redis": _cache,
    "kinesis-stream": _stream,
    "sqs-queue": _queue,
    "opensearch-domain": _search,
    "msk-cluster": _kafka,
    "documentdb-cluster": _document,
    "dynamodb-table": _dynamodb,
    "s3-bucket": _simple(versioning=True),
    "firehose-stream": _firehose,
    "cloudfront": _edge,
    "cloudflare-zone": _edge,
    "waf": _waf,
}
