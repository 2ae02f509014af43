"""DR strategies and the figures used to estimate what each achieves (``data/recovery.yaml``)."""

from __future__ import annotations

from functools import cache
from typing import Literal

from pydantic import BaseModel, ConfigDict

from archgen.resources import load_data

StrategyId = Literal["backup-restore", "pilot-light", "warm-standby", "active-active"]


class Detection(BaseModel):
    """Route 53 health-check detection settings."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    health_check_interval_seconds: int
    failure_threshold: int
    dns_ttl_seconds: int


class Strategy(BaseModel):
    """One DR strategy and its estimating figures."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str
    summary: str
    runs_in_recovery_region: str
    rpo_seconds: int
    source: str
    declare_seconds: int = 0
    provision_seconds: int = 0
    restore_base_seconds: int = 0
    restore_seconds_per_gb: float = 0
    promotion: bool = False
    scale_from_zero: bool = False
    standby_capacity_percent: int | None = None
    fast_health_check_interval_seconds: int | None = None


class Replication(BaseModel):
    """Cross-Region behaviour of one data choice."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    lag_seconds: int
    promote_seconds: int
    how: str
    replicates: bool = True
    promote_step: str
    monitor: str


class Runbook(BaseModel):
    """The DR runbook's fixed parts; per-store steps come from ``Replication.promote_step``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    trigger: str
    before_data: str
    compute: dict[StrategyId, str]
    routing: dict[StrategyId, str]
    verify: str
    failback: tuple[str, ...]
    game_day: tuple[str, ...]
    monitor: tuple[str, ...]


class RecoveryData(BaseModel):
    """The whole file."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    as_of: str
    detection: Detection
    strategies: dict[StrategyId, Strategy]
    scale_from_zero_seconds: dict[str, int]
    replication: dict[str, Replication]
    runbook: Runbook


@cache
def recovery_data() -> RecoveryData:
    """The shipped figures, loaded once."""
    return load_data("recovery.yaml", RecoveryData)
