"""Price a planned design: one cost line per billed dimension of every component, from its sizes and the usage.

Each line names the component, the Terraform resource type it prices, the billing unit, the monthly quantity and
how it was derived (``basis``), and the unit price from the catalogue for the component's Region. Capacity lines
use the steady-state (desired) counts the sizing pass chose; usage lines use the spec's average traffic. The rules
live per family: network.py, compute.py, data.py, messaging.py, security.py.
"""

from __future__ import annotations

from collections.abc import Iterable

from archgen.design import Component, Cost, CostLine
from archgen.plan.pricing import compute, data, messaging, network, security
from archgen.plan.pricing.pricer import SHARED, Pricer, Rule
from archgen.price_catalogue import price_catalogue
from archgen.spec import Spec

RULES: dict[str, Rule] = {**network.RULES, **compute.RULES, **data.RULES, **messaging.RULES, **security.RULES}


def price_design(
    spec: Spec, strategy: str, regions: tuple[str, ...], components: Iterable[Component]
) -> tuple[CostLine, ...]:
    """Every cost line of the design, in component order."""
    pricer = Pricer(spec, strategy, regions, components)
    for region in regions:
        network.shared(pricer, region)
    for component in pricer.components:
        if not component.properties.get("dormant"):  # code only until a disaster is declared: nothing runs
            RULES[component.kind](pricer, component)
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


def priced_kinds() -> frozenset[str]:
    """The component kinds the cost model prices (a test checks this covers the whole vocabulary)."""
    return frozenset(RULES)


__all__ = ["SHARED", "price_design", "priced_kinds", "summarise"]
