"""The planner's decision rules, each driven by a spec built in the test."""

from __future__ import annotations

from typing import Any

import pytest
import yaml

from archgen import design_from_spec, parse_spec
from archgen.design import Decision, Design
from archgen.errors import UserError
from archgen.regions import region_catalogue

BASE: dict[str, Any] = {
    "name": "svc",
    "workload": "web-api",
    "traffic": {"peak_rps": 100},
    "availability": {"slo": 99.9, "rto": "4h", "rpo": "1h"},
    "regions": {"primary": "us-east-1"},
}


def merge(base: dict[str, Any], changes: dict[str, Any]) -> dict[str, Any]:
    out = dict(base)
    for key, value in changes.items():
        out[key] = merge(out[key], value) if isinstance(value, dict) and isinstance(out.get(key), dict) else value
    return out


def plan(**changes: Any) -> Design:
    spec = parse_spec(yaml.safe_dump(merge(BASE, changes)))
    _, design = design_from_spec(spec)
    return design


def decision(key: str, **changes: Any) -> Decision:
    return plan(**changes).decisions[key]


def why_not(dec: Decision, choice: str) -> str:
    (text,) = [a.why_not for a in dec.alternatives if a.choice == choice]
    return text


def objectives(rto: str, rpo: str) -> dict[str, Any]:
    return {"availability": {"rto": rto, "rpo": rpo}}


KV = [{"name": "kv", "kind": "key-value", "size_gb": 100}]
RELATIONAL = [{"name": "db", "kind": "relational", "size_gb": 100}]
STEADY = {"average_rps": 100}  # above the serverless blueprint's 50 rps: the container pattern wins


# --- every decision is a full record -------------------------------------------------------------------------

SCENARIOS: dict[str, dict[str, Any]] = {
    "serverless": {"traffic": {"average_rps": 5}, "data": KV},
    "containers": {"traffic": STEADY, "data": [*RELATIONAL, {"name": "c", "kind": "cache"}]},
    "kubernetes": {
        "team": {"kubernetes": True},
        "services": [{"name": "a", "public": True}, {"name": "b"}, {"name": "c"}],
    },
    "static": {"workload": "static-site"},
    "events": {"workload": "event-driven", "data": [{"name": "q", "kind": "queue"}]},
    "single-region": {"regions": {"allowed": ["us-east-1"]}},
}


@pytest.mark.parametrize("scenario", sorted(SCENARIOS))
def test_every_decision_is_a_complete_record(scenario: str) -> None:
    design = plan(**SCENARIOS[scenario])
    assert {"compute", "dr_strategy", "edge", "regions", "multi_az"} <= set(design.decisions)
    for key, dec in design.decisions.items():
        assert dec.choice, key
        assert len(dec.rationale) > 20, key
        assert dec.drivers, key
        assert all(dec.drivers), key
        for alternative in dec.alternatives:
            assert alternative.choice != dec.choice, key
            assert alternative.why_not.strip(), (key, alternative.choice)
        if not key.startswith("data."):
            assert dec.alternatives, key


# --- compute ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("average", "choice"), [(1, "lambda"), (50, "lambda"), (51, "ecs-fargate"), (400, "ecs-fargate")]
)
def test_compute_for_an_api_follows_the_average_rps(average: float, choice: str) -> None:
    assert decision("compute", traffic={"peak_rps": 1000, "average_rps": average}).choice == choice


@pytest.mark.parametrize(("average", "choice"), [(200, "lambda"), (201, "ecs-fargate")])
def test_event_pipeline_lambda_threshold(average: float, choice: str) -> None:
    dec = decision("compute", workload="event-driven", traffic={"peak_rps": 1000, "average_rps": average})
    assert dec.choice == choice
    if choice == "ecs-fargate":
        assert why_not(dec, "lambda") == (
            "average 201 rps is above 200 rps, where always-on containers become cheaper than per-request pricing"
        )
    else:
        assert (
            "average 200 rps (at most 200) is spiky or low enough that paying per request beats always-on "
            "capacity, and Lambda scales to zero with no servers to patch" in dec.rationale
        )
        assert "event-pipeline" in dec.rationale


def test_lambda_rationale_and_drivers() -> None:
    dec = decision("compute", traffic={"average_rps": 5})
    assert dec.choice == "lambda"
    assert "average 5 rps (at most 50)" in dec.rationale
    assert "traffic.average_rps" in dec.drivers
    assert why_not(dec, "eks").startswith("kubernetes-platform does not fit: team.kubernetes is false")
    assert why_not(dec, "ecs-fargate").startswith("container-service fits but ranked lower (3 vs 4)")


def test_ec2_for_a_steady_large_fleet() -> None:
    # 4,000 rps at peak / 100 rps per vCPU = 40 vCPUs >= 32, and the average is 75 % of peak
    dec = decision("compute", traffic={"peak_rps": 4000, "average_rps": 3000})
    assert dec.choice == "ec2-autoscaling"
    assert "steady load of about 40 vCPUs at peak" in dec.rationale
    assert (
        why_not(dec, "ecs-fargate") == "a steady fleet of about 40 vCPUs at peak runs cheaper on EC2 instances "
        "than on Fargate"
    )


@pytest.mark.parametrize(
    "traffic",
    [
        {"peak_rps": 3100, "average_rps": 3000},  # steady but 31 vCPUs
        {"peak_rps": 4000, "average_rps": 2000},
    ],  # large but spiky (50 % of peak)
)
def test_fargate_below_the_ec2_thresholds(traffic: dict[str, float]) -> None:
    dec = decision("compute", traffic=traffic)
    assert dec.choice == "ecs-fargate"
    assert "too small or too spiky" in why_not(dec, "ec2-autoscaling")


def test_eks_when_the_team_runs_kubernetes_and_several_services() -> None:
    dec = decision("compute", **SCENARIOS["kubernetes"])
    assert dec.choice == "eks"
    assert "the team already runs Kubernetes and 3 services share one cluster" in dec.rationale
    assert dec.drivers[0] == "team.kubernetes"


@pytest.mark.parametrize(
    "changes",
    [
        {"team": {"kubernetes": True}, "traffic": STEADY},  # one service only
        {"team": {"kubernetes": True}, "traffic": {"average_rps": 5}},
        {"team": {"kubernetes": False}, "services": SCENARIOS["kubernetes"]["services"], "traffic": STEADY},
    ],
)
def test_no_eks_without_both_kubernetes_and_several_services(changes: dict[str, Any]) -> None:
    assert decision("compute", **changes).choice != "eks"


def test_no_compute_for_a_static_site() -> None:
    dec = decision("compute", workload="static-site")
    assert dec.choice == "none"
    assert "no code runs per request" in dec.rationale


def test_lambda_is_not_chosen_for_a_service_lambda_cannot_run() -> None:
    dec = decision("compute", traffic={"average_rps": 5}, services=[{"name": "api", "public": True, "cpu": 8}])
    assert dec.choice != "lambda"


# --- DR strategy ------------------------------------------------------------------------------------------------


def test_backup_restore_for_hours() -> None:
    dec = decision("dr_strategy", data=KV, traffic={"average_rps": 5}, **objectives("8h", "1h"))
    assert dec.choice == "backup-restore"
    assert dec.rationale.startswith("the cheapest strategy that meets RTO 8h, RPO 1h")
    # 100 GB: 1,200 s + 100 × 36 s to restore
    assert (
        "RTO ≈ declare the disaster 1,800 s + provision the recovery Region 3,600 s + restore 100 GB 4,800 s = "
        "2h50m; RPO ≈ 1h"
    ) in dec.rationale
    for other in ("pilot-light", "warm-standby", "active-active"):
        assert "advises against a stricter strategy than needed" in why_not(dec, other)


def test_pilot_light_for_an_hour() -> None:
    dec = decision("dr_strategy", data=RELATIONAL, traffic=STEADY, **objectives("1h", "15m"))
    assert dec.choice == "pilot-light"
    assert "start ecs-fargate from zero 270 s" in dec.rationale
    assert why_not(dec, "backup-restore").startswith("misses RTO 1h, RPO 15m: RTO ≈ declare the disaster")
    assert "stricter strategy than needed" in why_not(dec, "warm-standby")


def test_warm_standby_for_minutes() -> None:
    dec = decision("dr_strategy", data=RELATIONAL, traffic=STEADY, **objectives("5m", "30s"))
    assert dec.choice == "warm-standby"
    assert "RTO ≈ detection 150 s + data promotion 60 s = 3m30s; RPO ≈ 1s" in dec.rationale
    assert why_not(dec, "pilot-light") == (
        "misses RTO 5m, RPO 30s: RTO ≈ detection 150 s + data promotion 60 s + start ecs-fargate from zero 270 s = "
        "8m; RPO ≈ 1s"
    )
    assert "stricter strategy than needed" in why_not(dec, "active-active")


def test_active_active_for_zero_rpo() -> None:
    dec = decision("dr_strategy", data=RELATIONAL, traffic=STEADY, **objectives("1h", "0"))
    assert dec.choice == "active-active"
    assert "RTO ≈ detection with fast health checks and TTL 90 s = 1m30s; RPO ≈ 0s" in dec.rationale
    assert why_not(dec, "warm-standby").startswith("misses RTO 1h, RPO 0s")


def test_active_active_when_the_rto_is_below_warm_standby() -> None:
    # warm standby needs 150 s detection + 60 s promotion = 3m30s; active/active 90 s
    dec = decision("dr_strategy", data=RELATIONAL, traffic=STEADY, **objectives("2m", "30s"))
    assert dec.choice == "active-active"
    assert dec.rationale.startswith("the cheapest strategy that meets RTO 2m, RPO 30s")


def test_objectives_no_strategy_meets_are_a_risk() -> None:
    design = plan(data=RELATIONAL, traffic=STEADY, **objectives("1m", "30s"))
    dec = design.decisions["dr_strategy"]
    assert dec.choice == "active-active"
    assert dec.rationale.startswith(
        "no strategy's estimate meets RTO 1m, RPO 30s; multi-site active/active comes closest"
    )
    assert any("stricter than any strategy's estimate" in risk for risk in design.risks)


def test_pilot_light_with_lambda_meets_five_minutes() -> None:
    # Lambda starts from zero in 0 s, so pilot light (150 s) meets an RTO that rules it out for containers
    dec = decision("dr_strategy", data=KV, traffic={"average_rps": 5}, **objectives("5m", "30s"))
    assert decision("compute", data=KV, traffic={"average_rps": 5}).choice == "lambda"
    assert dec.choice == "pilot-light"
    assert "RTO ≈ detection 150 s + start lambda from zero 0 s = 2m30s" in dec.rationale
    containers = decision("dr_strategy", data=KV, traffic=STEADY, **objectives("5m", "30s"))
    assert containers.choice == "warm-standby"


@pytest.mark.parametrize(
    ("rto", "rpo", "expected"),
    [
        ("1d", "1d", "backup-restore"),
        ("8h", "30m", "pilot-light"),
        ("30m", "1m", "pilot-light"),
        ("4m", "10s", "warm-standby"),
        ("10m", "0", "active-active"),
    ],
)
def test_never_stricter_than_needed(rto: str, rpo: str, expected: str) -> None:
    order = ["backup-restore", "pilot-light", "warm-standby", "active-active"]
    dec = decision("dr_strategy", data=RELATIONAL, traffic=STEADY, **objectives(rto, rpo))
    assert dec.choice == expected
    for cheaper in order[: order.index(expected)]:
        assert why_not(dec, cheaper).startswith("misses")
    for stricter in order[order.index(expected) + 1 :]:
        assert "stricter strategy than needed" in why_not(dec, stricter)


def test_one_region_means_backup_restore_and_a_risk() -> None:
    design = plan(regions={"allowed": ["us-east-1"]}, **objectives("5m", "30s"))
    dec = design.decisions["dr_strategy"]
    assert dec.choice == "backup-restore"
    assert "no second Region is permitted" in dec.rationale
    assert all(a.why_not == "needs a second Region, and none is permitted" for a in dec.alternatives)


def test_dr_arithmetic_uses_the_chosen_store() -> None:
    design = plan(data=RELATIONAL, traffic=STEADY, **objectives("1h", "15m"))
    assert design.decisions["data.db"].choice == "rds-postgresql"
    assert "data promotion 600 s" in design.decisions["dr_strategy"].rationale


# --- data stores ------------------------------------------------------------------------------------------------


def store(data: list[dict[str, Any]], **changes: Any) -> Decision:
    design = plan(data=data, **changes)
    return design.decisions[f"data.{data[0]['name']}"]


def test_rds_by_default() -> None:
    dec = store(RELATIONAL, traffic=STEADY)
    assert dec.choice == "rds-postgresql"
    assert "Holds 100 GB; SLA 99.95% against the 99.9% SLO" in dec.rationale
    assert why_not(dec, "aurora-postgresql") == "meets the requirements too but costs more than rds-postgresql"
    assert why_not(dec, "rds-mysql") == "postgresql is the default for relational data; set engine: mysql to use it"


def test_aurora_for_a_99_99_slo() -> None:
    dec = store(RELATIONAL, traffic=STEADY, availability={"slo": 99.99})
    assert dec.choice == "aurora-postgresql"
    assert why_not(dec, "rds-postgresql") == "its best SLA (99.95%) is below the SLO (99.99%)"


def test_aurora_when_the_rpo_is_under_the_rds_replica_lag() -> None:
    dec = store(RELATIONAL, traffic=STEADY, **objectives("1h", "1m"))
    assert dec.choice == "aurora-postgresql"
    assert "cross-Region lag of about 5m exceeds the RPO (1m)" in why_not(dec, "rds-postgresql")


def test_mysql_engine() -> None:
    dec = store([{"name": "db", "kind": "relational", "engine": "mysql"}], traffic=STEADY)
    assert dec.choice == "rds-mysql"
    assert "data[0].engine" in dec.drivers
    assert why_not(dec, "rds-postgresql") == "the spec asks for mysql; set engine: postgresql to use it"


@pytest.mark.parametrize(
    ("data", "choice"),
    [
        ({"kind": "key-value"}, "dynamodb"),
        ({"kind": "document"}, "dynamodb"),
        ({"kind": "document", "engine": "mongodb"}, "documentdb"),
        ({"kind": "cache"}, "elasticache-valkey"),
        ({"kind": "cache", "engine": "redis"}, "elasticache-redis"),
        ({"kind": "object"}, "s3"),
        ({"kind": "queue"}, "sqs"),
        ({"kind": "queue", "engine": "sns"}, "sns"),
        ({"kind": "stream"}, "kinesis"),
        ({"kind": "stream", "engine": "kafka"}, "msk"),
        ({"kind": "search"}, "opensearch"),
    ],
)
def test_store_choice_by_kind_and_engine(data: dict[str, Any], choice: str) -> None:
    assert store([{"name": "s", **data}], traffic=STEADY).choice == choice


def test_valkey_default_explains_redis() -> None:
    dec = store([{"name": "c", "kind": "cache"}], traffic=STEADY)
    assert why_not(dec, "elasticache-redis") == "valkey is the default for cache data; set engine: redis to use it"


def test_assumed_size_is_noted() -> None:
    design = plan(data=[{"name": "c", "kind": "cache"}], traffic=STEADY)
    assert "Holds 1 GB" in design.decisions["data.c"].rationale
    assert "data.c: size not given; assumed 1 GB for cache data." in design.assumptions


# --- edge -------------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("cdn", ["cloudfront", "cloudflare", "none"])
def test_explicit_cdn_is_honoured(cdn: str) -> None:
    dec = decision("edge", edge={"cdn": cdn}, traffic=STEADY)
    assert dec.choice == cdn
    assert dec.rationale.startswith(f"edge.cdn asks for {cdn}")
    assert {a.choice for a in dec.alternatives} == {"cloudfront", "cloudflare", "none"} - {cdn}


@pytest.mark.parametrize(
    ("changes", "choice", "reason"),
    [
        ({"workload": "static-site"}, "cloudfront", "a static site is served from a private bucket"),
        ({"workload": "web-app", "traffic": STEADY}, "cloudfront", "a web app serves static assets"),
        ({"traffic": {**STEADY, "global_users": True}}, "cloudfront", "users are global"),
        (
            {"traffic": STEADY},
            "none",
            "a regional API whose responses are dynamic gains little from a CDN; the load balancer terminates TLS",
        ),
        (
            {"traffic": {"average_rps": 5}},
            "none",
            "a regional API whose responses are dynamic gains little from a "
            "CDN; the API Gateway endpoint terminates TLS",
        ),
        (
            {"traffic": STEADY, "edge": {"waf": True}},
            "none",
            "a regional API whose responses are dynamic gains little "
            "from a CDN; the load balancer terminates TLS, with AWS WAF attached to it",
        ),
        (
            {"traffic": {"average_rps": 5}, "edge": {"waf": True}},
            "cloudfront",
            "edge.waf is set and API Gateway HTTP APIs cannot take a WAF web ACL",
        ),
        ({"workload": "batch"}, "none", "no public service"),
        ({"workload": "event-driven"}, "none", "no public service"),
    ],
)
def test_auto_edge(changes: dict[str, Any], choice: str, reason: str) -> None:
    dec = decision("edge", **changes)
    assert dec.choice == choice
    assert dec.rationale.startswith(reason)


def test_waf_with_lambda_puts_waf_in_front_of_cloudfront() -> None:
    design = plan(traffic={"average_rps": 5}, edge={"waf": True})
    kinds = {c.id: c.kind for c in design.components}
    assert kinds["edge"] == "cloudfront"
    assert kinds["waf"] == "waf"
    assert any(c.source == "waf" and c.target == "edge" for c in design.connections)


# --- regions ----------------------------------------------------------------------------------------------------


def regions(primary: str, **changes: Any) -> tuple[str, ...]:
    return plan(regions={"primary": primary, **changes}).regions


@pytest.mark.parametrize(
    ("primary", "recovery"),
    [
        ("us-east-1", "us-east-2"),
        ("us-west-2", "us-west-1"),
        ("eu-central-1", "eu-west-3"),
        ("ap-northeast-1", "ap-northeast-3"),
    ],
)
def test_nearest_region_in_the_same_geography(primary: str, recovery: str) -> None:
    assert regions(primary) == (primary, recovery)


def test_eu_primary_stays_in_the_eu() -> None:
    # London (eu-west-2) is nearer to Dublin, but it is in the uk geography
    catalogue = region_catalogue()
    dec = decision("regions", regions={"primary": "eu-west-1"})
    primary, recovery = dec.choice.split(" + ")
    assert primary == "eu-west-1"
    assert recovery == "eu-west-3"
    assert catalogue.by_code()[recovery].geography == "eu"
    assert why_not(dec, "eu-west-2") == "outside the primary's geography (uk, not eu)"
    assert (
        "recovery Region eu-west-3 (Europe (Paris)) is the nearest permitted Region, about 779 km away" in dec.rationale
    )


def test_allowed_regions_are_respected() -> None:
    dec = decision("regions", regions={"primary": "eu-central-1", "allowed": ["eu-central-1", "eu-west-1"]})
    assert dec.choice == "eu-central-1 + eu-west-1"
    assert "regions.allowed: eu-central-1, eu-west-1" in dec.rationale
    assert why_not(dec, "eu-west-3") == "not in regions.allowed"


def test_allowed_outside_the_geography_is_fine_when_listed() -> None:
    assert regions("us-east-1", allowed=["us-east-1", "eu-west-1"]) == ("us-east-1", "eu-west-1")


def test_only_the_primary_allowed_gives_one_region_and_a_risk() -> None:
    design = plan(regions={"allowed": ["us-east-1"]})
    assert design.regions == ("us-east-1",)
    dec = design.decisions["regions"]
    assert dec.choice == "us-east-1"
    assert dec.rationale.startswith("only us-east-1 is permitted (regions.allowed: us-east-1)")
    assert any(risk.startswith("No second Region is permitted") for risk in design.risks)
    assert all(c.region == "us-east-1" for c in design.components)


def test_opt_in_regions_are_skipped_unless_listed() -> None:
    # Canada's other Region (ca-west-1) is opt-in: the nearest non-opt-in Region outside Canada is used, with a risk
    design = plan(regions={"primary": "ca-central-1"})
    assert design.regions == ("ca-central-1", "us-east-1")
    assert why_not(design.decisions["regions"], "ca-west-1").startswith("an opt-in Region")
    assert any("no other Region in its geography" in risk for risk in design.risks)
    assert regions("ca-central-1", allowed=["ca-central-1", "ca-west-1"]) == ("ca-central-1", "ca-west-1")


def test_gdpr_keeps_a_lonely_geography_in_one_region() -> None:
    # eu-west-2 (London) is alone in its geography; with GDPR the design does not leave it
    design = plan(regions={"primary": "eu-west-2"}, compliance=["gdpr"])
    assert design.regions == ("eu-west-2",)
    assert plan(regions={"primary": "eu-west-2"}).regions[0] == "eu-west-2"
    assert len(plan(regions={"primary": "eu-west-2"}).regions) == 2


def test_recovery_region_gets_copies_for_pilot_light() -> None:
    design = plan(data=RELATIONAL, traffic=STEADY, **objectives("1h", "15m"))
    recovery = design.regions[1]
    copies = [c for c in design.components if c.region == recovery]
    assert {c.id for c in copies} >= {"backups-recovery", "data-db-recovery", "svc-recovery"}
    assert design.component("svc-recovery").properties["capacity_percent"] == 0


# --- multi-AZ ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("slo", "multi_az"), [(99.0, False), (99.4, False), (99.5, True), (99.9, True), (99.95, True)])
def test_multi_az_follows_the_slo_for_containers(slo: float, multi_az: bool) -> None:
    # single-AZ request path: ALB 99.99 % (always two AZs) × one-AZ Fargate 99.5 % = 99.49 %
    design = plan(traffic=STEADY, availability={"slo": slo, "rto": "1d", "rpo": "1d"})
    assert design.decisions["compute"].choice == "ecs-fargate"
    assert design.multi_az is multi_az
    dec = design.decisions["multi_az"]
    assert dec.choice == str(multi_az).lower()
    assert "ECS service on Fargate" in dec.rationale
    assert dec.drivers == ("availability.slo",)


def test_multi_az_is_free_for_regional_services() -> None:
    design = plan(traffic={"average_rps": 5}, data=KV, availability={"slo": 99.0})
    dec = design.decisions["multi_az"]
    assert dec.choice == "true"
    assert "regional managed service" in dec.rationale


# --- notes ------------------------------------------------------------------------------------------------------


def test_defaults_are_recorded_as_assumptions_and_questions() -> None:
    design = plan()
    assert "traffic.average_rps not given; assumed a quarter of peak (25 rps)." in design.assumptions
    assert "services not given; one service named 'svc' on port 8080." in design.assumptions
    assert any("No budget was given" in q for q in design.open_questions)


def test_rto_longer_than_the_error_budget_is_a_risk() -> None:
    design = plan(availability={"slo": 99.9, "rto": "4h"})
    assert any("allows about 43m12s of downtime a month, less than the RTO of 4h" in r for r in design.risks)
    assert not any("downtime a month" in r for r in plan(availability={"slo": 99.0, "rto": "4h"}).risks)


# --- component ids ----------------------------------------------------------------------------------------------


def test_a_service_named_like_a_generated_component_is_a_user_error() -> None:
    with pytest.raises(UserError, match="two components are called 'edge'"):
        plan(traffic=STEADY, edge={"cdn": "cloudfront"}, services=[{"name": "edge", "public": True}])


@pytest.mark.parametrize(
    "services",
    [[{"name": "backups", "public": True}], [{"name": "api", "public": True}, {"name": "api-recovery"}]],
)
def test_component_ids_are_unique_or_the_clash_is_reported(services: list[dict[str, Any]]) -> None:
    try:
        design = plan(traffic=STEADY, data=RELATIONAL, services=services, **objectives("1h", "15m"))
    except UserError:
        return
    ids = [c.id for c in design.components]
    assert len(ids) == len(set(ids))
