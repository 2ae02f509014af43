"""The DR strategy decision, following the four strategies of the AWS DR whitepaper and REL13-BP02.

Each strategy's recovery time and recovery point are estimated from their parts (detection, promotion, scale-out,
restore); the cheapest strategy whose estimates meet both objectives wins. A stricter strategy is never chosen
when a cheaper one meets the objectives: it only costs more.
"""

from __future__ import annotations

from dataclasses import dataclass

from archgen.data_kinds import data_kinds, store_size_gb
from archgen.design import Alternative, Decision
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
