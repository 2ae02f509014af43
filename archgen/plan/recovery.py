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


def decide_dr_strategy(spec: Spec, compute: str, has_recovery_region: bool, notes: Notes) -> tuple[Decision, Estimate]:
    """Choose the cheapest strategy that meets RTO and RPO."""
    strategies = recovery_data().strategies
    promote = fastest_promotion_seconds(spec)
    estimates = [estimate(sid, spec, compute, promote) for sid in strategies]
    target = f"RTO {format_duration(spec.availability.rto)}, RPO {format_duration(spec.availability.rpo)}"
    if not has_recovery_region:
        chosen = estimates[0]
        rationale = (
            "no second Region is permitted, so only in-Region backups are possible; the objectives "
            f"({target}) cannot be guaranteed against a Region-wide outage"
        )
    else:
        meeting = [e for e in estimates if e.meets(spec)]
        chosen = meeting[0] if meeting else estimates[-1]
        strategy = strategies[chosen.strategy]
        if meeting:
            rationale = (
                f"the cheapest strategy that meets {target}: {strategy.summary}. {chosen.arithmetic()}. "
                f"AWS guidance: {strategy.source}"
            )
        else:
            rationale = (
                f"no strategy's estimate meets {target}; {strategy.title.lower()} comes closest. {chosen.arithmetic()}"
            )
            notes.risk(
                f"The recovery objectives ({target}) are stricter than any strategy's estimate; the best is "
                f"{chosen.strategy} ({chosen.arithmetic()}). Relax the objectives or plan for faster detection."
            )
    alternatives = []
    for other in estimates:
        if other.strategy == chosen.strategy:
            continue
        if other.meets(spec) and has_recovery_region:
            why = (
                f"also meets the objectives but runs more ({strategies[other.strategy].runs_in_recovery_region}) "
                "and costs more; REL13-BP02 advises against a stricter strategy than needed"
            )
        elif not has_recovery_region:
            why = "needs a second Region, and none is permitted"
        else:
            why = f"misses {target}: {other.arithmetic()}"
        alternatives.append(Alternative(choice=other.strategy, why_not=why))
    return Decision(
        choice=chosen.strategy, rationale=rationale, drivers=DRIVERS, alternatives=tuple(alternatives)
    ), chosen


def check_slo_against_rto(spec: Spec, notes: Notes) -> None:
    """Warn when one Region-wide incident at the RTO would spend more than the SLO's monthly error budget."""
    budget_seconds = (100 - spec.availability.slo) / 100 * 30 * 86400
    if spec.availability.rto > budget_seconds:
        notes.risk(
            f"The SLO of {spec.availability.slo:g}% allows about {format_duration(round(budget_seconds))} of downtime "
            f"a month, less than the RTO of {format_duration(spec.availability.rto)}: one Region-wide incident "
            "recovered at the RTO breaks the SLO for that month. Either accept that or tighten the RTO."
        )
