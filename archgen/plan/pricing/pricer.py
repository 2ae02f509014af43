"""The pricer every pricing rule writes its lines through, and the helpers several rules share."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from archgen.design import Component, CostLine, number
from archgen.plan.components import GLOBAL
from archgen.plan.usage import Usage, region_usage, usage_assumptions
from archgen.price_catalogue import price_catalogue
from archgen.spec import Spec

SHARED = "shared"  # the per-Region platform every Terraform root creates (KMS key, access-log bucket)


class Pricer:
    """Collects the lines of one design: the spec, the strategy, the Regions and every component."""

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
        """How many of a component run in steady state (its desired count)."""
        return int(number(component.properties, key))

    def standby_note(self, component: Component) -> str:
        """A note for the basis of a usage line in a Region that serves no traffic until failover."""
        if "replica_of" in component.properties and self.usage(component.region).share == 0:
            return " (standby Region: no traffic until failover)"
        return ""

    def first(self, kind: str, region: str) -> Component | None:
        """The first component of ``kind`` in ``region``."""
        return next((c for c in self.components if c.kind == kind and c.region == region), None)


Rule = Callable[[Pricer, Component], Any]


def zones(p: Pricer, region: str) -> int:
    """Availability zones of a Region's network (two when it has none of its own)."""
    network = p.first("vpc", region)
    return int(number(network.properties, "az_count")) if network else 2


def internet_out(p: Pricer, c: Component, resource: str) -> None:
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


def service_logs(p: Pricer, c: Component) -> None:
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


def is_replica(p: Pricer, c: Component) -> bool:
    """Whether ``c`` is the recovery Region's copy of a primary component."""
    return "replica_of" in c.properties


def inter_region(p: Pricer, c: Component, resource: str, gb: float, what: str) -> None:
    """A line for the data a replica receives from the primary Region."""
    p.add(c, resource, "transfer/inter-region", gb, f"replication from the primary Region: {what}")
