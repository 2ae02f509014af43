"""The facts blueprint conditions may read: a flat, documented view of the spec (and of decisions, once taken).

Blueprint files name these fields; loading a blueprint rejects any other name, so a typo in a condition is an error
rather than a condition that silently never holds.
"""

from __future__ import annotations

from typing import Any

from archgen.data_kinds import store_size_gb
from archgen.spec import Spec

SPEC_FACTS: dict[str, str] = {
    "workload": "the spec's workload",
    "traffic.peak_rps": "peak requests (events) per second",
    "traffic.average_rps": "average requests per second (default: a quarter of peak)",
    "traffic.avg_response_kb": "average response size in KB",
    "traffic.global_users": "users spread across continents",
    "availability.slo": "availability SLO in percent",
    "availability.rto_seconds": "recovery time objective in seconds",
    "availability.rpo_seconds": "recovery point objective in seconds",
    "regions.primary": "primary Region code",
    "data.kinds": "the kinds of the data stores (a list)",
    "data.count": "number of data stores",
    "data.total_gb": "total data size in GB, with per-kind assumptions for stores without a size",
    "services.count": "number of services (with the default applied)",
    "services.public_count": "number of public services",
    "services.max_cpu": "largest vCPU request of any service (0 when none is given)",
    "services.max_memory_mib": "largest memory request of any service in MiB (0 when none is given)",
    "budget.monthly_usd": "monthly budget in USD (not set when the spec has none)",
    "compliance": "compliance regimes (a list)",
    "edge.cdn": "CDN preference",
    "edge.waf": "whether a WAF is wanted",
    "team.kubernetes": "whether the team already runs Kubernetes",
    "delivery.strategy": "deployment strategy",
}

DECISION_FACTS: dict[str, str] = {
    "decisions.compute": "the compute decision (lambda, ecs-fargate, eks, ec2-autoscaling, none)",
    "decisions.edge": "the edge decision (cloudfront, cloudflare, none)",
    "decisions.dr_strategy": "the DR strategy decision",
}

ALL_FACTS = {**SPEC_FACTS, **DECISION_FACTS}

# Derived facts and the spec field each comes from (for decision drivers); other facts are spec fields already.
_DERIVED_FROM = {
    "availability.rto_seconds": "availability.rto",
    "availability.rpo_seconds": "availability.rpo",
    "data.kinds": "data",
    "data.count": "data",
    "data.total_gb": "data",
    "services.count": "services",
    "services.public_count": "services",
    "services.max_cpu": "services",
    "services.max_memory_mib": "services",
}


def spec_field(fact: str) -> str:
    """The spec field a fact is read from."""
    return _DERIVED_FROM.get(fact, fact)


def spec_facts(spec: Spec) -> dict[str, Any]:
    """The facts about ``spec`` that blueprint conditions may read."""
    services = spec.service_list
    return {
        "workload": spec.workload,
        "traffic.peak_rps": spec.traffic.peak_rps,
        "traffic.average_rps": spec.traffic.average,
        "traffic.avg_response_kb": spec.traffic.avg_response_kb,
        "traffic.global_users": spec.traffic.global_users,
        "availability.slo": spec.availability.slo,
        "availability.rto_seconds": spec.availability.rto,
        "availability.rpo_seconds": spec.availability.rpo,
        "regions.primary": spec.regions.primary,
        "data.kinds": sorted({store.kind for store in spec.data}),
        "data.count": len(spec.data),
        "data.total_gb": sum(store_size_gb(store.kind, store.size_gb) for store in spec.data),
        "services.count": len(services),
        "services.public_count": sum(1 for service in services if service.public),
        "services.max_cpu": max((service.cpu or 0 for service in services), default=0),
        "services.max_memory_mib": max((service.memory or 0 for service in services), default=0),
        "budget.monthly_usd": spec.budget.monthly_usd if spec.budget else None,
        "compliance": sorted(spec.compliance),
        "edge.cdn": spec.edge.cdn,
        "edge.waf": spec.edge.waf,
        "team.kubernetes": spec.team.kubernetes,
        "delivery.strategy": spec.delivery.strategy,
    }
