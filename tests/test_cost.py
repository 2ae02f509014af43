"""The cost model: designs recomputed by hand from published prices, the arithmetic of every line, budgets.

Prices used by hand below (us-east-1, on-demand, USD; 730 hours a month):
  Fargate x86 $0.04048 per vCPU-hour, $0.004445 per GB-hour       aws.amazon.com/fargate/pricing (read 2026-09-29)
  ALB $0.0225 per hour, $0.008 per LCU-hour                         aws.amazon.com/elasticloadbalancing/pricing
  NAT gateway $0.045 per hour and per GB processed                  aws.amazon.com/vpc/pricing
  Public IPv4 $0.005 per hour                                       aws.amazon.com/vpc/pricing (since 2024-02-01)
  Data transfer out $0.09 per GB                                    aws.amazon.com/ec2/pricing/on-demand
  RDS PostgreSQL db.t4g.medium $0.065 per hour (Multi-AZ: ×2)       aws.amazon.com/rds/postgresql/pricing
  RDS gp3 $0.115 per GB-month (Multi-AZ: ×2)                        same
  CloudWatch Logs $0.50 per GB ingested, $0.03 per GB-month         aws.amazon.com/cloudwatch/pricing
  S3 Standard $0.023 per GB-month, PUT $0.005 and GET $0.0004 per 1,000   aws.amazon.com/s3/pricing
  AWS Backup warm storage $0.05 per GB-month                        aws.amazon.com/backup/pricing
  KMS $1 per key-month, $0.03 per 10,000 requests                   aws.amazon.com/kms/pricing
  API Gateway HTTP $1.00 per million                                aws.amazon.com/api-gateway/pricing
  Lambda $0.20 per million requests, Arm $0.0000133334 per GB-second aws.amazon.com/lambda/pricing
  DynamoDB on-demand $0.625 per million WRU, $0.125 per million RRU; storage $0.25, PITR $0.20 per GB-month
                                                                    aws.amazon.com/dynamodb/pricing/on-demand
  Inter-Region transfer $0.02 per GB                                aws.amazon.com/ec2/pricing/on-demand
  GuardDuty $4.00 per million CloudTrail management events, $0.80 per million S3 data events
                                                                    aws.amazon.com/guardduty/pricing
  ECR storage $0.10 per GB-month                                    aws.amazon.com/ecr/pricing
The usage assumptions (write share, log bytes per request, …) are archgen's, stated in data/usage.yaml and DESIGN.md.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from archgen.api import design_from_spec
from archgen.components import component_catalogue
from archgen.design import Design
from archgen.plan.pricing import priced_kinds
from archgen.price_catalogue import price_catalogue
from archgen.render.docs import render_docs
from archgen.spec_loader import load_spec

EXAMPLES = sorted(Path(__file__).resolve().parent.parent.joinpath("examples").glob("*.yaml"))
HOURS = 730
MONTH_SECONDS = HOURS * 3600
GB = 1024 * 1024  # KB per GB


def security_by_hand(regions: int, *, requests: float = 0, buckets: int = 0, images: int = 0) -> float:
    """The primary Region's security overlay: the trail (first copy of management events free; its bucket and
    CloudWatch Logs copy are not), the detector (management events, S3 Protection on the Region's data buckets) and
    the image repositories (30 images × 0.3 GB)."""
    trail_gb = 1_500_000 * regions * 1 / GB  # 1.5 M management events a Region × 1 KB
    kept_months = 365 / 30.4
    trail = trail_gb * 0.5 + trail_gb * 0.1 * kept_months * (0.023 + 0.03)  # ingest; compressed, kept a year
    detector = 1.5 * 4.00 + buckets * requests * 0.11 / 1e6 * 0.80
    return trail + detector + images * 30 * 0.3 * 0.10


def plan(path: Path) -> Design:
    return design_from_spec(load_spec(path))[1]


def plan_text(tmp_path: Path, text: str) -> Design:
    path = tmp_path / "spec.yaml"
    path.write_text(text, encoding="utf-8")
    return plan(path)


def total_in(design: Design, regions: tuple[str, ...]) -> float:
    assert design.cost is not None
    return sum(line.monthly_usd for line in design.cost.lines if line.region in regions)


def test_container_api_by_hand(tmp_path: Path) -> None:
    design = plan_text(
        tmp_path,
        "name: shop-api\nworkload: web-api\n"
        "traffic: {peak_rps: 400, average_rps: 100, avg_response_kb: 10}\n"
        "availability: {slo: 99.9, rto: 1d, rpo: 1d}\n"
        "regions: {primary: us-east-1, allowed: [us-east-1]}\n"
        "data:\n  - {name: orders, kind: relational, engine: postgresql, size_gb: 30}\n",
    )
    assert design.decisions["compute"].choice == "ecs-fargate"
    requests = 100 * MONTH_SECONDS
    # sizing: 0.5 vCPU tasks serve 50 rps; 100 rps average × 1.3 headroom ÷ 50 = 2.6 → 3 tasks (≥ 2, one per AZ)
    tasks = 3
    fargate = tasks * 0.5 * HOURS * 0.04048 + tasks * 1 * HOURS * 0.004445
    served_gb = requests * 12 / GB  # 10 KB response + 2 KB request
    alb = HOURS * 0.0225 + 2 * HOURS * 0.005 + served_gb / HOURS * HOURS * 0.008 + requests * 10 / GB * 0.09
    nat = 2 * HOURS * 0.045 + 2 * HOURS * 0.005 + served_gb * 0.1 * 0.045
    logs = requests * 0.06 / GB * 0.5 + requests * 0.25 / GB * (0.5 + 0.03)
    # RDS: 30 GB × 0.1 working set = 3 GB → db.t4g.medium; Multi-AZ for the 99.9 % SLO; 30 × 1.2 = 36 GB gp3
    rds = 2 * HOURS * 0.065 + 2 * 36 * 0.115
    backup = 30 * (1 + 0.02 * 35) * 0.05
    platform = 1 + 1_000_000 / 10_000 * 0.03 + requests * 0.3 / GB * 0.023
    security = security_by_hand(1, images=1)
    by_hand = fargate + alb + nat + logs + rds + backup + platform + security
    assert design.cost is not None
    assert design.cost.monthly_usd == pytest.approx(by_hand, rel=0.01)
    assert {line.region for line in design.cost.lines} == {"us-east-1"}


def test_serverless_api_by_hand() -> None:
    """examples/notes-api.yaml: the primary Region's lines, by hand; the recovery Region's from its factor."""
    design = plan(next(p for p in EXAMPLES if p.stem == "notes-api"))
    requests = 4 * MONTH_SECONDS
    api = requests / 1e6 * 1.00 + requests * 6 / GB * 0.09
    function = requests / 1e6 * 0.20 + requests * 0.12 * 1.0 * 0.0000133334 + requests * 0.25 / GB * (0.5 + 0.03)
    writes, reads = requests * 0.2, requests * 0.8
    table = 15 * 0.25 + 15 * 0.20 + writes / 1e6 * 0.625 + reads * 0.5 / 1e6 * 0.125
    bucket = 50 * 0.023 + requests * 0.01 / 1000 * 0.005 + requests * 0.1 / 1000 * 0.0004
    backup = 65 * (1 + 0.02 * 35) * 0.05 + 65 * 0.02 * 30 * 0.02
    platform = 1 + 3 + requests * 0.3 / GB * 0.023
    security = security_by_hand(2, requests=requests, buckets=1)
    by_hand = api + function + table + bucket + backup + platform + security
    assert total_in(design, ("us-east-1", "global")) == pytest.approx(by_hand, rel=0.01)
    catalogue = price_catalogue()
    assert design.cost is not None
    for line in design.cost.lines:
        if line.region == "us-east-2" and line.estimate:
            base = catalogue.prices[line.item].usd
            assert line.unit_usd == pytest.approx(base * catalogue.regions["us-east-2"].factor, rel=1e-6)


def test_static_site_on_cloudfront_by_hand(tmp_path: Path) -> None:
    design = plan_text(
        tmp_path,
        "name: handbook\nworkload: static-site\n"
        "traffic: {peak_rps: 80, average_rps: 20, avg_response_kb: 50}\n"
        "availability: {slo: 99.9, rto: 1d, rpo: 1d}\n"
        "regions: {primary: us-east-1, allowed: [us-east-1]}\nedge: {cdn: cloudfront}\n",
    )
    requests = 20 * MONTH_SECONDS
    # CloudFront $0.085 per GB (first 10 TB, US/Europe) and $0.0100 per 10,000 HTTPS requests
    cdn = requests * 50 / GB * 0.085 + requests / 10_000 * 0.01
    origin = 1 * 0.023 + 10_000 / 1000 * 0.005 + requests * 0.1 / 1000 * 0.0004  # 10 % cache misses
    platform = 1 + 3 + requests * 0.3 / GB * 0.023
    assert design.cost is not None
    assert design.cost.monthly_usd == pytest.approx(cdn + origin + platform + security_by_hand(1), rel=0.01)


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_every_line_adds_up(path: Path) -> None:
    design = plan(path)
    cost = design.cost
    assert cost is not None
    assert cost.lines
    for line in cost.lines:
        assert line.monthly_usd == pytest.approx(line.quantity * line.unit_usd, abs=0.01)
        assert line.quantity >= 0
        assert line.unit_usd >= 0
        assert line.basis, line
        assert line.component == "shared" or any(c.id == line.component for c in design.components)
    assert cost.monthly_usd == pytest.approx(sum(line.monthly_usd for line in cost.lines), abs=0.01)
    if cost.budget_usd is None:
        assert cost.within_budget is None
    else:
        assert cost.within_budget is (cost.monthly_usd <= cost.budget_usd)
    assert set(cost.estimated_regions) == {line.region for line in cost.lines if line.estimate}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_usage_lines_are_never_silently_zero_in_the_serving_region(path: Path) -> None:
    design = plan(path)
    assert design.cost is not None
    usage_units = {"GB", "1M requests", "1M WRU", "1M RRU", "GB-second", "LCU-hour"}
    for line in design.cost.lines:
        if line.unit in usage_units and line.region in (design.primary_region, "global"):
            assert line.monthly_usd > 0 or line.quantity > 0, line


def test_every_component_kind_is_priced() -> None:
    kinds = set(component_catalogue().kinds)
    assert kinds <= priced_kinds(), sorted(kinds - priced_kinds())


def test_sizes_follow_traffic(tmp_path: Path) -> None:
    base = "name: grow\nworkload: web-api\navailability: {slo: 99.9, rto: 1d, rpo: 1d}\nregions: {primary: us-east-1}\n"
    small = plan_text(tmp_path, base + "traffic: {peak_rps: 100}\n")
    large = plan_text(tmp_path, base + "traffic: {peak_rps: 4000}\n")
    assert small.cost is not None
    assert large.cost is not None
    assert large.cost.monthly_usd > small.cost.monthly_usd
    service = next(c for c in large.components if c.kind == "ecs-service" and c.region == "us-east-1")
    # 1,000 rps average × 1.3 ÷ 50 rps per 0.5-vCPU task = 26
    assert service.properties["desired_count"] == 26
    assert any("26" in step for step in service.sizing)


def test_rps_per_vcpu_in_the_spec_overrides_the_blueprint(tmp_path: Path) -> None:
    base = (
        "name: tuned\nworkload: web-api\navailability: {slo: 99.9, rto: 1d, rpo: 1d}\nregions: {primary: us-east-1}\n"
    )
    default = plan_text(tmp_path, base + "traffic: {peak_rps: 2000}\n")
    tuned = plan_text(tmp_path, base + "traffic: {peak_rps: 2000, rps_per_vcpu: 400}\n")

    def desired(design: Design) -> int:
        component = next(c for c in design.components if c.kind == "ecs-service" and c.region == "us-east-1")
        return int(component.properties["desired_count"])  # type: ignore[arg-type]

    assert desired(default) == math.ceil(500 * 1.3 / 50)
    assert desired(tuned) == math.ceil(500 * 1.3 / 200)


def test_steady_key_value_traffic_goes_provisioned(tmp_path: Path) -> None:
    spec = (
        "name: feed\nworkload: web-api\navailability: {slo: 99.9, rto: 1d, rpo: 1d}\nregions: {primary: us-east-1}\n"
        "data:\n  - {name: events, kind: key-value}\n"
    )
    steady = plan_text(tmp_path, spec + "traffic: {peak_rps: 3000, average_rps: 2000}\n")
    bursty = plan_text(tmp_path, spec + "traffic: {peak_rps: 3000, average_rps: 50}\n")

    def table(design: Design) -> str:
        return str(next(c for c in design.components if c.kind == "dynamodb-table").properties["billing_mode"])

    assert table(steady) == "PROVISIONED"
    assert table(bursty) == "PAY_PER_REQUEST"


BUDGETED = (
    "name: tight\nworkload: web-api\ntraffic: {peak_rps: 2000, average_rps: 800}\n"
    "availability: {slo: 99.9, rto: 1d, rpo: 1d}\nregions: {primary: eu-west-1}\n"
    "services:\n  - {name: api, public: true}\n  - {name: worker}\n"
)


def test_budget_with_room_applies_nothing(tmp_path: Path) -> None:
    design = plan_text(tmp_path, BUDGETED + "budget: {monthly_usd: 100000}\n")
    assert design.cost is not None
    assert design.cost.within_budget is True
    assert design.decisions["budget"].choice == "as designed"
    assert not any(option.applied for option in design.cost.options)


def test_tight_budget_takes_the_fewest_trade_offs_that_fit(tmp_path: Path) -> None:
    unbounded = plan_text(tmp_path, BUDGETED)
    assert unbounded.cost is not None
    budget = unbounded.cost.monthly_usd - 1  # a dollar short: one variant is enough
    design = plan_text(tmp_path, BUDGETED + f"budget: {{monthly_usd: {budget}}}\n")
    assert design.cost is not None
    assert design.cost.within_budget is True
    applied = [option.id for option in design.cost.options if option.applied]
    assert len(applied) == 1, applied
    assert design.decisions["budget"].choice == applied[0]


def test_impossible_budget_is_explained(tmp_path: Path) -> None:
    unbounded = plan_text(tmp_path, BUDGETED)
    design = plan_text(tmp_path, BUDGETED + "budget: {monthly_usd: 50}\n")
    assert design.cost is not None
    assert unbounded.cost is not None
    assert design.cost.within_budget is False
    assert design.cost.monthly_usd < unbounded.cost.monthly_usd  # every applicable variant was taken
    assert "over" in design.decisions["budget"].rationale
    assert design.cost.requirement_costs
    text = render_docs(design)["DESIGN.md"]
    assert "Over the $50.00 budget" in text
    assert "What each requirement costs" in text


def test_requirement_costs_are_what_relaxing_saves(tmp_path: Path) -> None:
    strict = (
        "name: strict\nworkload: web-api\ntraffic: {peak_rps: 400}\n"
        "availability: {slo: 99.9, rto: 15m, rpo: 1m}\nregions: {primary: us-east-1}\n"
        "data:\n  - {name: orders, kind: relational}\n"
    )
    design = plan_text(tmp_path, strict)
    relaxed = plan_text(tmp_path, strict.replace("rto: 15m, rpo: 1m", "rto: 1d, rpo: 1d"))
    assert design.cost is not None
    assert relaxed.cost is not None
    dr = next(item for item in design.cost.requirement_costs if item.requirement.startswith("availability.rto"))
    assert dr.monthly_usd == pytest.approx(design.cost.monthly_usd - relaxed.cost.monthly_usd, abs=0.01)
    assert dr.monthly_usd > 0


def test_every_data_engine_is_priced(tmp_path: Path) -> None:
    """Each store choice the planner can make has its prices in the catalogue (a missing item raises)."""
    design = plan_text(
        tmp_path,
        "name: everything\nworkload: web-api\ntraffic: {peak_rps: 200}\n"
        "availability: {slo: 99.95, rto: 15m, rpo: 1m}\nregions: {primary: eu-central-1}\n"
        "data:\n"
        "  - {name: accounts, kind: relational, engine: mysql}\n"
        "  - {name: profiles, kind: document, engine: mongodb}\n"
        "  - {name: lookups, kind: search}\n"
        "  - {name: clicks, kind: stream, engine: kafka}\n"
        "  - {name: fanout, kind: queue, engine: sns}\n"
        "  - {name: hot, kind: cache, engine: redis}\n"
        "  - {name: files, kind: object}\n",
    )
    assert design.cost is not None
    priced = {line.component for line in design.cost.lines}
    for component in design.components:
        if component.kind not in ("ecs-cluster",):
            assert component.id in priced, component.id
