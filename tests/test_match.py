"""Matching: which blueprint wins for a spec, why the others are rejected, and how blueprints are checked at load."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from archgen.blueprint import Blueprint, blueprint_library, get_blueprint, load_blueprint
from archgen.errors import BlueprintError, SpecError, UserError
from archgen.match import Ranking, match_blueprints
from archgen.spec import Spec
from archgen.spec_loader import parse_spec

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


def make_spec(**changes: Any) -> Spec:
    return parse_spec(yaml.safe_dump(merge(BASE, changes)))


def rank(**changes: Any) -> Ranking:
    return match_blueprints(make_spec(**changes))


def rejection_texts(ranking: Ranking, blueprint_id: str) -> list[str]:
    (match,) = [m for m in ranking.matches if m.blueprint.id == blueprint_id]
    assert not match.fits
    return [reason.text for reason in match.rejections]


SERVICES3 = [{"name": "a", "public": True}, {"name": "b"}, {"name": "c"}]

WINNERS: dict[str, dict[str, Any]] = {
    "serverless-api": {"traffic": {"average_rps": 10}, "data": [{"name": "kv", "kind": "key-value"}]},
    "container-service": {"traffic": {"average_rps": 80}, "data": [{"name": "db", "kind": "relational"}]},
    "event-pipeline": {"workload": "event-driven", "services": [{"name": "worker"}]},
    "kubernetes-platform": {"team": {"kubernetes": True}, "services": SERVICES3},
    "static-site": {"workload": "static-site"},
}


@pytest.mark.parametrize("blueprint_id", sorted(WINNERS))
def test_each_blueprint_wins_its_spec(blueprint_id: str) -> None:
    ranking = rank(**WINNERS[blueprint_id])
    assert ranking.best.blueprint.id == blueprint_id
    assert ranking.best.fits


def test_every_shipped_blueprint_has_a_winning_spec_here() -> None:
    assert [b.id for b in blueprint_library()] == sorted(WINNERS)


@pytest.mark.parametrize(
    ("blueprint_id", "changes", "reason"),
    [
        (
            "serverless-api",
            {"data": [{"name": "db", "kind": "relational"}]},
            "data.kinds is [relational]; wanted a list drawn only from [key-value, document, object, queue, cache] — "
            "relational databases want long-lived connection pools",
        ),
        (
            "serverless-api",
            {"traffic": {"peak_rps": 20000}},
            "traffic.peak_rps is 20000; wanted at most 10000 — API Gateway throttles at 10,000 rps",
        ),
        ("serverless-api", {"workload": "batch"}, "workload is batch; wanted equal to web-api"),
        (
            "container-service",
            {"workload": "event-driven"},
            "workload is event-driven; wanted one of [web-api, web-app, batch]",
        ),
        (
            "container-service",
            {"workload": "static-site"},
            "workload is static-site; wanted one of [web-api, web-app, batch]",
        ),
        ("event-pipeline", {}, "workload is web-api; wanted one of [event-driven, streaming]"),
        (
            "kubernetes-platform",
            {"services": SERVICES3},
            "team.kubernetes is false; wanted equal to true — a cluster needs upgrades",
        ),
        (
            "kubernetes-platform",
            {"workload": "static-site", "team": {"kubernetes": True}},
            "workload is static-site; wanted one of [web-api, web-app, event-driven, streaming, batch]",
        ),
        ("static-site", {}, "workload is web-api; wanted equal to static-site"),
    ],
)
def test_blueprint_rejects_with_reason(blueprint_id: str, changes: dict[str, Any], reason: str) -> None:
    texts = rejection_texts(rank(**changes), blueprint_id)
    assert any(text.startswith(reason) for text in texts), texts


def test_rejected_blueprints_rank_last() -> None:
    ranking = rank(**WINNERS["serverless-api"])
    fits = [m.fits for m in ranking.matches]
    assert fits == sorted(fits, reverse=True)
    assert [m.blueprint.id for m in ranking.matches if not m.fits] == [
        "event-pipeline",
        "kubernetes-platform",
        "static-site",
    ]


def test_scores_sum_the_held_preferences() -> None:
    ranking = rank(**WINNERS["serverless-api"])
    for match in ranking.matches:
        assert match.score == sum(p.weight for p in match.preferences if p.held)
    assert [(m.blueprint.id, m.score) for m in ranking.matches[:2]] == [("serverless-api", 4), ("container-service", 3)]


def test_requirements_keep_passing_reasons_too() -> None:
    best = rank(**WINNERS["serverless-api"]).best
    assert best.rejections == ()
    assert [r.passed for r in best.requirements] == [True] * 5


def test_tie_goes_to_lower_complexity_in_the_shipped_library() -> None:
    # kubernetes-platform (complexity 4): team +3, unset budget +1 = 4;
    # container-service (complexity 2): average above 50 +3, one service +1 = 4
    ranking = rank(traffic={"average_rps": 80}, team={"kubernetes": True})
    top = {m.blueprint.id: m.score for m in ranking.matches[:2]}
    assert top == {"container-service": 4, "kubernetes-platform": 4}
    assert ranking.best.blueprint.id == "container-service"


def _blueprint(blueprint_id: str, complexity: int, workload: str = "web-api") -> Blueprint:
    return Blueprint.model_validate(
        {
            "id": blueprint_id,
            "title": blueprint_id,
            "summary": "test",
            "source": {"title": "t", "url": "https://example.com/"},
            "complexity": complexity,
            "compute": ["lambda"],
            "requires": {"field": "workload", "op": "eq", "value": workload},
            "prefers": [{"weight": 2, "when": {"field": "traffic.peak_rps", "op": "ge", "value": 1}}],
            "components": [],
        }
    )


def test_tie_goes_to_lower_complexity_not_to_the_id() -> None:
    library = (_blueprint("aaa-complex", 3), _blueprint("zzz-simple", 1), _blueprint("mmm-middle", 2))
    ranking = match_blueprints(make_spec(), library)
    assert [m.blueprint.id for m in ranking.matches] == ["zzz-simple", "mmm-middle", "aaa-complex"]
    assert {m.score for m in ranking.matches} == {2}


def test_equal_complexity_ties_go_to_the_id() -> None:
    library = (_blueprint("bbb", 2), _blueprint("aaa", 2))
    assert match_blueprints(make_spec(), library).best.blueprint.id == "aaa"


def test_no_blueprint_fits_lists_every_rejection() -> None:
    library = (_blueprint("only-batch", 1, workload="batch"), _blueprint("only-stream", 1, workload="streaming"))
    ranking = match_blueprints(make_spec(), library)
    with pytest.raises(UserError, match="no blueprint fits this spec") as caught:
        _ = ranking.best
    message = str(caught.value)
    assert "only-batch: workload is web-api; wanted equal to batch" in message
    assert "only-stream: workload is web-api; wanted equal to streaming" in message
    assert caught.value.exit_code == 2


def test_get_blueprint_suggests_for_an_unknown_id() -> None:
    assert get_blueprint("static-site").id == "static-site"
    with pytest.raises(SpecError, match=r"no blueprint 'serverles' \(did you mean 'serverless-api'\?\)"):
        get_blueprint("serverles")


# --- blueprint files checked at load ------------------------------------------------------------------------

TINY = """\
id: tiny
title: Tiny
summary: A tiny blueprint.
source:
  title: Example
  url: https://example.com/
complexity: 1
compute: [lambda]
requires:
  all:
    - field: workload
      op: eq
      value: web-api
prefers:
  - weight: 2
    when: {field: traffic.peak_rps, op: le, value: 100}
components:
  - id: "{name}"
    kind: compute.service
    for_each: services
  - id: bucket
    kind: s3-bucket
    when: {field: decisions.compute, op: eq, value: lambda}
edges:
  - {from: services, to: bucket, label: writes}
"""


def write_blueprint(root: Path, folder: str, text: str) -> Path:
    path = root / folder
    path.mkdir(parents=True, exist_ok=True)
    (path / "blueprint.yaml").write_text(text, encoding="utf-8")
    return path


def load_problems(root: Path, folder: str, text: str) -> list[str]:
    folder_path = write_blueprint(root, folder, text)
    with pytest.raises(BlueprintError) as caught:
        load_blueprint(folder_path)
    file = folder_path / "blueprint.yaml"
    lines = [str(problem) for problem in caught.value.problems]
    assert all(line.startswith(f"{file}:") for line in lines)
    return [line.removeprefix(f"{file}:") for line in lines]


def test_a_valid_blueprint_loads(tmp_path: Path) -> None:
    blueprint = load_blueprint(write_blueprint(tmp_path, "tiny", TINY))
    assert blueprint.id == "tiny"
    assert blueprint.readme == ""
    assert match_blueprints(make_spec(), (blueprint,)).best.score == 2


def test_readme_is_attached(tmp_path: Path) -> None:
    folder = write_blueprint(tmp_path, "tiny", TINY)
    (folder / "README.md").write_text("# Tiny\n", encoding="utf-8")
    assert load_blueprint(folder).readme == "# Tiny\n"


def test_id_must_equal_the_folder(tmp_path: Path) -> None:
    assert load_problems(tmp_path, "other", TINY) == ["1:5: id: 'tiny' must equal the folder name 'other'"]


def test_unknown_fact_in_requires(tmp_path: Path) -> None:
    problems = load_problems(tmp_path, "tiny", TINY.replace("field: workload", "field: workloads"))
    assert problems == ["10:3: requires: unknown fact 'workloads'; did you mean 'workload'?"]


def test_decision_facts_only_in_component_conditions(tmp_path: Path) -> None:
    problems = load_problems(tmp_path, "tiny", TINY.replace("traffic.peak_rps", "decisions.compute"))
    assert problems == ["16:11: prefers[0].when: unknown fact 'decisions.compute'"]


def test_unknown_component_kind(tmp_path: Path) -> None:
    problems = load_problems(tmp_path, "tiny", TINY.replace("kind: s3-bucket", "kind: s3-buckett"))
    assert problems == ["22:11: components[1].kind: unknown component kind 's3-buckett'"]


def test_several_blueprint_problems_are_collected(tmp_path: Path) -> None:
    text = (
        TINY.replace("id: tiny", "id: tiny2")
        .replace("kind: s3-bucket", "kind: nope")
        .replace("to: bucket", "to: buckt")
    )
    problems = load_problems(tmp_path, "tiny", text)
    assert [p.split(": ")[0] for p in problems] == ["1:5", "22:11", "25:26"]
    assert "edges[0].to: 'buckt' is neither a component id nor a group" in problems[2]


def test_for_each_and_name_placeholder_go_together(tmp_path: Path) -> None:
    problems = load_problems(tmp_path, "tiny", TINY.replace('id: "{name}"', "id: svc"))
    assert problems == ["18:9: components[0].id: use {name} in the id exactly when for_each is set"]


def test_model_errors_are_located(tmp_path: Path) -> None:
    problems = load_problems(tmp_path, "tiny", TINY.replace("complexity: 1", "complexity: 9\nauthor: me"))
    assert problems[0] == "7:13: complexity: 9: must be less than or equal to 5"
    assert problems[1].startswith("8:1: author: unknown key")


def test_blueprint_yaml_errors_are_blueprint_errors(tmp_path: Path) -> None:
    problems = load_problems(tmp_path, "tiny", TINY + "id: again\n")
    assert problems == ["26:1: id: duplicate key (YAML would silently keep only the last one); first defined on line 1"]
