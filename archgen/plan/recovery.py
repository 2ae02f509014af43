"""The DR strategy decision, following the four strategies of the AWS DR whitepaper and REL13-BP02.

Each strategy's recovery time and recovery point are estimated from their parts (detection, promotion, scale-out,
restore); the cheapest strategy whose estimates meet both objectives wins. A stricter strategy is never chosen
when a cheaper one meets the objectives: it only costs more.
"""

from __future__ import annotations

from dataclasses import dataclass

from archgen.data_kinds import data_kinds, store_size_gb
from archgen.design import Alternative, Component, Decision, EstimatePart, Recovery
from archgen.durations import format_duration
from archgen.plan.notes import Notes
from archgen.recovery_data import StrategyId, recovery_data
from archgen.spec import Spec

DURABLE_KINDS = ("relational", "key-value", "document", "object", "search")
DRIVERS = ("availability.rto", "availability.rpo", "data", "regions.allowed")


@dataclass(frozen=True)
class Estimate:
    """What one strategy would achieve for this spec, with the arithmetic."""

    strategy: StrategyId
    rto_seconds: int
    rpo_seconds: int
    rto_parts: tuple[tuple[str, int], ...]

    def meets(self, spec: Spec) -> bool:
        """Both objectives met."""
        return self.rto_seconds <= spec.availability.rto and self.rpo_seconds <= spec.availability.rpo

    def arithmetic(self) -> str:
        """``RTO ≈ detection 150 s + promotion 60 s = 3m30s``."""
        parts = " + ".join(f"{label} {seconds:,} s" for label, seconds in self.rto_parts)
        return f"RTO ≈ {parts} = {format_duration(self.rto_seconds)}; RPO ≈ {format_duration(self.rpo_seconds)}"


def fastest_promotion_seconds(spec: Spec) -> int:
    """Slowest promotion among the stores, each on its fastest-promoting choice (the planner's best case)."""
    replication = recovery_data().replication
    slowest = 0
    for store in spec.data:
        info = data_kinds()[store.kind]
        choices = info.engines[store.engine or info.default_engine]
        slowest = max(slowest, min(replication[c].promote_seconds for c in choices))
    return slowest


def estimate(strategy_id: StrategyId, spec: Spec, compute: str, promote_seconds: int) -> Estimate:
    """Estimate RTO and RPO of ``strategy_id`` for this spec, compute model and slowest data promotion."""
    data = recovery_data()
    strategy = data.strategies[strategy_id]
    detect = data.detection
    detection = detect.health_check_interval_seconds * detect.failure_threshold + detect.dns_ttl_seconds
    parts: list[tuple[str, int]]
    if strategy_id == "backup-restore":
        size = sum(store_size_gb(s.kind, s.size_gb) for s in spec.data if s.kind in DURABLE_KINDS)
        restore = strategy.restore_base_seconds + round(size * strategy.restore_seconds_per_gb)
        parts = [
            ("declare the disaster", strategy.declare_seconds),
            ("provision the recovery Region", strategy.provision_seconds),
            (f"restore {size:g} GB", restore),
        ]
    elif strategy_id == "active-active":
        fast = (strategy.fast_health_check_interval_seconds or 10) * detect.failure_threshold
        parts = [("detection with fast health checks and TTL", fast + detect.dns_ttl_seconds)]
    else:
        parts = [("detection", detection)]
        if strategy.promotion and promote_seconds:
            parts.append(("data promotion", promote_seconds))
        if strategy.scale_from_zero:
            parts.append((f"start {compute} from zero", data.scale_from_zero_seconds[compute]))
    return Estimate(strategy_id, sum(s for _, s in parts), strategy.rpo_seconds, tuple(parts))


def choose_strategy(spec: Spec, compute: str, has_recovery_region: bool) -> StrategyId:
    """The cheapest strategy whose estimates meet RTO and RPO, assuming each store's fastest-promoting choice.

    The strictest strategy when none meets them; backup-restore when no second Region is permitted.
    """
    strategies = list(recovery_data().strategies)
    if not has_recovery_region:
        return strategies[0]
    promote = fastest_promotion_seconds(spec)
    meeting = [sid for sid in strategies if estimate(sid, spec, compute, promote).meets(spec)]
    return meeting[0] if meeting else strategies[-1]


def describe_strategy(
    chosen: StrategyId, spec: Spec, compute: str, *, promote_seconds: int, has_recovery_region: bool, notes: Notes
) -> Decision:
    """The decision record for ``chosen``, with estimates from the data choices actually made."""
    strategies = recovery_data().strategies
    estimates = {sid: estimate(sid, spec, compute, promote_seconds) for sid in strategies}
    mine = estimates[chosen]
    strategy = strategies[chosen]
    target = f"RTO {format_duration(spec.availability.rto)}, RPO {format_duration(spec.availability.rpo)}"
    if not has_recovery_region:
        rationale = (
            "no second Region is permitted, so only in-Region backups are possible; the objectives "
            f"({target}) cannot be guaranteed against a Region-wide outage"
        )
    elif mine.meets(spec):
        rationale = (
            f"the cheapest strategy that meets {target}: {strategy.summary}. {mine.arithmetic()}. "
            f"AWS guidance: {strategy.source}"
        )
    else:
        rationale = (
            f"no strategy's estimate meets {target}; {strategy.title.lower()} comes closest. {mine.arithmetic()}"
        )
        scope = "any strategy's estimate" if not any(e.meets(spec) for e in estimates.values()) else "the estimate"
        notes.risk(
            f"The recovery objectives ({target}) are stricter than {scope}; the best is {chosen} "
            f"({mine.arithmetic()}). Relax the objectives, or plan for faster detection and promotion."
        )
    alternatives = []
    for other, figures in estimates.items():
        if other == chosen:
            continue
        if not has_recovery_region:
            why = "needs a second Region, and none is permitted"
        elif figures.meets(spec):
            why = (
                f"also meets the objectives but runs more ({strategies[other].runs_in_recovery_region}) "
                "and costs more; REL13-BP02 advises against a stricter strategy than needed"
            )
        else:
            why = f"misses {target}: {figures.arithmetic()}"
        alternatives.append(Alternative(choice=other, why_not=why))
    return Decision(choice=chosen, rationale=rationale, drivers=DRIVERS, alternatives=tuple(alternatives))


def promotion_seconds(choices: list[str]) -> int:
    """The slowest promotion among the data choices made (0 without stores)."""
    replication = recovery_data().replication
    return max((replication[choice].promote_seconds for choice in choices), default=0)


def check_slo_against_rto(spec: Spec, notes: Notes) -> None:
    """Warn when one Region-wide incident at the RTO would spend more than the SLO's monthly error budget."""
    budget_seconds = (100 - spec.availability.slo) / 100 * 30 * 86400
    if spec.availability.rto > budget_seconds:
        notes.risk(
            f"The SLO of {spec.availability.slo:g}% allows about {format_duration(round(budget_seconds))} of downtime "
            f"a month, less than the RTO of {format_duration(spec.availability.rto)}: one Region-wide incident "
            "recovered at the RTO breaks the SLO for that month. Either accept that or tighten the RTO."
        )


def plan_recovery(
    spec: Spec,
    compute: str,
    chosen: StrategyId,
    *,
    store_choices: dict[str, str],
    components: list[Component],
    has_recovery_region: bool,
) -> Recovery:
    """What ``chosen`` delivers for this design, with the arithmetic, what would meet a missed target, and the runbook.

    ``store_choices`` maps each store name to its data choice (``aurora-postgresql``, ``dynamodb`` …).
    """
    data = recovery_data()
    figures = estimate(chosen, spec, compute, promotion_seconds(list(store_choices.values())))
    rpo, rpo_basis = _rpo(chosen, store_choices, has_recovery_region=has_recovery_region)
    targets = spec.availability
    meets_rto, meets_rpo = figures.rto_seconds <= targets.rto, rpo <= targets.rpo
    return Recovery(
        strategy=chosen,
        rto_target_seconds=targets.rto,
        rpo_target_seconds=targets.rpo,
        rto_estimate_seconds=figures.rto_seconds,
        rpo_estimate_seconds=rpo,
        rto_parts=tuple(EstimatePart(label=label, seconds=seconds) for label, seconds in figures.rto_parts),
        rpo_basis=rpo_basis,
        meets_rto=meets_rto,
        meets_rpo=meets_rpo,
        to_meet=_to_meet(spec, compute, chosen, store_choices, meets_rto=meets_rto, meets_rpo=meets_rpo, rpo=rpo),
        trigger=data.runbook.trigger,
        steps=_steps(chosen, figures, store_choices, components, has_recovery_region=has_recovery_region),
        failback=data.runbook.failback if chosen != "backup-restore" else (),
        game_day=data.runbook.game_day,
        monitor=_monitor(chosen, store_choices),
    )


def _replicated(store_choices: dict[str, str]) -> dict[str, str]:
    replication = recovery_data().replication
    return {name: choice for name, choice in store_choices.items() if replication[choice].replicates}


def _rpo(chosen: StrategyId, store_choices: dict[str, str], *, has_recovery_region: bool) -> tuple[int, str]:
    data = recovery_data()
    strategy = data.strategies[chosen]
    if chosen == "backup-restore" or not has_recovery_region:
        where = "copied to the recovery Region" if has_recovery_region else "kept in the primary Region only"
        return (
            strategy.rpo_seconds,
            f"the newest AWS Backup recovery point ({where}) is at most {format_duration(strategy.rpo_seconds)} old",
        )
    replicated = _replicated(store_choices)
    if not replicated:
        return 0, "no durable data crosses Regions (the stores hold work in flight, recreated empty)"
    name, choice = max(replicated.items(), key=lambda item: (data.replication[item[1]].lag_seconds, item[0]))
    lag = data.replication[choice].lag_seconds
    return lag, f"the slowest replication, {name} on {data.replication[choice].how}, lags about {format_duration(lag)}"


def _to_meet(
    spec: Spec,
    compute: str,
    chosen: StrategyId,
    store_choices: dict[str, str],
    *,
    meets_rto: bool,
    meets_rpo: bool,
    rpo: int,
) -> str | None:
    if meets_rto and meets_rpo:
        return None
    advice = []
    if not meets_rto:
        promote = promotion_seconds(list(store_choices.values()))
        options = [(sid, estimate(sid, spec, compute, promote)) for sid in recovery_data().strategies]
        faster = [(sid, e) for sid, e in options if e.rto_seconds <= spec.availability.rto and sid != chosen]
        if faster:
            sid, e = faster[0]
            advice.append(f"{sid} would meet the RTO (≈ {format_duration(e.rto_seconds)})")
        else:
            best = min(e.rto_seconds for _, e in options)
            advice.append(
                f"no strategy's estimate meets an RTO of {format_duration(spec.availability.rto)}; the fastest is "
                f"≈ {format_duration(best)}, so relax the RTO to at least that or cut detection time"
            )
    if not meets_rpo:
        advice.append(
            f"the data replicates with about {format_duration(rpo)} of lag; an RPO of "
            f"{format_duration(spec.availability.rpo)} needs synchronous replication (e.g. DynamoDB multi-Region "
            "strong consistency) or an RPO relaxed to at least the lag"
        )
    return "; ".join(advice)


def _steps(
    chosen: StrategyId,
    figures: Estimate,
    store_choices: dict[str, str],
    components: list[Component],
    *,
    has_recovery_region: bool,
) -> tuple[str, ...]:
    data = recovery_data()
    runbook = data.runbook
    detect = figures.rto_parts[0]
    steps = [f"{detect[0][0].upper()}{detect[0][1:]} (≈ {format_duration(detect[1])}): {runbook.before_data}"]
    if not has_recovery_region:
        return (*steps, "restore the stores from the newest in-Region recovery points once the Region recovers")
    copies = [c for c in components if "replica_of" in c.properties]
    for copy in copies:
        store = copy.properties.get("store")
        if not isinstance(store, str):
            continue
        if chosen == "backup-restore":
            steps.append(f"{copy.id}: restore from the newest recovery point copied to {copy.region}")
        else:
            steps.append(f"{copy.id}: {data.replication[store_choices[store]].promote_step}")
    steps.append(f"Compute: {runbook.compute[chosen]}")
    for copy in copies:
        props = copy.properties
        if "max_count" in props and "store" not in props and chosen in ("pilot-light", "warm-standby"):
            steps.append(
                f"{copy.id}: raise desired and minimum from {props['desired_count']} to the primary's "
                f"(up to {props['max_count']})"
            )
    steps.append(f"Routing: {runbook.routing[chosen]}")
    steps.append(f"Verify: {runbook.verify}")
    return tuple(steps)


def _monitor(chosen: StrategyId, store_choices: dict[str, str]) -> tuple[str, ...]:
    data = recovery_data()
    lines = list(data.runbook.monitor)
    if chosen != "backup-restore":
        lines += [
            f"{name}: {data.replication[choice].monitor}" for name, choice in sorted(_replicated(store_choices).items())
        ]
    return tuple(lines)
