"""Expand the winning blueprint into concrete components and connections.

Components go in the primary Region and, as the DR strategy requires, in the recovery Region.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from typing import Any

from archgen.blueprint import Blueprint, ComponentTemplate, component_id
from archgen.components import component_catalogue
from archgen.design import Component, Connection, Decision, Props, number
from archgen.errors import UserError
from archgen.plan.sizing import network_properties
from archgen.recovery_data import recovery_data
from archgen.sizing_data import sizing_data
from archgen.spec import Spec

GLOBAL = "global"  # the region of edge services that serve every Region (CloudFront, Cloudflare, their WAF)


def expand_components(
    spec: Spec, blueprint: Blueprint, decisions: Mapping[str, Decision], facts: Mapping[str, Any], region: str
) -> list[Component]:
    """The primary Region's components: the blueprint's, plus the edge, the public entry and the network."""
    catalogue = component_catalogue()
    compute = decisions["compute"].choice
    edge = decisions["edge"].choice
    found: list[Component] = []
    if edge != "none":
        found.append(
            Component(
                id="edge",
                kind=catalogue.edge_choices[edge],
                region=GLOBAL,
                role="TLS termination, caching and DDoS absorption in front of the service",
            )
        )
    if spec.edge.waf:
        where, scope = (GLOBAL, f"at the {edge} edge") if edge != "none" else (region, "on the entry point")
        found.append(Component(id="waf", kind="waf", region=where, role=f"managed rule sets and rate limiting {scope}"))
    if compute != "none" and any(s.public for s in spec.service_list):
        entry = catalogue.compute[compute].public_entry
        found.append(Component(id="entry", kind=entry, region=region, role="HTTPS entry point for public services"))
    for template in blueprint.components:
        if template.when is None or template.when.evaluate(facts)[0]:
            found += _expand(template, spec, decisions, region)
    if any(catalogue.kinds[c.kind].in_vpc for c in found):
        found[:0] = [
            Component(id="network", kind="vpc", region=region, role="public and private subnets in each AZ"),
            Component(
                id="nat", kind="nat-gateway", region=region, role="outbound internet access from private subnets"
            ),
        ]
    return found


def _expand(template: ComponentTemplate, spec: Spec, decisions: Mapping[str, Decision], region: str) -> list[Component]:
    catalogue = component_catalogue()
    compute = decisions["compute"].choice
    if template.for_each == "stores":
        return [
            Component(
                id=component_id(template.id, store.name),
                kind=catalogue.data_choices[decisions[f"data.{store.name}"].choice],
                region=region,
                role=template.role or f"{store.kind} data",
                properties={"store": store.name},
            )
            for store in spec.data
        ]
    if template.for_each in ("services", "public_services"):
        services = [s for s in spec.service_list if s.public or template.for_each == "services"]
        kind = catalogue.compute[compute].service_kind if template.kind == "compute.service" else template.kind
        return [
            Component(
                id=component_id(template.id, s.name),
                kind=kind,
                region=region,
                role=template.role,
                properties={"service": s.name, "port": s.port, "public": s.public},
            )
            for s in services
        ]
    return [
        Component(
            id=template.id,
            kind=template.kind,
            region=region,
            role=template.role,
            properties=dict(template.properties),
        )
    ]


def routing_component(primary: list[Component], strategy: str, recovery: str | None) -> list[Component]:
    """Route 53 health checks and records that move clients between Regions, when a live recovery Region exists.

    Failover records for pilot light and warm standby (the recovery Region answers only when the primary's health
    check fails), latency records for active/active (every healthy Region answers). Detection figures come from
    ``data/recovery.yaml`` so the recovery estimate and the generated health checks agree.
    """
    if recovery is None or strategy == "backup-restore" or not any(c.id == "entry" for c in primary):
        return []
    data = recovery_data()
    active = strategy == "active-active"
    interval = data.strategies[strategy].fast_health_check_interval_seconds if active else None  # type: ignore[index]
    routing = "latency" if active else "failover"
    return [
        Component(
            id="dns",
            kind="route53-zone",
            region=GLOBAL,
            role=f"Route 53 health checks on each Region's entry and {routing} records in the team's hosted zone",
            properties={
                "routing": routing,
                "health_check_interval_seconds": interval or data.detection.health_check_interval_seconds,
                "failure_threshold": data.detection.failure_threshold,
                "dns_ttl_seconds": data.detection.dns_ttl_seconds,
                "health_checks": 2,
            },
        )
    ]


def _routing_connections(components: list[Component]) -> list[Connection]:
    dns = next((c for c in components if c.kind == "route53-zone"), None)
    if dns is None:
        return []
    ids = {c.id for c in components}
    latency = dns.properties["routing"] == "latency"
    labels = {"entry": "routes while healthy", "entry-recovery": "on failover"}
    return [
        Connection(source=dns.id, target=target, label="routes by latency" if latency else label)
        for target, label in labels.items()
        if target in ids
    ]


def recovery_components(
    primary: list[Component], region: str, strategy: str, recovery: str | None, *, multi_az: bool
) -> list[Component]:
    """What runs in the recovery Region (and the backup vaults) for this DR strategy."""
    rules = sizing_data().backup
    vault_props: Props = {"schedule": rules.schedule, "retention_days": rules.retention_days}
    if recovery is not None:
        vault_props["copy_to_region"] = recovery
    vaults = [
        Component(
            id="backups",
            kind="backup-vault",
            region=region,
            role="AWS Backup vault and plan: point-in-time backups of every durable store",
            properties=vault_props,
        )
    ]
    if recovery is None:
        return vaults
    vaults.append(
        Component(
            id="backups-recovery",
            kind="backup-vault",
            region=recovery,
            role="cross-Region copies of every recovery point",
            properties={"retention_days": rules.retention_days},
        )
    )
    if strategy == "backup-restore":
        # The recovery Region's stack exists only as code until a disaster is declared: dormant copies, rendered
        # into a root of their own that restores the data from the copied recovery points.
        return vaults + [
            _dormant(_recovery_copy(component, recovery, 100, multi_az=multi_az, standby=False))
            for component in primary
            if component.region != GLOBAL
        ]
    settings = recovery_data().strategies[strategy]  # type: ignore[index]
    capacity = {"pilot-light": 0, "warm-standby": settings.standby_capacity_percent or 0}.get(strategy, 100)
    return vaults + [
        _recovery_copy(component, recovery, capacity, multi_az=multi_az, standby=strategy != "active-active")
        for component in primary
        if component.region != GLOBAL  # edge services serve both Regions
    ]


def _dormant(copy: Component) -> Component:
    props: Props = {**copy.properties, "dormant": True}
    props.pop("capacity_percent", None)
    origin = copy.properties["replica_of"]
    role = f"restored from the backups of {origin} only after a disaster is declared"
    return copy.model_copy(
        update={
            "properties": props,
            "role": role if "store" in props else f"a copy of {origin}, built only after a disaster is declared",
        }
    )


def _recovery_copy(component: Component, recovery: str, capacity: int, *, multi_az: bool, standby: bool) -> Component:
    props: Props = {**component.properties, "replica_of": component.id}
    role = f"recovery copy of {component.id}"
    if standby:
        # A standby database only applies the primary's changes: one instance, made highly available after
        # promotion (RDS: modify to Multi-AZ; Aurora: add a reader), not paid for twice while it waits.
        if props.get("multi_az") is True:
            props["multi_az"] = False
        if "instance_count" in props:
            props["instance_count"] = 1
        if "replicas" in props:
            props["replicas"] = 0
    if "min_count" in props and "max_count" in props:
        props["capacity_percent"] = capacity
        for key in ("min_count", "desired_count"):
            props[key] = math.ceil(number(props, key) * capacity / 100)
        role += f" at {capacity}% capacity, scaling to {props['max_count']} on failover"
    if component.kind == "vpc":
        zones = int(number(props, "az_count"))
        props.update(network_properties(sizing_data().network.recovery_cidr, zones, multi_az))
    return component.model_copy(
        update={"id": f"{component.id}-recovery", "region": recovery, "role": role, "properties": props}
    )


def expand_connections(
    blueprint: Blueprint, components: list[Component], decisions: Mapping[str, Decision], region: str
) -> list[Connection]:
    """The blueprint's edges between the components that exist, plus replication and backup copies."""
    kinds = component_catalogue().kinds
    primary = [c for c in components if c.region in (region, GLOBAL) and c.kind != "backup-vault"]
    groups = {
        "edge": [c.id for c in primary if c.id == "edge"],
        "entry": [c.id for c in primary if c.id == "entry"],
        "services": [c.id for c in primary if "service" in c.properties],
        "public_services": [c.id for c in primary if c.properties.get("public") is True],
        "stores": [c.id for c in primary if "store" in c.properties],
        "channels": [c.id for c in primary if kinds[c.kind].category == "messaging"],
    }
    ids = {c.id for c in primary}
    found: list[Connection] = []
    for edge in blueprint.edges:
        sources = groups.get(edge.source, [edge.source] if edge.source in ids else [])
        targets = groups.get(edge.target, [edge.target] if edge.target in ids else [])
        found += [Connection(source=s, target=t, label=edge.label) for s in sources for t in targets if s != t]
    if "waf" in ids:
        front = groups["edge"] or groups["entry"]
        found += [Connection(source="waf", target=t, label="filters requests") for t in front]
    # the recovery Region's copies talk to each other as their originals do
    copies = {c.properties["replica_of"]: c.id for c in components if isinstance(c.properties.get("replica_of"), str)}
    found += [
        Connection(source=copies[c.source], target=copies[c.target], label=c.label)
        for c in list(found)
        if c.source in copies and c.target in copies
    ]
    replication = recovery_data().replication
    for component in components:
        origin = component.properties.get("replica_of")
        store = component.properties.get("store")
        if isinstance(origin, str) and isinstance(store, str):
            figures = replication[decisions[f"data.{store}"].choice]
            if component.properties.get("dormant"):
                found.append(Connection(source="backups-recovery", target=component.id, label="restore on disaster"))
            elif figures.replicates:
                found.append(Connection(source=origin, target=component.id, label=figures.how.split(" (")[0]))
    found += _routing_connections(components)
    if any(c.id == "backups-recovery" for c in components):
        found.append(Connection(source="backups", target="backups-recovery", label="cross-Region copy"))
    return found


def check_unique_ids(components: list[Component]) -> None:
    """Every component id is unique across Regions (ids become resource names)."""
    seen: set[str] = set()
    for component in components:
        if component.id in seen:
            raise UserError(
                f"two components are called {component.id!r}: rename the service or data store (archgen itself "
                "adds edge, waf, entry, dns, network, nat, backups, audit, threat-detection, config, "
                "images-<service> and *-recovery)"
            )
        seen.add(component.id)
