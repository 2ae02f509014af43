"""``DESIGN.md``: the design-review document."""

from __future__ import annotations

from collections.abc import Collection

from archgen.components import component_catalogue
from archgen.data_kinds import store_size_gb
from archgen.design import Design
from archgen.durations import format_duration
from archgen.plan.security import secure_defaults
from archgen.plan.usage import usage_assumptions
from archgen.render.cloudformation.limits import limits_of
from archgen.render.diagram import mermaid_source
from archgen.render.environment import environment
from archgen.render.recovery_diagram import recovery_mermaid_source
from archgen.spec import Spec

# the properties shown next to a component's name in the Capacity section
SIZE_KEYS = (
    "instance_type",
    "instance_class",
    "node_type",
    "desired_count",
    "max_count",
    "shard_count",
    "billing_mode",
    "memory_mib",
    "peak_concurrency",
    "lcu_average",
)


def render_docs(design: Design, targets: Collection[str] = ("terraform",)) -> dict[str, str | bytes]:
    """DESIGN.md from ``templates/docs/DESIGN.md.j2`` (with ``explore.png`` when the design carries an exploration).

    ``targets`` are the chosen output targets: with ``cloudformation`` among them, DESIGN.md says what the
    CloudFormation stacks cannot express for this design (archgen.render.cloudformation.limits).
    """
    files: dict[str, str | bytes] = {}
    exploration = ""
    if design.exploration is not None:
        from archgen.explore import Exploration, exploration_markdown  # noqa: PLC0415 - only when asked
        from archgen.render.explore_chart import chart_png  # noqa: PLC0415 - matplotlib is slow to import

        explored = Exploration.model_validate(design.exploration)
        exploration = exploration_markdown(explored)
        files["explore.png"] = chart_png(explored)
    template = environment().get_template("docs/DESIGN.md.j2")
    kinds = {kind: info.title for kind, info in component_catalogue().kinds.items()}
    kinds_by_category = {kind: info.category for kind, info in component_catalogue().kinds.items()}
    text = template.render(
        design=design,
        requirements=requirement_rows(design.requirements),
        kinds=kinds,
        mermaid=mermaid_source(design),
        recovery_mermaid=recovery_mermaid_source(design),
        usage=usage_assumptions(),
        size_keys=SIZE_KEYS,
        exploration=exploration,
        secure_defaults=secure_defaults(design.components),
        security_components=[c for c in design.components if kinds_by_category.get(c.kind) == "security"],
        cloudformation_limits=limits_of(design) if "cloudformation" in targets else [],
    )
    files["DESIGN.md"] = text
    return files


def requirement_rows(spec: Spec) -> list[tuple[str, str]]:
    """The spec as (field, value) rows, with documented defaults applied and marked."""
    traffic, availability = spec.traffic, spec.availability
    rows = [
        ("workload", spec.workload),
        ("traffic.peak_rps", f"{traffic.peak_rps:g}"),
        (
            "traffic.average_rps",
            f"{traffic.average:g}" + (" (default: peak ÷ 4)" if traffic.average_rps is None else ""),
        ),
        ("traffic.avg_response_kb", f"{traffic.avg_response_kb:g}"),
        ("traffic.global_users", str(traffic.global_users).lower()),
        ("availability.slo", f"{availability.slo:g}%"),
        ("availability.rto", format_duration(availability.rto)),
        ("availability.rpo", format_duration(availability.rpo)),
        ("regions.primary", spec.regions.primary),
        (
            "regions.allowed",
            ", ".join(spec.regions.allowed) if spec.regions.allowed else "any in the primary's geography",
        ),
    ]
    for index, store in enumerate(spec.data):
        size = f"{store_size_gb(store.kind, store.size_gb):g} GB" + (" (assumed)" if store.size_gb is None else "")
        engine = f", {store.engine}" if store.engine else ""
        rows.append((f"data[{index}]", f"{store.name}: {store.kind}{engine}, {size}"))
    for index, service in enumerate(spec.service_list):
        exposure = "public" if service.public else "private"
        rows.append((f"services[{index}]", f"{service.name}: port {service.port}, {exposure}"))
    rows += [
        ("budget.monthly_usd", f"{spec.budget.monthly_usd:,.2f}" if spec.budget else "not set"),
        ("compliance", ", ".join(spec.compliance) or "none"),
        ("edge", f"cdn {spec.edge.cdn}, waf {str(spec.edge.waf).lower()}"),
        ("team.kubernetes", str(spec.team.kubernetes).lower()),
        ("delivery", f"{spec.delivery.ci}, {spec.delivery.strategy}"),
    ]
    return rows
