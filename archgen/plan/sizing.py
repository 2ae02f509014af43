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


def network_properties(cidr: str, zones: int, multi_az: bool) -> Props:
    """A /16 split into one /24 public and one /20 private subnet per AZ."""
    network = ipaddress.ip_network(cidr)
    public = list(network.subnets(new_prefix=24))[:zones]
    private = list(network.subnets(new_prefix=20))[1 : zones + 1]
    return {
        "cidr": cidr,
        "az_count": zones,
        "public_subnets": tuple(str(s) for s in public),
        "private_subnets": tuple(str(s) for s in private),
        "nat_gateway_count": zones if multi_az else 1,
    }


def size_components(
    components: list[Component], spec: Spec, blueprint: Blueprint, decisions_compute: str, multi_az: bool
) -> list[Component]:
    """The primary Region's components with their sizes filled in."""
    zones = az_count(spec, multi_az)
    context = _Context(spec, blueprint, decisions_compute, multi_az, zones)
    sized = []
    for component in components:
        rule = _RULES.get(component.kind)
        extra = rule(component, context) if rule else {}
        sized.append(component.model_copy(update={"properties": {**component.properties, **extra}}))
    return sized


class _Context:
    def __init__(self, spec: Spec, blueprint: Blueprint, compute: str, multi_az: bool, zones: int) -> None:
        self.spec = spec
        self.blueprint = blueprint
        self.compute = compute
        self.multi_az = multi_az
        self.zones = zones

    def service(self, component: Component) -> Service:
        name = component.properties["service"]
        return next(s for s in self.spec.service_list if s.name == name)

    def store_size(self, component: Component) -> float:
        name = component.properties["store"]
        store = next(s for s in self.spec.data if s.name == name)
        return store_size_gb(store.kind, store.size_gb)

    @property
    def rps_per_service(self) -> float:
        return self.spec.traffic.peak_rps / max(1, len(self.spec.service_list))


def _network(component: Component, context: _Context) -> Props:
    return network_properties(sizing_data().network.primary_cidr, context.zones, context.multi_az)


def _nat(component: Component, context: _Context) -> Props:
    return {"count": context.zones if context.multi_az else 1}


def _task_shape(service: Service) -> tuple[float, int]:
    rules = sizing_data().compute
    vcpu = service.cpu or rules.default_task_vcpu
    return vcpu, service.memory or int(vcpu * rules.memory_mib_per_vcpu)


def _service(component: Component, context: _Context) -> Props:
    rules = sizing_data().compute
    service = context.service(component)
    vcpu, memory = _task_shape(service)
    rps_per_vcpu = float(context.blueprint.defaults.get("rps_per_vcpu", 100))
    needed = context.rps_per_service * rules.headroom / (rps_per_vcpu * vcpu)
    floor = context.zones if context.multi_az else 1  # N+1 across AZs: one per AZ at least
    maximum = max(floor + 1, math.ceil(needed))
    average = context.spec.traffic.average / max(1, len(context.spec.service_list))
    desired = min(maximum, max(floor, math.ceil(average * rules.headroom / (rps_per_vcpu * vcpu))))
    return {"cpu": vcpu, "memory_mib": memory, "min_count": floor, "desired_count": desired, "max_count": maximum}


def _lambda(component: Component, context: _Context) -> Props:
    rules = sizing_data().compute
    service = context.service(component)
    return {
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

    return {
        "instance_type": rules.ec2_instance_type,
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
    peak = sum(_service_peak_vcpu(s, context) for s in context.spec.service_list)
    usable = rules.node_vcpu * rules.node_allocatable_ratio
    maximum = max(context.zones + 1, math.ceil(peak / usable))
    return {
        "instance_type": rules.node_instance_type,
        "min_count": context.zones,
        "desired_count": context.zones,
        "max_count": maximum,
    }


def _service_peak_vcpu(service: Service, context: _Context) -> float:
    vcpu, _ = _task_shape(service)
    rps_per_vcpu = float(context.blueprint.defaults.get("rps_per_vcpu", 100))
    return max(vcpu * 2, context.rps_per_service * sizing_data().compute.headroom / rps_per_vcpu)


def _relational(component: Component, context: _Context) -> Props:
    rules = sizing_data().relational
    size = context.store_size(component)
    aurora = component.kind.startswith("aurora-")
    ladder = _from(rules.classes, rules.aurora_min_class) if aurora else rules.classes
    working_set = size * rules.working_set_ratio
    instance = next((c for c in ladder if c.memory_gib >= working_set), ladder[-1])
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
        props.update(multi_az=context.multi_az, allocated_storage_gb=allocated, max_allocated_storage_gb=allocated * 2)
    return props


def _from(ladder: tuple[InstanceClass, ...], smallest: str) -> tuple[InstanceClass, ...]:
    names = [c.name for c in ladder]
    return ladder[names.index(smallest) :]


def _cache(component: Component, context: _Context) -> Props:
    rules = sizing_data().cache
    size = context.store_size(component)
    node = next((c for c in rules.classes if c.memory_gib * rules.fill_ratio >= size), rules.classes[-1])
    return {"node_type": node.name, "replicas": 1 if context.multi_az else 0}


def _stream(component: Component, context: _Context) -> Props:
    rules = sizing_data().stream
    peak = context.spec.traffic.peak_rps
    shards = max(1, math.ceil(peak / 1000), math.ceil(peak * rules.record_kb / 1024))
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


def _simple(**values: str | int | float | bool) -> Callable[[Component, _Context], Props]:
    return lambda component, context: dict(values)


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
    "ecs-service": _service,
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
    "dynamodb-table": _simple(billing_mode="PAY_PER_REQUEST", point_in_time_recovery=True),
    "s3-bucket": _simple(versioning=True),
    "firehose-stream": _simple(buffer_mb=64, buffer_seconds=300),
    "cloudfront": _edge,
    "cloudflare-zone": _edge,
    "waf": _waf,
}
