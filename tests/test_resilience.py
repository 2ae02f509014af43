"""Recovery and availability estimates, recomputed by hand from their published figures.

Figures used here (also in archgen/data/recovery.yaml and component_kinds.yaml):
  Route 53 health checks: 30 s interval × 3 failures to mark unhealthy, plus the record TTL (60 s)
      Route 53 Developer Guide, "How Amazon Route 53 determines whether a health check is healthy"
  RDS cross-Region read replica: promotion takes minutes with a reboot (600 s used), lag ~5 min (300 s)
      RDS User Guide, "Working with read replicas"; AWS DR whitepaper (2021, 2026 edition)
  Aurora Global Database: lag typically under 1 s, promotion under a minute (60 s)   AWS DR whitepaper
  ECS on Fargate from zero: ~4.5 min (270 s)       "Scaling containers on AWS in 2022" (vladionescu.me)
  SLAs: ELB 99.99 %, Fargate/EC2 Multi-AZ 99.99 % (single AZ 99.5 %), RDS Multi-AZ 99.95 %, ElastiCache Multi-AZ
      99.99 %, DynamoDB 99.99 %, S3 99.9 %, CloudFront 99.9 %    aws.amazon.com/<service>/sla (2022–2024 versions)
  Composition: serial parts multiply; redundant Regions 1 − Π(1 − a)      AWS DR whitepaper, "availability"
"""

from __future__ import annotations

from pathlib import Path

import pytest

from archgen.api import design_from_spec
from archgen.design import Design
from archgen.render.docs import render_docs
from archgen.spec_loader import load_spec

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


def plan(name: str) -> Design:
    return design_from_spec(load_spec(EXAMPLES / f"{name}.yaml"))[1]


def plan_text(tmp_path: Path, text: str) -> Design:
    path = tmp_path / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    return design_from_spec(load_spec(path))[1]


def test_pilot_light_on_rds_by_hand() -> None:
    recovery = plan("orders-api").recovery
    assert recovery is not None
    assert recovery.strategy == "pilot-light"
    detection = 30 * 3 + 60
    assert [part.seconds for part in recovery.rto_parts] == [detection, 600, 270]
    assert recovery.rto_estimate_seconds == detection + 600 + 270  # 17 minutes against a 1 h target
    assert recovery.rpo_estimate_seconds == 300  # the RDS replica's lag, against 15 min
    assert recovery.meets_rto
    assert recovery.meets_rpo
    assert recovery.to_meet is None
    assert recovery.rto_target_seconds == 3600
    assert recovery.rpo_target_seconds == 900


def test_warm_standby_on_aurora_by_hand() -> None:
    recovery = plan("payments-platform").recovery
    assert recovery is not None
    assert recovery.strategy == "warm-standby"
    # detection + Aurora Global Database promotion; the standby already runs, so nothing starts from zero
    assert recovery.rto_estimate_seconds == 30 * 3 + 60 + 60
    assert recovery.rpo_estimate_seconds == 1


def test_backup_and_restore_by_hand() -> None:
    recovery = plan("notes-api").recovery
    assert recovery is not None
    assert recovery.strategy == "backup-restore"
    # declare 30 min + provision 1 h + restore (20 min + 36 s per GB of the 65 GB of durable data)
    assert recovery.rto_estimate_seconds == 1800 + 3600 + 1200 + 65 * 36
    assert recovery.rpo_estimate_seconds == 3600  # hourly recovery points, copied cross-Region
    assert any("restore" in step for step in recovery.steps)
    assert recovery.failback == ()


def test_a_missed_objective_is_said_loudly_with_what_would_meet_it() -> None:
    design = plan("global-catalog")
    recovery = design.recovery
    assert recovery is not None
    assert recovery.strategy == "active-active"
    assert recovery.rto_estimate_seconds == 10 * 3 + 60  # fast health checks + TTL, against 1 min
    assert not recovery.meets_rto
    assert recovery.rpo_estimate_seconds == 900  # S3 Replication Time Control, against 1 s
    assert not recovery.meets_rpo
    assert recovery.to_meet is not None
    assert "relax the RTO" in recovery.to_meet
    text = render_docs(design)["DESIGN.md"]
    assert isinstance(text, str)
    assert "**The estimate misses the target.**" in text
    assert any("misses its target" in risk for risk in design.risks)


def test_runbook_names_each_replicated_store_and_its_lag_metric() -> None:
    recovery = plan("payments-platform").recovery
    assert recovery is not None
    assert any(step.startswith("data-ledger-recovery: promote") for step in recovery.steps)
    assert any("AuroraGlobalDBReplicationLag" in line for line in recovery.monitor)
    assert any("ReplicationLatency" in line for line in recovery.monitor)  # the DynamoDB global table
    assert recovery.game_day
    assert recovery.failback


def test_serial_availability_by_hand() -> None:
    availability = plan("orders-api").availability
    assert availability is not None
    # ALB × Fargate Multi-AZ × RDS Multi-AZ × ElastiCache Multi-AZ
    by_hand = 0.9999 * 0.9999 * 0.9995 * 0.9999 * 100
    assert availability.estimated == pytest.approx(by_hand, abs=1e-4)
    assert availability.limiting_component == "data-orders"
    assert availability.regions_serving == 1


def test_active_active_availability_by_hand() -> None:
    availability = plan("global-catalog").availability
    assert availability is not None
    regional = 0.9999 * 0.9999 * 0.9999 * 0.999  # ALB, Fargate, DynamoDB, S3
    by_hand = 0.999 * (1 - (1 - regional) ** 2) * 100  # CloudFront in series with two serving Regions
    assert availability.estimated == pytest.approx(by_hand, abs=1e-4)
    assert availability.regions_serving == 2
    assert availability.to_meet is not None
    assert "cap it at 99.9%" in availability.to_meet


def test_single_az_path_below_the_slo_goes_multi_az(tmp_path: Path) -> None:
    spec = (
        "name: batch\nworkload: batch\ntraffic: {peak_rps: 5, average_rps: 1}\n"
        "availability: {slo: 99.0, rto: 1d, rpo: 1d}\nregions: {primary: ca-central-1}\n"
        "data:\n  - {name: staging, kind: relational, engine: mysql}\n  - {name: out, kind: object}\n"
    )
    design = plan_text(tmp_path, spec)
    # one AZ: Fargate 99.5 % × RDS single-AZ 99.5 % × S3 99.9 % = 98.90 % < 99.0 %
    assert design.multi_az
    assert "98.9" in design.decisions["multi_az"].rationale
    relaxed = plan_text(tmp_path, spec.replace("slo: 99.0", "slo: 98.5"))
    assert not relaxed.multi_az
