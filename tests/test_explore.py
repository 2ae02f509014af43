"""`archgen explore`: the cartesian product of varied spec keys, planned, tabulated and charted."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from typer.testing import CliRunner, Result

from archgen.api import DesignOptions, design
from archgen.cli import app
from archgen.errors import UserError
from archgen.explore import (
    MAX_COMBINATIONS,
    Exploration,
    ExplorationRow,
    Vary,
    availability_text,
    exploration_markdown,
    explore,
    parse_vary,
    spec_keys,
    split_values,
)
from archgen.render.explore_chart import chart_png, chart_svg

ROOT = Path(__file__).resolve().parent.parent
ORDERS = ROOT / "examples" / "orders-api.yaml"
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# least to most strict: a stricter RTO may keep the strategy or move right, never left
STRATEGY_ORDER = ("backup-restore", "pilot-light", "warm-standby", "active-active")
RTOS = ("1d", "4h", "1h", "15m", "1m")


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(arg) for arg in args])


@pytest.fixture(autouse=True)
def _no_debug(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ARCHGEN_DEBUG", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.fixture(scope="module")
def orders() -> dict[str, Any]:
    data = yaml.safe_load(ORDERS.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


@pytest.fixture(scope="module")
def rto_by_slo(orders: dict[str, Any]) -> Exploration:
    varies = [Vary(key="availability.rto", values=RTOS), Vary(key="availability.slo", values=("99.9", "99.95"))]
    return explore(orders, "orders-api.yaml", varies)


# --- combinations --------------------------------------------------------------------------------------------


def test_combinations_in_product_order(rto_by_slo: Exploration) -> None:
    assert [row.values for row in rto_by_slo.rows] == [(rto, slo) for rto in RTOS for slo in ("99.9", "99.95")]
    assert rto_by_slo.name == "orders-api"
    assert all(row.error is None for row in rto_by_slo.rows)
    first = rto_by_slo.rows[0]
    assert first.blueprint
    assert first.compute
    assert first.dr_strategy
    assert first.regions
    assert first.monthly_usd is not None
    assert first.monthly_usd > 0
    assert first.budget_usd == 2500


def test_stricter_rto_never_gives_a_cheaper_or_laxer_design(rto_by_slo: Exploration) -> None:
    for slo in ("99.9", "99.95"):
        rows = [row for row in rto_by_slo.rows if row.values[1] == slo]
        assert [row.values[0] for row in rows] == list(RTOS)
        ranks = [STRATEGY_ORDER.index(str(row.dr_strategy)) for row in rows]
        costs = [float(row.monthly_usd or 0) for row in rows]
        assert ranks == sorted(ranks), (slo, [row.dr_strategy for row in rows])
        assert costs == sorted(costs), (slo, costs)
        assert ranks[0] < ranks[-1]  # the axis does move the strategy: a day is not a minute


def test_values_are_read_as_yaml_like_a_spec_file(orders: dict[str, Any]) -> None:
    exploration = explore(orders, "o.yaml", [Vary(key="availability.rto", values=("1h", "3600", "60m"))])
    costs = {row.monthly_usd for row in exploration.rows}
    strategies = {row.dr_strategy for row in exploration.rows}
    assert len(costs) == 1
    assert len(strategies) == 1
    assert all(row.error is None for row in exploration.rows)


def test_invalid_value_is_an_error_row(orders: dict[str, Any]) -> None:
    exploration = explore(orders, "o.yaml", [Vary(key="availability.slo", values=("99.9", "100", "high"))])
    ok, too_high, not_number = exploration.rows
    assert ok.error is None
    assert ok.monthly_usd is not None
    assert too_high.error == "availability.slo: 100: must be less than 100"
    assert too_high.monthly_usd is None
    assert too_high.dr_strategy is None
    assert not_number.error is not None
    assert not_number.error.startswith("availability.slo:")


def test_cross_field_rules_apply(orders: dict[str, Any]) -> None:
    exploration = explore(orders, "o.yaml", [Vary(key="traffic.average_rps", values=("100", "5000"))])
    assert exploration.rows[0].error is None
    assert exploration.rows[1].error == "traffic.average_rps: 5000 is above peak_rps (800)"


def test_missing_sections_are_created(orders: dict[str, Any]) -> None:
    data = {key: value for key, value in orders.items() if key != "budget"}
    exploration = explore(data, "o.yaml", [Vary(key="budget.monthly_usd", values=("100000",))])
    (row,) = exploration.rows
    assert row.error is None
    assert row.budget_usd == 100000
    assert row.within_budget is True
    assert "budget" not in data  # the caller's document is not touched


def test_keys_come_from_the_schema() -> None:
    keys = spec_keys()
    assert {"availability.rto", "availability.slo", "budget.monthly_usd", "traffic.peak_rps", "edge.cdn"} <= set(keys)
    assert "availability" not in keys
    assert "budget" not in keys


def test_parse_vary() -> None:
    assert parse_vary("availability.rto=4h, 1h,15m") == Vary(key="availability.rto", values=("4h", "1h", "15m"))
    assert split_values("[],[gdpr],[gdpr, pci-dss]") == ("[]", "[gdpr]", "[gdpr, pci-dss]")
    with pytest.raises(UserError, match=r"did you mean 'availability\.slo'"):
        parse_vary("availability.sloo=99.9")
    with pytest.raises(UserError, match="is a section; vary one of its keys"):
        parse_vary("availability=1")
    with pytest.raises(UserError, match="expected KEY=V1,V2"):
        parse_vary("availability.rto")
    with pytest.raises(UserError, match="none empty"):
        parse_vary("availability.rto=1h,,4h")
    with pytest.raises(UserError, match="given more than once"):
        parse_vary("availability.rto=1h,1h")


def test_availability_shows_na_until_estimated() -> None:
    assert availability_text(ExplorationRow(values=("x",))) == "n/a"
    row = ExplorationRow(values=("x",), availability=99.95, limiting_component="data-orders")
    assert availability_text(row) == "99.95% (data-orders)"


# --- the command ---------------------------------------------------------------------------------------------


def test_cli_table(rto_by_slo: Exploration) -> None:
    result = run("explore", ORDERS, "--vary", "availability.rto=1d,1m")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == f"orders-api: 2 combination(s) of {ORDERS}"
    assert lines[1].split()[:4] == ["availability.rto", "blueprint", "compute", "DR"]
    assert lines[2].startswith("1d ")
    assert lines[3].startswith("1m ")
    expected = {row.values[0]: row for row in rto_by_slo.rows if row.values[1] == "99.9"}
    for line in lines[2:]:
        row = expected[line.split()[0]]
        assert str(row.dr_strategy) in line
        assert f"{row.monthly_usd:,.2f}" in line


def test_cli_json_csv_md_agree() -> None:
    args = ["explore", str(ORDERS), "--vary", "availability.rto=4h,1m", "--vary", "availability.slo=99.9,100"]
    as_json = json.loads(run(*args, "--format", "json").stdout)
    rows = list(csv.DictReader(io.StringIO(run(*args, "--format", "csv").stdout)))
    markdown = run(*args, "--format", "md").stdout
    assert [vary["key"] for vary in as_json["varies"]] == ["availability.rto", "availability.slo"]
    assert len(as_json["rows"]) == len(rows) == 4
    for document, row in zip(as_json["rows"], rows, strict=True):
        assert tuple(document["values"]) == (row["availability.rto"], row["availability.slo"])
        assert (document["error"] or "") == row["error"]
        if document["monthly_usd"] is not None:
            assert float(row["monthly_usd"]) == document["monthly_usd"]
    assert markdown.count("\n") == 2 + 4
    assert "error: availability.slo: 100: must be less than 100" in markdown


def test_cli_unknown_key_exits_2_with_suggestion() -> None:
    result = run("explore", ORDERS, "--vary", "availability.rtoo=1h")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr == "error: --vary availability.rtoo: not a key of the spec; did you mean 'availability.rto'?\n"


def test_cli_too_many_combinations_exits_2() -> None:
    values = ",".join(str(n) for n in range(1, 16))
    result = run(
        "explore", ORDERS, "--vary", f"traffic.peak_rps={values}", "--vary", f"traffic.avg_response_kb={values}"
    )
    assert result.exit_code == 2
    assert f"15 × 15 = 225 combinations; at most {MAX_COMBINATIONS}" in result.stderr


def test_cli_bad_spec_exits_2_located(tmp_path: Path) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text(ORDERS.read_text(encoding="utf-8").replace("rto: 1h", "rto: 1x"), encoding="utf-8")
    chart = tmp_path / "chart.png"
    result = run("explore", spec, "--vary", "availability.slo=99.9", "--chart", chart)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"{spec}:")
    assert "availability.rto: '1x' is not a duration" in result.stderr
    assert "Traceback" not in result.output
    assert not chart.exists()


def test_cli_chart_is_a_deterministic_png(tmp_path: Path) -> None:
    args = ["explore", str(ORDERS), "--vary", "availability.rto=4h,15m,1m", "--vary", "availability.slo=99.9,100"]
    first, second = tmp_path / "a.png", tmp_path / "b.png"
    assert run(*args, "--chart", first).exit_code == 0
    assert run(*args, "--chart", second).exit_code == 0
    assert first.read_bytes().startswith(PNG_SIGNATURE)
    assert first.read_bytes() == second.read_bytes()
    # and in a fresh process (another font cache, another hash seed)
    third = tmp_path / "c.png"
    subprocess.run([sys.executable, "-m", "archgen", *args, "--chart", str(third)], check=True, capture_output=True)
    assert third.read_bytes() == first.read_bytes()


def test_svg_chart_is_deterministic(rto_by_slo: Exploration) -> None:
    svg = chart_svg(rto_by_slo)
    assert svg == chart_svg(rto_by_slo)
    assert svg.lstrip().startswith(b"<?xml")
    assert b"<dc:date>" not in svg
    assert chart_png(rto_by_slo) == chart_png(rto_by_slo)


def test_cli_chart_suffix_is_checked(tmp_path: Path) -> None:
    result = run("explore", ORDERS, "--vary", "availability.slo=99.9", "--chart", tmp_path / "c.jpg")
    assert result.exit_code == 2
    assert "must end in .png or .svg" in result.stderr


def test_markdown_for_design_md(rto_by_slo: Exploration) -> None:
    text = exploration_markdown(rto_by_slo)
    lines = text.splitlines()
    assert lines[0].startswith("| availability.rto | availability.slo | blueprint |")
    assert len(lines) == 2 + len(rto_by_slo.rows)
    assert all(line.count(" | ") == lines[0].count(" | ") for line in lines[2:])


def test_explore_imports_without_matplotlib() -> None:
    code = "import sys, archgen.explore, archgen.render.explore_chart; assert 'matplotlib' not in sys.modules"
    subprocess.run([sys.executable, "-c", code], check=True)


def test_design_embeds_the_exploration_in_design_md(tmp_path: Path) -> None:
    options = DesignOptions(
        out=tmp_path / "out", targets=("docs",), explore=("availability.rto=1d,1m", "availability.slo=99.9,99.99")
    )
    result = design(Path(__file__).resolve().parent.parent / "examples" / "orders-api.yaml", options)
    text = (tmp_path / "out" / "DESIGN.md").read_text(encoding="utf-8")
    assert "## Exploring the requirements" in text
    assert text.count("| 1d |") == 2
    assert (tmp_path / "out" / "explore.png").read_bytes().startswith(b"\x89PNG")
    assert result.design.exploration is not None
    assert len(result.design.exploration["rows"]) == 4
