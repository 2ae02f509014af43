"""One decision per data store.

The cheapest AWS choice that holds the data, meets the SLO, and can replicate to the recovery Region fast enough
for the chosen DR strategy.
"""

from __future__ import annotations

from archgen.components import component_catalogue
from archgen.data_kinds import data_kind_table, store_size_gb
from archgen.design import Alternative, Decision
from archgen.durations import format_duration
from archgen.plan.notes import Notes
from archgen.plan.recovery import estimate
from archgen.recovery_data import StrategyId, recovery_data
from archgen.spec import DataStore, Spec


def decide_store(
    index: int, store: DataStore, spec: Spec, *, strategy: StrategyId, compute: str, cross_region: bool, notes: Notes
) -> Decision:
    """Choose the AWS service for ``store``."""
    table = data_kind_table()
    info = table.kinds[store.kind]
    engine = store.engine or info.default_engine
    candidates = info.engines[engine]
    verdicts = {
        choice: _problems(choice, store, spec, strategy=strategy, compute=compute, cross_region=cross_region)
        for choice in candidates
    }
    fitting = [c for c in candidates if not verdicts[c]]
    chosen = fitting[0] if fitting else candidates[-1]
    if not fitting:
        notes.risk(
            f"data.{store.name}: no choice meets every requirement; {chosen} comes closest "
            f"({'; '.join(verdicts[chosen])})."
        )
    why = _why(chosen, store, spec, strategy=strategy, cross_region=cross_region, several=len(candidates) > 1)
    rationale = f"{table.summaries[chosen]}. {why}"
    replication = recovery_data().replication[chosen]
    if cross_region and replication.lag_seconds > spec.availability.rpo and not verdicts[chosen]:
        notes.risk(f"data.{store.name}: {replication.how}; the guaranteed bound is above the RPO.")
    costlier = f"meets the requirements too but costs more than {chosen}"
    alternatives = [
        Alternative(choice=c, why_not="; ".join(verdicts[c]) or costlier) for c in candidates if c != chosen
    ]
    for other, choices in info.engines.items():
        if other != engine:
            why = f"the spec asks for {engine}" if store.engine else f"{engine} is the default for {store.kind} data"
            alternatives += [Alternative(choice=c, why_not=f"{why}; set engine: {other} to use it") for c in choices]
    alternatives += [
        Alternative(choice=choice, why_not=why) for choice, why in table.considered.get(store.kind, {}).items()
    ]
    if store.size_gb is None:
        notes.assume(
            f"data.{store.name}: size not given; assumed {store_size_gb(store.kind, None):g} GB for {store.kind} data."
        )
    return Decision(
        choice=chosen,
        rationale=rationale,
        drivers=_drivers(index, store, cross_region),
        alternatives=tuple(alternatives),
    )


def _problems(
    choice: str, store: DataStore, spec: Spec, *, strategy: StrategyId, compute: str, cross_region: bool
) -> list[str]:
    """Why ``choice`` cannot serve this store (empty when it can)."""
    found = []
    size = store_size_gb(store.kind, store.size_gb)
    limit = data_kind_table().max_size_gb.get(choice)
    if limit is not None and size > limit:
        found.append(f"{size:g} GB exceeds its {limit:g} GB limit")
    sla = _best_sla(choice)
    if sla is not None and sla < spec.availability.slo:
        found.append(f"its best SLA ({sla:g}%) is below the SLO ({spec.availability.slo:g}%)")
    if cross_region and strategy != "backup-restore":
        replication = recovery_data().replication[choice]
        if strategy == "active-active" and store.kind == "relational" and choice.startswith("rds-"):
            found.append(
                "RDS has a single writer and no multi-Region write path; active/active needs Aurora Global "
                "Database with write forwarding or a multi-writer store"
            )
        elif replication.lag_seconds > spec.availability.rpo and store.kind in ("relational", "cache", "document"):
            found.append(
                f"cross-Region lag of about {format_duration(replication.lag_seconds)} exceeds the RPO "
                f"({format_duration(spec.availability.rpo)})"
            )
        rto = estimate(strategy, spec, compute, replication.promote_seconds).rto_seconds
        if rto > spec.availability.rto:
            found.append(
                f"promotion takes about {format_duration(replication.promote_seconds)}, putting the RTO at "
                f"{format_duration(rto)} (target {format_duration(spec.availability.rto)})"
            )
    return found


def _best_sla(choice: str) -> float | None:
    catalogue = component_catalogue()
    sla = catalogue.kinds[catalogue.data_choices[choice]].sla
    if sla is None:
        return None
    return sla.regional if sla.regional is not None else sla.multi_az


def _why(choice: str, store: DataStore, spec: Spec, *, strategy: StrategyId, cross_region: bool, several: bool) -> str:
    size = store_size_gb(store.kind, store.size_gb)
    parts = [f"Holds {size:g} GB"]
    sla = _best_sla(choice)
    if sla is not None:
        parts.append(f"SLA {sla:g}% against the {spec.availability.slo:g}% SLO")
    if cross_region and strategy != "backup-restore":
        parts.append(f"for {strategy}: {recovery_data().replication[choice].how}")
    elif cross_region:
        parts.append("for backup-restore: point-in-time backups copied to the recovery Region")
    text = "; ".join(parts) + "."
    return text + (" The cheapest choice that meets all of these." if several else "")


def _drivers(index: int, store: DataStore, cross_region: bool) -> tuple[str, ...]:
    drivers = [f"data[{index}].kind", f"data[{index}].size_gb", "availability.slo"]
    if store.engine:
        drivers.insert(1, f"data[{index}].engine")
    if cross_region:
        drivers += ["availability.rpo", "availability.rto"]
    return tuple(drivers)
