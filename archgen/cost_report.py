"""The cost of a design as text: an aligned table for terminals, JSON, CSV and Markdown (``archgen cost``).

Pure functions from a design's ``Cost`` to a string; the CLI only prints what they return. The JSON is the ``cost``
object exactly as ``design.json`` carries it; the CSV has one row per cost line, so its ``monthly_usd`` column sums
to the total (each line is rounded to the cent, and so is the total of the rounded lines).
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Sequence

from archgen.design import Cost, CostLine
from archgen.errors import UserError
from archgen.render.escape import md

FORMATS = ("table", "json", "csv", "md")
ESTIMATE_MARK = "*"

LINE_HEADERS = (
    "component",
    "resource",
    "size",
    "quantity",
    "unit",
    "unit USD",
    "monthly USD",
    "region",
    "est.",
)
CSV_HEADERS = (
    "component",
    "resource",
    "size",
    "quantity",
    "unit",
    "unit_usd",
    "monthly_usd",
    "region",
    "estimate",
    "item",
    "basis",
)


def decimal(value: float, places: int) -> str:
    """``value`` with at most ``places`` decimals, trailing zeros dropped, never in exponent notation."""
    text = f"{value:.{places}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def usd(value: float) -> str:
    """Dollars with thousands separators and cents: ``$1,234.50``."""
    return f"-${-value:,.2f}" if value < 0 else f"${value:,.2f}"


def quantity(value: float) -> str:
    """A line's monthly quantity, with thousands separators and up to four decimals."""
    whole, _, fraction = decimal(value, 4).partition(".")
    return f"{int(whole):,}" + (f".{fraction}" if fraction else "")


def unit_price(value: float) -> str:
    """A unit price at full precision (per-request prices are tiny): at least two decimals, at most ten."""
    text = decimal(value, 10)
    whole, _, fraction = text.partition(".")
    return f"{whole}.{fraction.ljust(2, '0')}"


def budget_status(cost: Cost) -> str:
    """One plain sentence on the budget: within it (and by how much), over it by how much, or no budget."""
    if cost.budget_usd is None:
        return "no budget given"
    difference = round(cost.budget_usd - cost.monthly_usd, 2)
    if cost.within_budget:
        return f"within budget ({usd(difference)} to spare)"
    return f"over budget by {usd(-difference)}"


def _line_cells(line: CostLine) -> tuple[str, ...]:
    return (
        line.component,
        line.resource,
        line.size or "",
        quantity(line.quantity),
        line.unit,
        unit_price(line.unit_usd),
        f"{line.monthly_usd:,.2f}",
        line.region,
        ESTIMATE_MARK if line.estimate else "",
    )


def _option_cells(cost: Cost) -> list[tuple[str, ...]]:
    return [
        (
            option.id,
            "yes" if option.applied else "no",
            "" if option.monthly_usd is None else f"{option.monthly_usd:,.2f}",
            option.why,
        )
        for option in cost.options
    ]


def _requirement_cells(cost: Cost) -> list[tuple[str, ...]]:
    return [(item.requirement, item.relaxed_to, f"{item.monthly_usd:,.2f}") for item in cost.requirement_costs]


OPTION_HEADERS = ("budget option", "applied", "monthly USD alone", "why")
REQUIREMENT_HEADERS = ("requirement", "relaxed to", "monthly USD it costs")


def aligned(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> str:
    """Plain aligned columns, two spaces apart, trailing spaces trimmed; columns in ``right`` right-aligned."""
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=True)]
    lines = []
    for row in (headers, *rows):
        cells = [
            str(cell).rjust(width) if index in right else str(cell).ljust(width)
            for index, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines) + "\n"


def _summary(cost: Cost) -> list[str]:
    lines = [f"total: {usd(cost.monthly_usd)} a month"]
    if cost.budget_usd is not None:
        lines.append(f"budget: {usd(cost.budget_usd)} a month, {budget_status(cost)}")
    else:
        lines.append("budget: none given (no budget check)")
    if cost.estimated_regions:
        lines.append(
            f"{ESTIMATE_MARK} estimate: priced from a regional factor ({', '.join(cost.estimated_regions)}), "
            "not a published price"
        )
    return lines


def cost_brief(cost: Cost, drivers: int = 3) -> str:
    """What ``archgen design`` prints about cost: the total and the budget.

    When over budget it says plainly what the budget buys, the largest cost drivers and what each requirement costs.
    """
    lines = [f"monthly cost: {usd(cost.monthly_usd)} ({budget_status(cost)}; `archgen cost` has every line)"]
    if cost.within_budget is False and cost.budget_usd is not None:
        lines.append(
            f"the {usd(cost.budget_usd)} budget buys {cost.budget_usd / cost.monthly_usd:.0%} of this design, after "
            "every cheaper variant that keeps the requirements"
        )
        top = sorted(cost.lines, key=lambda line: -line.monthly_usd)[:drivers]
        lines.append(
            "largest cost drivers: "
            + "; ".join(f"{line.component} {line.item} {usd(line.monthly_usd)}" for line in top)
        )
        if cost.requirement_costs:
            lines.append(
                "what each requirement costs: "
                + "; ".join(
                    f"{item.requirement} {usd(item.monthly_usd)} (vs {item.relaxed_to})"
                    for item in cost.requirement_costs
                )
            )
    return "\n".join(lines) + "\n"


def cost_table(cost: Cost, name: str = "") -> str:
    """The cost as aligned plain text: the lines, the total and budget, then the budget options and requirements."""
    title = f"{name}: monthly cost" if name else "monthly cost"
    parts = [f"{title} ({cost.currency}, prices as of {cost.prices_as_of})\n"]
    parts.append(aligned(LINE_HEADERS, [_line_cells(line) for line in cost.lines], right=(3, 5, 6)))
    parts.append("\n".join(_summary(cost)) + "\n")
    if cost.options:
        parts.append(aligned(OPTION_HEADERS, _option_cells(cost), right=(2,)))
    if cost.requirement_costs:
        parts.append(aligned(REQUIREMENT_HEADERS, _requirement_cells(cost), right=(2,)))
    return "\n".join(parts)


def cost_json(cost: Cost) -> str:
    """The ``cost`` object exactly as ``design.json`` carries it, indented, with a trailing newline."""
    return json.dumps(cost.model_dump(mode="json", by_alias=True), indent=2, ensure_ascii=False) + "\n"


def cost_csv(cost: Cost) -> str:
    """One row per cost line under a header; numbers in plain decimal notation, ``estimate`` as true/false."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(CSV_HEADERS)
    for line in cost.lines:
        writer.writerow(
            (
                line.component,
                line.resource,
                line.size or "",
                decimal(line.quantity, 4),
                line.unit,
                decimal(line.unit_usd, 10),
                f"{line.monthly_usd:.2f}",
                line.region,
                "true" if line.estimate else "false",
                line.item,
                line.basis,
            )
        )
    return buffer.getvalue()


def markdown_table(headers: Sequence[str], rows: Sequence[Sequence[str]], right: Sequence[int] = ()) -> str:
    """A Markdown table; every cell escaped with ``archgen.render.escape.md``."""
    align = ["---:" if index in right else "---" for index in range(len(headers))]
    lines = [
        "| " + " | ".join(md(header) for header in headers) + " |",
        "|" + "|".join(align) + "|",
        *("| " + " | ".join(md(cell) for cell in row) + " |" for row in rows),
    ]
    return "\n".join(lines) + "\n"


def cost_markdown(cost: Cost, name: str = "") -> str:
    """The cost as Markdown: a table of the lines, the total and budget, then the options and requirement costs."""
    title = f"{name}: monthly cost" if name else "Monthly cost"
    parts = [f"## {md(title)}\n", f"{md(cost.currency)}, prices as of {md(cost.prices_as_of)}.\n"]
    parts.append(markdown_table(LINE_HEADERS, [_line_cells(line) for line in cost.lines], right=(3, 5, 6)))
    parts.append("\n".join(f"- {md(text)}" for text in _summary(cost)) + "\n")
    if cost.options:
        parts.append(markdown_table(OPTION_HEADERS, _option_cells(cost), right=(2,)))
    if cost.requirement_costs:
        parts.append(markdown_table(REQUIREMENT_HEADERS, _requirement_cells(cost), right=(2,)))
    return "\n".join(parts)


def render_cost(cost: Cost, output: str, name: str = "") -> str:
    """The cost in ``output`` format (one of ``FORMATS``); a UserError names the formats for anything else."""
    if output == "table":
        return cost_table(cost, name)
    if output == "json":
        return cost_json(cost)
    if output == "csv":
        return cost_csv(cost)
    if output == "md":
        return cost_markdown(cost, name)
    raise UserError(f"--format must be one of {', '.join(FORMATS)}, not {output!r}")
