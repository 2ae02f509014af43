"""The spec: documented defaults on valid input, and a located ``file:line:col: field: message`` for bad input."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
import yaml

from archgen.errors import Problem, SpecError
from archgen.spec import Spec
from archgen.spec_loader import load_spec, parse_spec

HEAD = """\
name: shop
workload: web-api
traffic:
  peak_rps: 100
availability:
  slo: 99.9
  rto: 4h
  rpo: 1h
regions:
  primary: us-east-1
"""


def problems(text: str, file: str = "spec.yaml") -> list[Problem]:
    """The problems parse_spec reports for ``text`` (the test fails if it parses)."""
    with pytest.raises(SpecError) as caught:
        parse_spec(text, file)
    return caught.value.problems


def lines(text: str) -> list[str]:
    return [str(problem) for problem in problems(text)]


def one(text: str) -> str:
    (line,) = lines(text)
    return line


# --- valid specs and their defaults -------------------------------------------------------------------------


def test_minimal_spec_gets_documented_defaults(minimal_spec: str) -> None:
    spec = parse_spec(minimal_spec)
    assert spec.version == 1
    assert spec.name == "shop"
    assert spec.description == ""
    assert spec.traffic.average_rps is None
    assert spec.traffic.average == 25  # a quarter of peak
    assert spec.traffic.avg_response_kb == 16
    assert spec.traffic.global_users is False
    assert spec.availability.rto == 4 * 3600
    assert spec.availability.rpo == 3600
    assert spec.regions.allowed is None
    assert spec.data == ()
    assert spec.services is None
    assert spec.budget is None
    assert spec.compliance == ()
    assert spec.edge.cdn == "auto"
    assert spec.edge.waf is False
    assert spec.team.kubernetes is False
    assert spec.delivery.ci == "github-actions"
    assert spec.delivery.strategy == "rolling"


def test_default_service_is_named_after_the_spec(minimal_spec: str) -> None:
    (service,) = parse_spec(minimal_spec).service_list
    assert service.name == "shop"
    assert service.port == 8080
    assert service.public is True
    assert service.cpu is None
    assert service.memory is None


@pytest.mark.parametrize(
    ("workload", "public"),
    [
        ("web-api", True),
        ("web-app", True),
        ("static-site", False),
        ("event-driven", False),
        ("streaming", False),
        ("batch", False),
    ],
)
def test_default_service_is_public_only_for_web_workloads(workload: str, public: bool) -> None:
    spec = parse_spec(HEAD.replace("workload: web-api", f"workload: {workload}"))
    assert [s.public for s in spec.service_list] == [public]


def test_explicit_average_is_kept(minimal_spec: str) -> None:
    spec = parse_spec(minimal_spec.replace("peak_rps: 100", "peak_rps: 100\n  average_rps: 7"))
    assert spec.traffic.average == 7


def test_explicit_services_replace_the_default() -> None:
    spec = parse_spec(HEAD + "services:\n  - {name: api, public: true, port: 9000}\n  - {name: worker}\n")
    assert [(s.name, s.port, s.public) for s in spec.service_list] == [("api", 9000, True), ("worker", 8080, False)]


@pytest.mark.parametrize(("text", "seconds"), [("0", 0), ("90", 90), ("1h30m", 5400), ("1d", 86400), ("'15m'", 900)])
def test_durations_in_specs(text: str, seconds: int) -> None:
    spec = parse_spec(HEAD.replace("rto: 4h", f"rto: {text}"))
    assert spec.availability.rto == seconds


@pytest.mark.parametrize("slo", ["90", "99", "99.999", "99.9999"])
def test_slo_bounds_accept(slo: str) -> None:
    assert parse_spec(HEAD.replace("slo: 99.9", f"slo: {slo}")).availability.slo == float(slo)


@pytest.mark.parametrize(
    "description",
    [
        '"quotes \\" and \'single\' quotes"',
        "'{braces} {{double}} {0} %s'",
        "'${var} %{if x} $${escaped}'",
        '"line one\\nline two\\n\\nparagraph"',
        "Ünïcödé — 漢字 😀 emoji",
        '"<script>alert(1)</script> | pipes | `ticks`"',
        "'# not a heading'",
        "|\n  block\n  scalar with: colons",
    ],
)
def test_description_accepts_any_characters(description: str) -> None:
    text = HEAD + f"description: {description}\n"
    spec = parse_spec(text)
    assert spec.description
    assert spec.description == yaml.safe_load(text)["description"]


def test_braces_in_description_stay_literal() -> None:
    spec = parse_spec(HEAD + "description: '{message} {0}'\n")
    assert spec.description == "{message} {0}"


def test_full_spec_parses() -> None:
    text = (
        HEAD
        + """\
description: everything set
data:
  - {name: orders, kind: relational, engine: mysql, size_gb: 50}
  - {name: sessions, kind: cache, engine: redis}
services:
  - {name: api, public: true, cpu: 0.5, memory: 1024}
budget: {monthly_usd: 900}
compliance: [gdpr, soc2]
edge: {cdn: cloudflare, waf: true}
team: {kubernetes: true}
delivery: {ci: gitlab-ci, strategy: canary}
"""
    )
    spec = parse_spec(text.replace("primary: us-east-1", "primary: us-east-1\n  allowed: [us-east-1, us-west-2]"))
    assert spec.regions.allowed == ("us-east-1", "us-west-2")
    assert spec.data[1].engine == "redis"
    assert spec.budget is not None
    assert spec.budget.monthly_usd == 900
    assert spec.compliance == ("gdpr", "soc2")
    assert spec.edge.cdn == "cloudflare"
    assert spec.team.kubernetes is True
    assert spec.delivery.strategy == "canary"


def test_spec_is_frozen(minimal_spec: str) -> None:
    spec = parse_spec(minimal_spec)
    with pytest.raises(ValueError, match="frozen"):
        spec.name = "other"  # type: ignore[misc]


def test_load_spec_reads_a_file(write_spec: Callable[..., Path], minimal_spec: str) -> None:
    path = write_spec(minimal_spec, "shop.yaml")
    assert isinstance(load_spec(path), Spec)
    assert load_spec(str(path)).name == "shop"


# --- located problems ----------------------------------------------------------------------------------------


def test_message_names_the_file_given(write_spec: Callable[..., Path]) -> None:
    path = write_spec(HEAD.replace("slo: 99.9", "slo: 100"), "bad.yaml")
    with pytest.raises(SpecError) as caught:
        load_spec(path)
    assert str(caught.value) == f"{path}:6:8: availability.slo: 100: must be less than 100"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(SpecError, match="no such file"):
        load_spec(tmp_path / "absent.yaml")


def test_unreadable_file_is_a_spec_error(write_spec: Callable[..., Path]) -> None:
    path = write_spec("", "latin1.yaml")
    path.write_bytes("name: caf\xe9\n".encode("latin-1"))
    with pytest.raises(SpecError, match="cannot read"):
        load_spec(path)


def test_unknown_key_suggests_the_nearest() -> None:
    text = HEAD.replace("rto: 4h", "rtoo: 4h")
    assert lines(text) == [
        "spec.yaml:6:3: availability.rto: is required",
        "spec.yaml:7:3: availability.rtoo: unknown key (did you mean 'rto'?)",
    ]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (HEAD + "regoins: {}\n", "spec.yaml:11:1: regoins: unknown key (did you mean 'regions'?)"),
        (HEAD + "edge: {cdn: auto, wafx: true}\n", "spec.yaml:11:19: edge.wafx: unknown key (did you mean 'waf'?)"),
        (
            HEAD + "services:\n  - name: api\n    public: true\n    prot: 80\n",
            "spec.yaml:14:5: services[0].prot: unknown key (did you mean 'port'?)",
        ),
        (
            HEAD.replace("peak_rps: 100", "peak_rps: 100\n  zzz: 1"),
            "spec.yaml:5:3: traffic.zzz: unknown key "
            "(known keys: average_rps, avg_response_kb, global_users, peak_rps, rps_per_vcpu)",
        ),
    ],
)
def test_unknown_keys_everywhere(text: str, expected: str) -> None:
    assert one(text) == expected


def test_mistyped_region_suggests_a_real_one() -> None:
    assert one(HEAD.replace("us-east-1", "eu-wst-1")) == (
        "spec.yaml:10:12: regions.primary: 'eu-wst-1' is not an AWS Region code; did you mean 'eu-west-1'?"
    )


def test_unknown_region_in_allowed_is_located_by_index() -> None:
    text = HEAD.replace("primary: us-east-1", "primary: us-east-1\n  allowed: [us-east-1, eu-centrl-1]")
    assert one(text) == (
        "spec.yaml:11:24: regions.allowed[1]: 'eu-centrl-1' is not an AWS Region code; did you mean 'eu-central-1'?"
    )


def test_region_without_any_near_match_has_no_hint() -> None:
    line = one(HEAD.replace("us-east-1", "mars"))
    assert line == "spec.yaml:10:12: regions.primary: 'mars' is not an AWS Region code"


def test_bad_workload_suggests_the_nearest() -> None:
    assert one(HEAD.replace("workload: web-api", "workload: web-apii")) == (
        "spec.yaml:2:11: workload: 'web-apii' is not one of: web-api, web-app, static-site, event-driven, streaming, "
        "batch; did you mean 'web-api'?"
    )


def test_bad_enum_deep_inside() -> None:
    assert one(HEAD + "data:\n  - name: orders\n    kind: relationl\n").startswith(
        "spec.yaml:13:11: data[0].kind: 'relationl' is not one of: relational,"
    )
    assert one(HEAD + "edge:\n  cdn: cloudfrnt\n").endswith("did you mean 'cloudfront'?")


def test_several_problems_are_collected_in_one_run() -> None:
    text = """\
name: Shop_1
workload: web-apii
traffic:
  peak_rps: -5
availability:
  slo: 100
  rto: soon
  rpo: 1h
regions:
  primary: us-east-one
"""
    found = problems(text)
    assert [(p.line, p.column, p.field) for p in found] == [
        (1, 7, "name"),
        (2, 11, "workload"),
        (4, 13, "traffic.peak_rps"),
        (6, 8, "availability.slo"),
        (7, 8, "availability.rto"),
        (10, 12, "regions.primary"),
    ]


def test_cross_field_problems_are_collected_too() -> None:
    text = (
        HEAD.replace("peak_rps: 100", "peak_rps: 100\n  average_rps: 200")
        + """\
  allowed: [us-east-2, us-west-2]
data:
  - {name: a, kind: relational, engine: postgres}
  - {name: a, kind: cache}
services:
  - name: x
  - name: x
"""
    )
    assert lines(text) == [
        "spec.yaml:5:16: traffic.average_rps: 200 is above peak_rps (100)",
        "spec.yaml:12:12: regions.allowed: does not include the primary Region 'us-east-1'",
        "spec.yaml:14:41: data[0].engine: 'postgres' is not an engine for relational data (one of: postgresql, "
        "mysql); did you mean 'postgresql'?",
        "spec.yaml:15:12: data[1].name: 'a' appears more than once",
        "spec.yaml:17:3: services: a web-api needs at least one service with public: true",
        "spec.yaml:18:11: services[1].name: 'x' appears more than once",
    ]


def test_yaml_syntax_error_gives_the_line() -> None:
    line = one("name: shop\nworkload: web-api\ntraffic:\n  peak_rps: 100\n   bad: indent\n")
    assert line.startswith("spec.yaml:5:")
    assert "YAML syntax error" in line


@pytest.mark.parametrize(
    ("text", "got"),
    [
        ("", "an empty file"),
        ("# just a comment\n", "an empty file"),
        ("- a\n- b\n", "a list"),
        ("hello\n", "a str"),
        ("42\n", "a int"),
    ],
)
def test_document_must_be_a_mapping(text: str, got: str) -> None:
    assert one(text) == f"spec.yaml:1:1: a spec is a YAML mapping (name: …, workload: …), not {got}"


def test_missing_sections_are_required() -> None:
    assert lines("name: a\nworkload: batch\n") == [
        "spec.yaml:1:1: availability: is required",
        "spec.yaml:1:1: regions: is required",
        "spec.yaml:1:1: traffic: is required",
    ]


def test_missing_nested_field_points_at_its_section() -> None:
    assert one(HEAD.replace("  rpo: 1h\n", "")) == "spec.yaml:6:3: availability.rpo: is required"


@pytest.mark.parametrize("name", ["Shop", "shop_1", "1shop", "shop-", "-shop", "sh op", "shöp"])
def test_name_must_be_a_dns_label(name: str) -> None:
    assert one(HEAD.replace("name: shop", f"name: '{name}'")) == (
        f"spec.yaml:1:7: name: {name!r} is not a lowercase DNS label (a-z first; then a-z, 0-9 or '-'; not ending in "
        "'-')"
    )


@pytest.mark.parametrize("name", ["a", "a1", "a-b", "x" * 32])
def test_name_dns_labels_accepted(name: str) -> None:
    assert parse_spec(HEAD.replace("name: shop", f"name: {name}")).name == name


def test_name_too_long() -> None:
    name = "a" * 33
    assert (
        one(HEAD.replace("name: shop", f"name: {name}")) == f"spec.yaml:1:7: name: '{name}': must have at most 32 "
        "characters"
    )


def test_empty_name() -> None:
    assert one(HEAD.replace("name: shop", "name: ''")) == "spec.yaml:1:7: name: '': must have at least 1 character"


@pytest.mark.parametrize(
    ("slo", "message"),
    [
        ("100", "100: must be less than 100"),
        ("100.5", "100.5: must be less than 100"),
        ("89.9", "89.9: must be greater than or equal to 90"),
        ("0", "0: must be greater than or equal to 90"),
    ],
)
def test_slo_bounds_reject(slo: str, message: str) -> None:
    assert one(HEAD.replace("slo: 99.9", f"slo: {slo}")) == f"spec.yaml:6:8: availability.slo: {message}"


def test_negative_peak_rps() -> None:
    assert one(HEAD.replace("peak_rps: 100", "peak_rps: -1")) == (
        "spec.yaml:4:13: traffic.peak_rps: -1: must be greater than or equal to 0"
    )


def test_average_above_peak() -> None:
    assert one(HEAD.replace("peak_rps: 100", "peak_rps: 100\n  average_rps: 101")) == (
        "spec.yaml:5:16: traffic.average_rps: 101 is above peak_rps (100)"
    )


def test_average_equal_to_peak_is_fine() -> None:
    assert parse_spec(HEAD.replace("peak_rps: 100", "peak_rps: 100\n  average_rps: 100")).traffic.average == 100


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("soon", "'soon' is not a duration (examples: 30s, 15m, 4h, 1d)"),
        ("true", "True is not a duration (examples: 30s, 15m, 4h, 1d)"),
        ("-1", "-1 is negative; a duration is 0 or more seconds"),
        ("1.5h", "'1.5h' is not a duration (examples: 30s, 15m, 4h, 1d)"),
    ],
)
def test_bad_durations(value: str, message: str) -> None:
    assert one(HEAD.replace("rpo: 1h", f"rpo: {value}")) == f"spec.yaml:8:8: availability.rpo: {message}"


def test_allowed_must_contain_primary() -> None:
    text = HEAD.replace("primary: us-east-1", "primary: us-east-1\n  allowed: [us-east-2]")
    assert one(text) == "spec.yaml:11:12: regions.allowed: does not include the primary Region 'us-east-1'"


def test_allowed_duplicates() -> None:
    text = HEAD.replace("primary: us-east-1", "primary: us-east-1\n  allowed: [us-east-1, us-east-1]")
    assert one(text) == "spec.yaml:11:24: regions.allowed[1]: 'us-east-1' appears more than once"


def test_duplicate_data_names() -> None:
    text = HEAD + "data:\n  - name: orders\n    kind: relational\n  - name: orders\n    kind: cache\n"
    assert one(text) == "spec.yaml:14:11: data[1].name: 'orders' appears more than once"


def test_duplicate_service_names() -> None:
    text = HEAD + "services:\n  - {name: api, public: true}\n  - {name: api}\n"
    assert one(text) == "spec.yaml:13:12: services[1].name: 'api' appears more than once"


def test_duplicate_compliance() -> None:
    assert one(HEAD + "compliance: [gdpr, gdpr]\n") == "spec.yaml:11:20: compliance[1]: 'gdpr' appears more than once"


@pytest.mark.parametrize(
    ("kind", "engine", "expected"),
    [
        ("relational", "postgres", "(one of: postgresql, mysql); did you mean 'postgresql'?"),
        ("cache", "redsi", "(one of: valkey, redis); did you mean 'redis'?"),
        ("key-value", "mongodb", "(one of: dynamodb)"),
        ("queue", "kafka", "(one of: sqs, sns)"),
    ],
)
def test_engine_must_suit_the_kind(kind: str, engine: str, expected: str) -> None:
    line = one(HEAD + f"data:\n  - name: store\n    kind: {kind}\n    engine: {engine}\n")
    assert line == f"spec.yaml:14:13: data[0].engine: {engine!r} is not an engine for {kind} data {expected}"


@pytest.mark.parametrize("workload", ["web-api", "web-app"])
def test_web_workload_needs_a_public_service(workload: str) -> None:
    text = HEAD.replace("web-api", workload) + "services:\n  - name: api\n"
    assert one(text) == f"spec.yaml:12:3: services: a {workload} needs at least one service with public: true"


def test_batch_needs_no_public_service() -> None:
    assert parse_spec(HEAD.replace("web-api", "batch") + "services:\n  - name: job\n").services is not None


def test_static_site_needs_a_cdn() -> None:
    text = HEAD.replace("web-api", "static-site") + "edge:\n  cdn: none\n"
    assert one(text).startswith("spec.yaml:12:8: edge.cdn: a static site needs a CDN")


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [
        (
            "services:\n  - {name: api, public: true, port: 0}\n",
            "spec.yaml:12:37: services[0].port: 0: must be greater than or equal to 1",
        ),
        (
            "services:\n  - {name: api, public: true, port: 70000}\n",
            "spec.yaml:12:37: services[0].port: 70000: must be less than or equal to 65535",
        ),
        (
            "services:\n  - {name: API, public: true}\n",
            "spec.yaml:12:12: services[0].name: 'API': must match pattern '^[a-z]([a-z0-9-]*[a-z0-9])?$'",
        ),
        ("budget: {monthly_usd: 0}\n", "spec.yaml:11:23: budget.monthly_usd: 0: must be greater than 0"),
        (
            "compliance: [iso27001]\n",
            "spec.yaml:11:14: compliance[0]: 'iso27001' is not one of: pci-dss, hipaa, gdpr, soc2",
        ),
        ("version: 2\n", "spec.yaml:11:10: version: 2 is not one of: 1"),
        ("traffic2: 1\n", "spec.yaml:11:1: traffic2: unknown key (did you mean 'traffic'?)"),
    ],
)
def test_other_field_rules(snippet: str, expected: str) -> None:
    assert one(HEAD + snippet) == expected


def test_wrong_type_for_a_section() -> None:
    line = one(HEAD.replace("traffic:\n  peak_rps: 100", "traffic: 100"))
    assert line.startswith("spec.yaml:3:10: traffic: 100: ")
    assert "dictionary" in line or "mapping" in line
