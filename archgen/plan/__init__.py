"""Plan a design: from a validated spec and the blueprint ranking to the Design, through decision records.

Pure: no I/O, no clock, no randomness. The order matters and is fixed: compute first (the pattern's options),
then Regions and the DR strategy (which need the compute model's scale-out time), then each data store (which
must replicate fast enough for the strategy), the edge, the components, and Multi-AZ (from their SLAs).
"""

from __future__ import annotations

from archgen import __version__
from archgen.design import BlueprintScore, Component, Decision, Design
from archgen.facts import spec_facts
from archgen.match import BlueprintMatch, Ranking
from archgen.plan.availability import estimate_availability
from archgen.plan.budget import fit_budget
from archgen.plan.compliance import compliance_rows
from archgen.plan.components import (
    check_unique_ids,
    expand_components,
    expand_connections,
    recovery_components,
    routing_component,
)
from archgen.plan.compute import decide_compute
from archgen.plan.data_stores import decide_store
from archgen.plan.edge import decide_edge
from archgen.plan.notes import Notes
from archgen.plan.pricing import price_design, summarise
from archgen.plan.recovery import (
    check_slo_against_rto,
    choose_strategy,
    describe_strategy,
    plan_recovery,
    promotion_seconds,
)
from archgen.plan.regions import choose_regions
from archgen.plan.security import lock_backups, security_components, security_decision
from archgen.plan.sizing import size_components
from archgen.plan.tweaks import Tweaks
from archgen.plan.zones import decide_multi_az
from archgen.spec import Spec


def plan_design(spec: Spec, ranking: Ranking) -> Design:
    """The design for ``spec`` using the best blueprint of ``ranking``, priced, and fitted to the budget."""
    return fit_budget(spec, lambda tweaks, relaxed: plan_variant(relaxed or spec, ranking, tweaks))


def plan_variant(spec: Spec, ranking: Ranking, tweaks: Tweaks) -> Design:
    """One priced design for ``spec`` with the cheaper ``tweaks`` applied (none by default)."""
    best = ranking.best.blueprint
    notes = Notes()
    compute = decide_compute(spec, ranking)
    regions = choose_regions(spec, notes)
    cross_region = regions.recovery is not None
    strategy_id = choose_strategy(spec, compute.choice, cross_region)
    check_slo_against_rto(spec, notes)
    stores = {
        f"data.{store.name}": decide_store(
            index, store, spec, strategy=strategy_id, compute=compute.choice, cross_region=cross_region, notes=notes
        )
        for index, store in enumerate(spec.data)
    }
    strategy = describe_strategy(
        strategy_id,
        spec,
        compute.choice,
        promote_seconds=promotion_seconds([decision.choice for decision in stores.values()]),
        has_recovery_region=cross_region,
        notes=notes,
    )
    decisions: dict[str, Decision] = {
        "compute": compute,
        "dr_strategy": strategy,
        "edge": decide_edge(spec, compute.choice),
        "regions": regions.decision,
        **stores,
    }
    facts = {
        **spec_facts(spec),
        "decisions.compute": compute.choice,
        "decisions.edge": decisions["edge"].choice,
        "decisions.dr_strategy": strategy.choice,
    }
    primary = expand_components(spec, best, decisions, facts, spec.regions.primary)
    region_codes = tuple(r for r in (spec.regions.primary, regions.recovery) if r)
    multi_az = decide_multi_az(spec, primary)
    decisions["multi_az"] = multi_az
    zonal = multi_az.choice == "true"
    primary = size_components(primary, spec, best, compute.choice, zonal, tweaks=tweaks)
    components = (
        primary
        + routing_component(primary, strategy.choice, regions.recovery)
        + recovery_components(primary, spec.regions.primary, strategy.choice, regions.recovery, multi_az=zonal)
    )
    components = lock_backups(spec, components) + security_components(spec, components, region_codes)
    decisions["security_baseline"] = security_decision(spec, components)
    check_unique_ids(components)
    _general_notes(spec, notes)
    cost = summarise(price_design(spec, strategy.choice, region_codes, components), spec)
    availability = estimate_availability(
        tuple(components), region_codes, strategy.choice, multi_az=zonal, slo=spec.availability.slo
    )
    recovery = plan_recovery(
        spec,
        compute.choice,
        strategy_id,
        store_choices={store.name: stores[f"data.{store.name}"].choice for store in spec.data},
        components=components,
        has_recovery_region=cross_region,
    )
    relational = [s.name for s in spec.data if stores[f"data.{s.name}"].choice.startswith(("aurora-", "rds-"))]
    if strategy_id == "active-active" and relational:
        notes.risk(
            f"Active/active with relational data ({', '.join(relational)}): Aurora Global Database has one writer "
            "Region; the other Region forwards writes to it (write forwarding, adding the inter-Region round trip) "
            "and takes over writes only after promotion. Move hot write paths to a multi-Region store (DynamoDB "
            "global tables) if both Regions must write locally."
        )
    if recovery.to_meet:
        notes.risk(f"The recovery estimate misses its target: {recovery.to_meet}.")
    if availability.to_meet:
        notes.risk(
            f"The published SLAs of the request path compose to {availability.estimated:g}%, below the "
            f"{spec.availability.slo:g}% SLO: {availability.to_meet}."
        )
    return Design(
        archgen_version=__version__,
        name=spec.name,
        description=spec.description,
        blueprint=best.id,
        blueprint_title=best.title,
        blueprint_source=best.source.url,
        blueprint_source_title=best.source.title,
        decisions=decisions,
        regions=region_codes,
        multi_az=multi_az.choice == "true",
        components=tuple(components),
        connections=tuple(expand_connections(best, components, decisions, spec.regions.primary)),
        ranking=tuple(_score(m) for m in ranking.matches),
        assumptions=tuple(notes.assumptions),
        risks=tuple(notes.risks),
        open_questions=tuple(notes.questions),
        requirements=spec,
        cost=cost,
        availability=availability,
        recovery=recovery,
        compliance=compliance_rows(spec.compliance, components),
    )


def _score(match: BlueprintMatch) -> BlueprintScore:
    reasons = [("✓ " if r.passed else "✗ ") + r.text for r in match.requirements]
    reasons += [("✓ " if r.passed else "✗ ") + f"{r.text} (+{p.weight})" for p in match.preferences for r in p.reasons]
    return BlueprintScore(
        id=match.blueprint.id, title=match.blueprint.title, fits=match.fits, score=match.score, reasons=tuple(reasons)
    )


def _general_notes(spec: Spec, notes: Notes) -> None:
    if spec.traffic.average_rps is None:
        notes.assume(f"traffic.average_rps not given; assumed a quarter of peak ({spec.traffic.average:g} rps).")
    if spec.services is None:
        notes.assume(f"services not given; one service named {spec.name!r} on port 8080.")
    if spec.budget is None:
        notes.ask("No budget was given: is there a monthly ceiling the design must fit?")
    if len(spec.service_list) > 1 and spec.data:
        notes.ask(
            "Which service uses which data store? The spec does not say, so every service may reach every store; "
            "narrowing this tightens security groups and IAM policies."
        )
    if spec.compliance:
        notes.ask(
            f"Which teams own the residual responsibilities of {', '.join(spec.compliance)} (the controls "
            "archgen cannot implement: processes, training, audits)?"
        )


__all__ = ["Component", "plan_design"]
