"""Composite availability of the chosen topology, from the published SLAs of the parts on the request path.

Serial parts (all must work) multiply; Regions that all serve traffic (active/active) are redundant:
1 − Π(1 − a). A standby Region (pilot light, warm standby, backup and restore) shortens a Regional outage but does
not serve while the primary is up, so it is not counted as redundancy here; the recovery estimate covers it.
Each kind counts once per Region: one service's SLA covers every instance of it. SLAs are credit commitments,
not measured availability, and the formula assumes independent failures (see data/component_kinds.yaml).
"""

from __future__ import annotations

from collections.abc import Iterable

from archgen.components import component_catalogue
from archgen.design import Availability, AvailabilityPart, Component
from archgen.plan.components import GLOBAL

# Kinds that are not on the request path: control planes, plumbing and offline delivery.
OFF_PATH = frozenset({"eks-cluster", "backup-vault", "firehose-stream", "vpc", "nat-gateway", "ecs-cluster"})


def estimate_availability(
    components: tuple[Component, ...], regions: tuple[str, ...], strategy: str, *, multi_az: bool, slo: float
) -> Availability:
    """The estimate, its parts, and the part that limits it."""
    kinds = component_catalogue().kinds
    parts: list[AvailabilityPart] = []
    seen: set[tuple[str, str]] = set()
    for component in components:
        sla = kinds[component.kind].sla
        key = (component.kind, component.region)
        if sla is None or component.kind in OFF_PATH or key in seen:
            continue
        if component.region not in (GLOBAL, regions[0]):
            continue  # the recovery Region's copies: accounted for as redundancy below
        seen.add(key)
        figure = sla.regional if sla.regional is not None else (sla.multi_az if multi_az else sla.single_az)
        assert figure is not None
        basis = "regional" if sla.regional is not None else ("Multi-AZ" if multi_az else "single-AZ")
        parts.append(
            AvailabilityPart(
                component=component.id,
                kind=component.kind,
                sla=figure,
                basis=f"{kinds[component.kind].title}, {basis} SLA" + ("" if sla.verified else " (not verified)"),
                scope="global" if component.region == GLOBAL else "regional",
            )
        )
    regional = _product(p.sla for p in parts if p.scope == "regional")
    edge = _product(p.sla for p in parts if p.scope == "global")
    serving = len(regions) if strategy == "active-active" else 1
    combined = 1 - (1 - regional) ** serving
    estimated = round(combined * edge * 100, 4)
    limiting = min(parts, key=lambda p: (p.sla, p.component)) if parts else None
    to_meet = None
    if limiting is not None and estimated < slo:
        to_meet = _to_meet(limiting, regional, edge, serving, slo)
    return Availability(
        slo_target=slo,
        estimated=estimated,
        limiting_component=limiting.component if limiting else "",
        regions_serving=serving,
        parts=tuple(parts),
        to_meet=to_meet,
    )


def _to_meet(limiting: AvailabilityPart, regional: float, edge: float, serving: int, slo: float) -> str:
    """The change that lifts the estimate: a better part, or a second serving Region when that suffices."""
    sla = component_catalogue().kinds[limiting.kind].sla
    if sla is not None and sla.multi_az is not None and limiting.basis.endswith("single-AZ SLA"):
        upgrade: str | None = f"deploy it across AZs (its Multi-AZ SLA is {sla.multi_az:g}%)"
    else:
        upgrade = component_catalogue().availability_upgrades.get(limiting.kind)
    advice = [f"{limiting.component} ({limiting.sla:g}%) limits it" + (f": {upgrade}" if upgrade else "")]
    if serving == 1:
        doubled = (1 - (1 - regional) ** 2) * edge * 100
        if doubled >= slo:
            advice.append(f"or two serving Regions (active/active) would give about {round(doubled, 4):g}%")
        else:
            advice.append(
                f"two serving Regions would give about {round(doubled, 4):g}%, still short: the global parts cap "
                f"it at {round(edge * 100, 4):g}%"
            )
    elif edge * 100 < slo:
        advice.append(f"the global parts alone cap it at {round(edge * 100, 4):g}%")
    return "; ".join(advice)


def _product(values: Iterable[float]) -> float:
    result = 1.0
    for value in values:
        result *= value / 100
    return result
