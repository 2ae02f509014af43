"""`archgen cost`: every format on a real example, checked against the design it prices."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner, Result

from archgen.api import design_from_spec
from archgen.cli import app
from archgen.cost_report import (
    CSV_HEADERS,
    LINE_HEADERS,
    cost_csv,
    cost_markdown,
    cost_table,
    decimal,
    quantity,
    unit_price,
)
from archgen.design import Cost
from archgen.spec_loader import load_spec

ROOT = Path(__file__).resolve().parent.parent
ORDERS = ROOT / "examples" / "orders-api.yaml"


def run(*args: str | Path) -> Result:
    return CliRunner().invoke(app, [str(arg) for arg in args])


@pytest.fixture(autouse=True)
def _no_debug(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ARCHGEN_DEBUG", raising=False)
    monkeypatch.setenv("NO_COLOR", "1")


@pytest.fixture(scope="module")
def orders_cost() -> Cost:
    _, design = design_from_spec(load_spec(ORDERS))
    assert design.cost is not None
    return design.cost


def test_table_lists_every_line_and_the_budget(orders_cost: Cost) -> None:
    result = run("cost", ORDERS)
    assert result.exit_code == 0, result.output
    assert result.stderr == ""
    text = result.stdout
    assert text.startswith(f"orders-api: monthly cost (USD, prices as of {orders_cost.prices_as_of})")
    assert f"total: ${orders_cost.monthly_usd:,.2f} a month" in text
    assert orders_cost.budget_usd is not None
    assert f"budget: ${orders_cost.budget_usd:,.2f} a month, within budget" in text
    header = next(line for line in text.splitlines() if line.startswith("component"))
    assert re.split(r"\s{2,}", header) == list(LINE_HEADERS)
    body = text.split(header, 1)[1].split("\n\n", 1)[0].strip().splitlines()
    assert len(body) == len(orders_cost.lines)
    for row, line in zip(body, orders_cost.lines, strict=True):
        assert row.startswith(line.component)
        assert f"{line.monthly_usd:,.2f}" in row
        assert row.endswith("*") == line.estimate
    # the options and the requirement costs follow, when the design has them
    for option in orders_cost.options:
        assert re.search(rf"^{re.escape(option.id)}\s+(yes|no)\b", text, re.M)
    for item in orders_cost.requirement_costs:
        assert item.requirement in text


def test_over_budget_says_so_and_exits_0(tmp_path: Path) -> None:
    spec = tmp_path / "tight.yaml"
    spec.write_text(ORDERS.read_text(encoding="utf-8").replace("monthly_usd: 2500", "monthly_usd: 100"), "utf-8")
    _, design = design_from_spec(load_spec(spec))
    assert design.cost is not None
    assert design.cost.within_budget is False
    result = run("cost", spec)
    assert result.exit_code == 0, result.output
    over = round(design.cost.monthly_usd - 100, 2)
    assert f"over budget by ${over:,.2f}" in result.stdout
    assert any(option.applied for option in design.cost.options)
    assert re.search(r"^\S+\s+yes\b", result.stdout, re.M)  # an applied option is marked


def test_json_is_the_cost_of_design_json(tmp_path: Path) -> None:
    result = run("cost", ORDERS, "--format", "json")
    assert result.exit_code == 0, result.output
    out = tmp_path / "orders"
    designed = run("design", ORDERS, "--out", out)
    assert designed.exit_code == 0, designed.output
    document = json.loads((out / "design.json").read_text(encoding="utf-8"))
    assert json.loads(result.stdout) == document["cost"]


def test_csv_parses_and_sums_to_the_total(orders_cost: Cost) -> None:
    result = run("cost", ORDERS, "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(io.StringIO(result.stdout)))
    assert tuple(rows[0]) == CSV_HEADERS
    assert len(rows) == len(orders_cost.lines)
    assert abs(sum(float(row["monthly_usd"]) for row in rows) - orders_cost.monthly_usd) < 0.01
    for row, line in zip(rows, orders_cost.lines, strict=True):
        assert row["component"] == line.component
        assert row["estimate"] == ("true" if line.estimate else "false")
        assert float(row["unit_usd"]) == pytest.approx(line.unit_usd)
        assert float(row["quantity"]) == pytest.approx(line.quantity)
        assert "e" not in row["unit_usd"].lower()  # plain decimals, never exponent notation


def test_markdown_is_a_table_with_escaped_cells(orders_cost: Cost) -> None:
    result = run("cost", ORDERS, "--format", "md")
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[0] == "## orders-api: monthly cost"
    table = [line for line in lines if line.startswith("| ") and "aws\\_" in line]
    assert len(table) == len(orders_cost.lines)
    assert all(line.count(" | ") == 8 for line in table)  # nine cells: no pipe leaked out of a cell
    assert "aws\\_kms\\_key" in result.stdout  # underscores escaped
    assert f"- total: ${orders_cost.monthly_usd:,.2f} a month" in result.stdout


def test_bad_format_is_a_usage_error() -> None:
    result = run("cost", ORDERS, "--format", "yaml")
    assert result.exit_code == 2
    assert "--format must be one of table, json, csv, md, not 'yaml'" in result.stderr


def test_bad_spec_exits_2_located_without_traceback(tmp_path: Path) -> None:
    spec = tmp_path / "bad.yaml"
    spec.write_text(ORDERS.read_text(encoding="utf-8").replace("slo: 99.9", "slo: 120"), encoding="utf-8")
    before = sorted(tmp_path.iterdir())
    result = run("cost", spec)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert re.fullmatch(
        rf"{re.escape(str(spec))}:\d+:\d+: availability\.slo: 120: must be less than 100\n", result.stderr
    )
    assert "Traceback" not in result.output
    assert sorted(tmp_path.iterdir()) == before  # nothing written


def test_missing_spec_exits_2() -> None:
    result = run("cost", "nope.yaml")
    assert result.exit_code == 2
    assert "nope.yaml: no such file" in result.stderr


def test_number_formats() -> None:
    assert decimal(0.0000166667, 10) == "0.0000166667"
    assert decimal(3.0, 4) == "3"
    assert decimal(-0.00001, 2) == "0"
    assert quantity(7017.51714) == "7,017.5171"
    assert quantity(0) == "0"
    assert unit_price(1.0) == "1.00"
    assert unit_price(0.045) == "0.045"


def test_formatters_are_pure(orders_cost: Cost) -> None:
    assert cost_table(orders_cost, "x") == cost_table(orders_cost, "x")
    assert cost_csv(orders_cost).count("\n") == len(orders_cost.lines) + 1
    assert cost_markdown(orders_cost).startswith("## Monthly cost")
