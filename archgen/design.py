"""The design: archgen's one intermediate representation. The planner builds it; every renderer reads only it.

Serialised as ``design.json`` (a documented, versioned contract). Renderers never re-decide or re-size: any number a
template needs is computed by the planner and carried here.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field

from archgen.spec import Spec

SCHEMA_VERSION = 1


class Frozen(BaseModel):
    """Base of the design models: immutable, unknown fields rejected."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=True)


class Alternative(Frozen):
    """An option considered and not taken."""

    choice: str
    why_not: str


class Decision(Frozen):
    """A decision record: the choice, why, which spec fields drove it, and what else was considered."""

    choice: str
    rationale: str
    drivers: tuple[str, ...]
    alternatives: tuple[Alternative, ...]


Props = dict[str, str | int | float | bool | tuple[str, ...]]


def number(props: Props, key: str) -> float:
    """A numeric property (sizes and counts are numbers by construction; a string here is a planner bug)."""
    value = props[key]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"property {key!r} is {value!r}, not a number")
    return value


class Component(Frozen):
    """One deployable piece of the architecture."""

    id: str
    kind: str
    region: str
    role: str = ""
    properties: Props = Field(default_factory=dict)
    sizing: tuple[str, ...] = ()  # the arithmetic behind the sizes, step by step, for DESIGN.md


class Connection(Frozen):
    """A directed, labelled connection between two components."""

    source: str = Field(alias="from")
    target: str = Field(alias="to")
    label: str


class BlueprintScore(Frozen):
    """How one blueprint fared in matching, for the design document and ``archgen explain``."""

    id: str
    title: str
    fits: bool
    score: int
    reasons: tuple[str, ...]


class CostLine(Frozen):
    """One priced line: a quantity of one billing unit of one resource, per month."""

    component: str
    resource: str
    size: str | None
    unit: str
    quantity: float
    unit_usd: float
    monthly_usd: float
    region: str
    item: str
    estimate: bool
    basis: str


class BudgetOption(Frozen):
    """A cheaper variant the budget search considered."""

    id: str
    title: str
    trade_off: str
    applied: bool
    monthly_usd: float | None
    why: str


class RequirementCost(Frozen):
    """What one requirement costs: the design's price minus the price with that requirement relaxed."""

    requirement: str
    relaxed_to: str
    monthly_usd: float


class Cost(Frozen):
    """The priced design (see docs/design-json.md, ``cost``)."""

    currency: str = "USD"
    monthly_usd: float
    budget_usd: float | None
    within_budget: bool | None
    prices_as_of: str
    estimated_regions: tuple[str, ...]
    lines: tuple[CostLine, ...]
    options: tuple[BudgetOption, ...] = ()
    requirement_costs: tuple[RequirementCost, ...] = ()


class AvailabilityPart(Frozen):
    """One part on the request path and the SLA it is held to."""

    component: str
    kind: str
    sla: float
    basis: str
    scope: str


class Availability(Frozen):
    """Composite availability of the topology from published SLAs (see docs/design-json.md, ``availability``)."""

    slo_target: float
    estimated: float
    limiting_component: str
    regions_serving: int
    parts: tuple[AvailabilityPart, ...]
    to_meet: str | None = None  # when the estimate is below the SLO: the change that would fix it


class EstimatePart(Frozen):
    """One term of a recovery-time estimate."""

    label: str
    seconds: int


class Recovery(Frozen):
    """What the chosen DR strategy delivers, estimated from its parts, and the runbook (docs/design-json.md)."""

    strategy: str
    rto_target_seconds: int
    rpo_target_seconds: int
    rto_estimate_seconds: int
    rpo_estimate_seconds: int
    rto_parts: tuple[EstimatePart, ...]
    rpo_basis: str
    meets_rto: bool
    meets_rpo: bool
    to_meet: str | None
    trigger: str
    steps: tuple[str, ...]
    failback: tuple[str, ...]
    game_day: tuple[str, ...]
    monitor: tuple[str, ...]


class ComplianceRow(Frozen):
    """One row of the compliance matrix: a requirement of the named regimes and the control that answers it."""

    id: str
    refs: dict[str, str]  # regime → clause, for the regimes the spec names
    requirement: str
    control: str
    implemented_by: tuple[str, ...]  # Terraform resource types in the output
    implemented_in: str = ""  # where it is implemented when not by Terraform resources (a decision, a manifest)
    residual: str


class Design(Frozen):
    """The complete design of one service."""

    schema_version: int = SCHEMA_VERSION
    archgen_version: str
    name: str
    description: str
    blueprint: str
    blueprint_title: str
    blueprint_source: str
    blueprint_source_title: str
    decisions: dict[str, Decision]
    regions: tuple[str, ...]
    multi_az: bool
    components: tuple[Component, ...]
    connections: tuple[Connection, ...]
    ranking: tuple[BlueprintScore, ...]
    assumptions: tuple[str, ...]
    risks: tuple[str, ...]
    open_questions: tuple[str, ...]
    requirements: Spec
    cost: Cost | None = None
    availability: Availability | None = None
    recovery: Recovery | None = None
    compliance: tuple[ComplianceRow, ...] = ()
    # `archgen design --explore`: the same spec re-planned across varied values (archgen.explore.Exploration)
    exploration: dict[str, Any] | None = None

    @property
    def primary_region(self) -> str:
        """The Region that serves traffic first."""
        return self.regions[0]

    def component(self, component_id: str) -> Component:
        """The component with this id (ids are unique within a design)."""
        for component in self.components:
            if component.id == component_id:
                return component
        raise KeyError(component_id)
