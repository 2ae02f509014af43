"""Fit a design to its budget, and say what each requirement costs.

The default design is already the cheapest that meets the requirements as the planner reads them. When it is over
budget, the search tries the cheaper variants of ``data/budget.yaml`` (each trades something the requirements do
not forbid), and keeps the set with the fewest trade-offs that fits, the cheapest among equals. When nothing fits,
the cheapest set is kept and the design says it is over budget, by how much, and where the money goes.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache
from itertools import combinations

from pydantic import BaseModel, ConfigDict

from archgen.design import Alternative, BudgetOption, Cost, Decision, Design, RequirementCost, number
from archgen.durations import format_duration
from archgen.plan.tweaks import Tweaks
from archgen.resources import load_data
from archgen.sizing_data import sizing_data
from archgen.spec import Spec

Replan = Callable[[Tweaks, Spec | None], Design]

RELAXED_SLO = 99.5  # the single-AZ SLA of EC2, RDS and ElastiCache: below it nothing needs a second AZ
RELAXED_RECOVERY = 86400  # a day of RTO and RPO: backup and restore meets it


class Variant(BaseModel):
    """One cheaper variant."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    title: str
    trade_off: str


class BudgetData(BaseModel):
    """``data/budget.yaml``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    as_of: str
    variants: tuple[Variant, ...]


@cache
def budget_data() -> BudgetData:
    """The shipped variants, loaded once."""
    return load_data("budget.yaml", BudgetData)


def fit_budget(spec: Spec, replan: Replan) -> Design:
    """The design for ``spec``, fitted to its budget when it has one, with what each requirement costs."""
    design = replan(Tweaks(), None)
    cost = _cost(design)
    requirement_costs = requirement_prices(spec, design, replan)
    if spec.budget is None:
        return _with(design, cost.model_copy(update={"requirement_costs": requirement_costs}), None)
    budget = spec.budget.monthly_usd
    reasons = _applicable(design, spec)
    if cost.monthly_usd <= budget:
        options = tuple(
            _option(v, False, None, reason or f"not needed: the design is within the ${budget:,.0f} budget")
            for v, reason in reasons
        )
        decision = Decision(
            choice="as designed",
            rationale=f"${cost.monthly_usd:,.2f} a month is within the ${budget:,.2f} budget, so no trade-off is made",
            drivers=("budget.monthly_usd",),
            alternatives=tuple(
                Alternative(choice=v.id, why_not=reason or "not needed within the budget") for v, reason in reasons
            ),
        )
        return _with(
            design, cost.model_copy(update={"options": options, "requirement_costs": requirement_costs}), decision
        )

    usable = [v for v, reason in reasons if reason is None]
    tried: dict[tuple[str, ...], Design] = {(): design}
    for size in range(1, len(usable) + 1):
        for subset in combinations(usable, size):
            ids = tuple(v.id for v in subset)
            tried[ids] = replan(Tweaks.of(ids), None)
    fitting = [ids for ids, d in tried.items() if _cost(d).monthly_usd <= budget]
    if fitting:
        chosen = min(fitting, key=lambda ids: (len(ids), _cost(tried[ids]).monthly_usd, ids))
    else:
        chosen = min(tried, key=lambda ids: (_cost(tried[ids]).monthly_usd, len(ids), ids))
    best = tried[chosen]
    best_cost = _cost(best)
    options = tuple(
        _option(
            v,
            v.id in chosen,
            _cost(tried[(v.id,)]).monthly_usd if (v.id,) in tried else None,
            reason
            or (
                f"applied: saves ${cost.monthly_usd - _cost(tried[(v.id,)]).monthly_usd:,.2f} a month on its own"
                if v.id in chosen
                else "not needed: the applied variants already fit the budget"
            ),
        )
        for v, reason in reasons
    )
    within = best_cost.monthly_usd <= budget
    decision = _decision(chosen, reasons, cost.monthly_usd, best_cost.monthly_usd, budget, within=within)
    if not within:
        requirement_costs = requirement_prices(spec, best, replan, Tweaks.of(chosen))
    final = best_cost.model_copy(update={"options": options, "requirement_costs": requirement_costs})
    return _with(best, final, decision)


def _cost(design: Design) -> Cost:
    assert design.cost is not None  # the planner always prices
    return design.cost


def _with(design: Design, cost: Cost, decision: Decision | None) -> Design:
    decisions = dict(design.decisions)
    if decision is not None:
        decisions["budget"] = decision
    return design.model_copy(update={"cost": cost, "decisions": decisions})


def _option(variant: Variant, applied: bool, monthly: float | None, why: str) -> BudgetOption:
    return BudgetOption(
        id=variant.id, title=variant.title, trade_off=variant.trade_off, applied=applied, monthly_usd=monthly, why=why
    )


def _applicable(design: Design, spec: Spec) -> list[tuple[Variant, str | None]]:
    """Each variant with None when the search may try it, else why not."""
    kinds = {c.kind for c in design.components}
    fargate = "ecs-service" in kinds
    private_fargate = any(c.kind == "ecs-service" and not c.properties.get("public") for c in design.components)
    scaled = kinds & {"ecs-service", "k8s-deployment", "ec2-autoscaling-group"}
    nat = max((int(number(c.properties, "count")) for c in design.components if c.kind == "nat-gateway"), default=0)
    high_slo = sizing_data().network.high_slo
    verdicts: dict[str, str | None] = {
        "arm-containers": None if fargate else "no Fargate tasks in this design (Lambda and EKS nodes are Arm already)",
        "lean-headroom": None if scaled else "nothing in this design is sized with headroom (it scales per request)",
        "spot-workers": None if private_fargate else "no private Fargate service that could tolerate interruption",
        "single-nat": (
            "there is at most one NAT gateway already"
            if nat <= 1
            else None
            if spec.availability.slo < high_slo
            else f"the {spec.availability.slo:g}% SLO needs each AZ independent of the others (≥ {high_slo:g}%)"
        ),
        "less-strict-dr": (
            f"{design.decisions['dr_strategy'].choice} is already the least strict strategy that meets an RTO of "
            f"{format_duration(spec.availability.rto)} and an RPO of {format_duration(spec.availability.rpo)}"
        ),
    }
    return [(variant, verdicts[variant.id]) for variant in budget_data().variants]


def _decision(
    chosen: tuple[str, ...],
    reasons: list[tuple[Variant, str | None]],
    before: float,
    after: float,
    budget: float,
    *,
    within: bool,
) -> Decision:
    titles = {v.id: v for v, _ in reasons}
    applied = "; ".join(f"{titles[i].title} ({titles[i].trade_off})" for i in chosen) or "nothing applicable"
    if within:
        rationale = (
            f"as first designed it costs ${before:,.2f} a month, over the ${budget:,.2f} budget; the fewest trade-offs "
            f"that fit bring it to ${after:,.2f}: {applied}"
        )
    else:
        rationale = (
            f"${before:,.2f} a month as designed; even with every applicable trade-off ({applied}) it costs "
            f"${after:,.2f}, ${after - budget:,.2f} over the ${budget:,.2f} budget. The requirements, not the design, "
            "set this floor: see what each requirement costs"
        )
    return Decision(
        choice=" + ".join(chosen) or "as designed",
        rationale=rationale,
        drivers=("budget.monthly_usd", "availability.slo", "availability.rto", "availability.rpo"),
        alternatives=tuple(
            Alternative(choice=v.id, why_not=reason or ("fits without it" if within else "not cheaper"))
            for v, reason in reasons
            if v.id not in chosen
        ),
    )


def requirement_prices(
    spec: Spec, design: Design, replan: Replan, tweaks: Tweaks | None = None
) -> tuple[RequirementCost, ...]:
    """What each requirement adds to the monthly cost: the price with it relaxed, subtracted from the design's."""
    found = []
    total = _cost(design).monthly_usd
    for requirement, relaxed_to, relaxed in _relaxations(spec):
        cheaper = _cost(replan(tweaks or Tweaks(), relaxed)).monthly_usd
        found.append(
            RequirementCost(requirement=requirement, relaxed_to=relaxed_to, monthly_usd=round(total - cheaper, 2))
        )
    return tuple(found)


def _relaxations(spec: Spec) -> list[tuple[str, str, Spec]]:
    found = []
    availability = spec.availability
    if availability.slo > RELAXED_SLO:
        found.append(
            (
                f"availability.slo {availability.slo:g}%",
                f"{RELAXED_SLO:g}%",
                spec.model_copy(update={"availability": availability.model_copy(update={"slo": RELAXED_SLO})}),
            )
        )
    if availability.rto < RELAXED_RECOVERY or availability.rpo < RELAXED_RECOVERY:
        found.append(
            (
                f"availability.rto {format_duration(availability.rto)} / rpo {format_duration(availability.rpo)}",
                "1d / 1d",
                spec.model_copy(
                    update={
                        "availability": availability.model_copy(
                            update={
                                "rto": max(availability.rto, RELAXED_RECOVERY),
                                "rpo": max(availability.rpo, RELAXED_RECOVERY),
                            }
                        )
                    }
                ),
            )
        )
    if spec.edge.waf:
        found.append(
            ("edge.waf", "false", spec.model_copy(update={"edge": spec.edge.model_copy(update={"waf": False})}))
        )
    if spec.compliance:
        found.append((f"compliance {', '.join(spec.compliance)}", "none", spec.model_copy(update={"compliance": ()})))
    return found
