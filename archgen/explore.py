"""Explore the design space: re-plan a spec over the cartesian product of a few varied keys (``archgen explore``).

Each ``--vary KEY=V1,V2,...`` names a dotted path of mapping keys in the spec document and the values to try. For
every combination, in the order given (the last key varies fastest), the value is set on a copy of the raw YAML
data, read as YAML exactly as it would be in a spec file (``4h`` stays a duration, ``99.95`` is a number), the
spec is validated by the same rules as a spec file, and the design is planned. A combination the rules reject, or
that no blueprint fits, becomes a row carrying the error instead of stopping the exploration.

Importable without matplotlib: the chart lives in ``archgen.render.explore_chart``.
"""

from __future__ import annotations

import copy
import csv
import io
import itertools
import json
import types
import typing
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel, ConfigDict

from archgen.cost_report import aligned, decimal, markdown_table
from archgen.design import Design
from archgen.errors import ArchgenError, SpecError, UserError
from archgen.match import match_blueprints
from archgen.plan import plan_design
from archgen.spec import Spec
from archgen.spec_loader import validate_document
from archgen.suggest import nearest
from archgen.yaml_marks import load_yaml

MAX_COMBINATIONS = 200
FORMATS = ("table", "json", "csv", "md")
NOT_AVAILABLE = "n/a"


class _Frozen(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Vary(_Frozen):
    """One varied key: a dotted path of mapping keys into the spec, and the values to try, as typed."""

    key: str
    values: tuple[str, ...]


class ExplorationRow(_Frozen):
    """The outcome of one combination: what the planner chose and what it costs, or why it could not plan."""

    values: tuple[str, ...]
    blueprint: str | None = None
    compute: str | None = None
    dr_strategy: str | None = None
    regions: tuple[str, ...] = ()
    multi_az: bool | None = None
    monthly_usd: float | None = None
    budget_usd: float | None = None
    within_budget: bool | None = None
    slo_target: float | None = None
    availability: float | None = None
    limiting_component: str | None = None
    error: str | None = None


class Exploration(_Frozen):
    """Every combination of the varied keys, planned: one row per combination, in product order."""

    name: str
    source: str
    varies: tuple[Vary, ...]
    rows: tuple[ExplorationRow, ...]


# -- the varied keys ------------------------------------------------------------------------------------------
def _is_model(value: Any) -> bool:
    return isinstance(value, type) and issubclass(value, BaseModel)


def _section(annotation: Any) -> type[BaseModel] | None:
    """The model of a mapping-valued field (``Foo`` or ``Foo | None``); None for values and lists."""
    if _is_model(annotation):
        return typing.cast(type[BaseModel], annotation)
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union:
        models = [arg for arg in typing.get_args(annotation) if _is_model(arg)]
        return typing.cast(type[BaseModel], models[0]) if models else None
    return None


def spec_keys(model: type[BaseModel] = Spec, prefix: str = "") -> tuple[str, ...]:
    """Every key that can be varied: the dotted paths of the spec's fields that hold values, not sections."""
    keys: list[str] = []
    for name, field in model.model_fields.items():
        section = _section(field.annotation)
        path = f"{prefix}{name}"
        keys.extend(spec_keys(section, f"{path}.") if section else (path,))
    return tuple(keys)


def check_key(key: str) -> None:
    """Raise a UserError, with a suggestion, unless ``key`` is a dotted path to a value in the spec schema."""
    keys = spec_keys()
    if key in keys:
        return
    model: type[BaseModel] | None = Spec
    for part in key.split("."):
        field = model.model_fields.get(part) if model else None
        model = _section(field.annotation) if field else None
        if field is None:
            break
    else:
        if model is not None:
            inner = ", ".join(model.model_fields)
            raise UserError(f"--vary {key}: {key} is a section; vary one of its keys ({inner})")
    guess = nearest(key, keys)
    hint = f"; did you mean {guess!r}?" if guess else f" (keys: {', '.join(keys)})"
    raise UserError(f"--vary {key}: not a key of the spec{hint}")


def split_values(text: str) -> tuple[str, ...]:
    """Split ``V1,V2,...`` at the commas outside brackets and quotes, so a value may be a YAML list ``[a,b]``."""
    values: list[str] = []
    depth, quote, start = 0, "", 0
    for index, char in enumerate(text):
        if quote:
            quote = "" if char == quote else quote
        elif char in "'\"":
            quote = char
        elif char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
        elif char == "," and depth == 0:
            values.append(text[start:index].strip())
            start = index + 1
    values.append(text[start:].strip())
    return tuple(values)


def parse_vary(text: str) -> Vary:
    """``KEY=V1,V2,...`` as a Vary; a UserError when malformed or when KEY is not a key of the spec."""
    key, equals, values_text = text.partition("=")
    key = key.strip()
    if not equals or not key:
        raise UserError(f"--vary {text!r}: expected KEY=V1,V2,... (e.g. availability.rto=4h,1h,15m)")
    check_key(key)
    values = split_values(values_text)
    if not values_text.strip() or any(not value for value in values):
        raise UserError(f"--vary {text!r}: give one or more values, separated by commas, none empty")
    duplicates = sorted({value for value in values if values.count(value) > 1})
    if duplicates:
        raise UserError(f"--vary {key}: {', '.join(duplicates)} given more than once")
    return Vary(key=key, values=values)


def check_varies(varies: Sequence[Vary]) -> int:
    """The number of combinations; a UserError for no keys, a key varied twice, or more than MAX_COMBINATIONS."""
    if not varies:
        raise UserError("give at least one --vary KEY=V1,V2,...")
    keys = [vary.key for vary in varies]
    for key in keys:
        check_key(key)
        if keys.count(key) > 1:
            raise UserError(f"--vary {key}: varied more than once; list all its values in one --vary")
    count = 1
    for vary in varies:
        count *= len(vary.values)
    if count > MAX_COMBINATIONS:
        sizes = " × ".join(str(len(vary.values)) for vary in varies)
        raise UserError(f"{sizes} = {count} combinations; at most {MAX_COMBINATIONS} are explored at once")
    return count


# -- one combination ------------------------------------------------------------------------------------------
def _set(document: dict[str, Any], key: str, value: Any) -> None:
    *parents, leaf = key.split(".")
    here = document
    for part in parents:
        child = here.get(part)
        if not isinstance(child, dict):
            child = here[part] = {}
        here = child
    here[leaf] = value


def _yaml_value(text: str, key: str) -> Any:
    """A value as YAML reads it in a spec file (the same loader): ``99.9`` a float, ``4h`` a string."""
    value, _ = load_yaml(text, f"--vary {key}")
    return value


def _error_text(exc: ArchgenError) -> str:
    if isinstance(exc, SpecError):
        parts = [f"{p.field}: {p.message}" if p.field else p.message for p in exc.problems]
        parts = [f"{part} ({p.hint})" if p.hint else part for part, p in zip(parts, exc.problems, strict=True)]
        return "; ".join(parts)
    return " ".join(str(exc).split())


def _row(values: tuple[str, ...], design: Design) -> ExplorationRow:
    cost = design.cost
    availability = design.availability
    return ExplorationRow(
        values=values,
        blueprint=design.blueprint,
        compute=design.decisions["compute"].choice if "compute" in design.decisions else None,
        dr_strategy=design.decisions["dr_strategy"].choice if "dr_strategy" in design.decisions else None,
        regions=design.regions,
        multi_az=design.multi_az,
        monthly_usd=cost.monthly_usd if cost else None,
        budget_usd=cost.budget_usd if cost else None,
        within_budget=cost.within_budget if cost else None,
        slo_target=availability.slo_target if availability else None,
        availability=availability.estimated if availability else None,
        limiting_component=availability.limiting_component or None if availability else None,
    )


def plan_combination(spec_data: Mapping[str, Any], source: str, settings: Sequence[tuple[str, str]]) -> Design:
    """The design for ``spec_data`` with each (key, value text) of ``settings`` applied; ArchgenError if invalid."""
    document = copy.deepcopy(dict(spec_data))
    for key, text in settings:
        _set(document, key, _yaml_value(text, key))
    spec = validate_document(document, source)
    return plan_design(spec, match_blueprints(spec))  # archgen.api.design_from_spec, without importing render


def explore(spec_data: Mapping[str, Any], source_name: str, varies: Sequence[Vary]) -> Exploration:
    """Plan every combination of ``varies`` over ``spec_data`` (the spec file's parsed YAML), in product order."""
    check_varies(varies)
    rows = []
    for values in itertools.product(*(vary.values for vary in varies)):
        settings = [(vary.key, value) for vary, value in zip(varies, values, strict=True)]
        try:
            rows.append(_row(values, plan_combination(spec_data, source_name, settings)))
        except ArchgenError as exc:
            rows.append(ExplorationRow(values=values, error=_error_text(exc)))
    name = spec_data.get("name")
    return Exploration(
        name=name if isinstance(name, str) else source_name,
        source=source_name,
        varies=tuple(varies),
        rows=tuple(rows),
    )


# -- output ---------------------------------------------------------------------------------------------------
def availability_text(row: ExplorationRow) -> str:
    """Estimated availability in percent, with the limiting component; ``n/a`` until the planner estimates it."""
    if row.availability is None:
        return NOT_AVAILABLE
    text = f"{decimal(row.availability, 4)}%"
    return f"{text} ({row.limiting_component})" if row.limiting_component else text


def _yes_no(value: bool | None) -> str:
    return NOT_AVAILABLE if value is None else ("yes" if value else "no")


def _headers(exploration: Exploration) -> tuple[str, ...]:
    return (
        *(vary.key for vary in exploration.varies),
        "blueprint",
        "compute",
        "DR strategy",
        "regions",
        "multi-AZ",
        "monthly USD",
        "within budget",
        "availability",
    )


def _cells(row: ExplorationRow) -> tuple[str, ...]:
    if row.error is not None:
        return (*row.values, f"error: {row.error}", *([""] * 7))
    return (
        *row.values,
        row.blueprint or "",
        row.compute or "",
        row.dr_strategy or "",
        " + ".join(row.regions),
        _yes_no(row.multi_az),
        "" if row.monthly_usd is None else f"{row.monthly_usd:,.2f}",
        _yes_no(row.within_budget),
        availability_text(row),
    )


def _money_column(exploration: Exploration) -> int:
    return len(exploration.varies) + 5


def exploration_table(exploration: Exploration) -> str:
    """The exploration as aligned plain text, one line per combination."""
    title = f"{exploration.name}: {len(exploration.rows)} combination(s) of {exploration.source}\n"
    rows = [_cells(row) for row in exploration.rows]
    return title + aligned(_headers(exploration), rows, right=(_money_column(exploration),))


def exploration_markdown(exploration: Exploration) -> str:
    """The exploration as a Markdown table (every cell escaped), for embedding in DESIGN.md."""
    rows = [_cells(row) for row in exploration.rows]
    return markdown_table(_headers(exploration), rows, right=(_money_column(exploration),))


def exploration_json(exploration: Exploration) -> str:
    """The whole exploration as JSON (the ``Exploration`` model), indented, with a trailing newline."""
    return json.dumps(exploration.model_dump(mode="json"), indent=2, ensure_ascii=False) + "\n"


def _optional(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def exploration_csv(exploration: Exploration) -> str:
    """One row per combination under a header: the varied values, then the outcome's fields (empty when absent)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    fields = [name for name in ExplorationRow.model_fields if name != "values"]
    writer.writerow([*(vary.key for vary in exploration.varies), *fields])
    for row in exploration.rows:
        outcome = [" ".join(row.regions) if name == "regions" else _optional(getattr(row, name)) for name in fields]
        writer.writerow([*row.values, *outcome])
    return buffer.getvalue()


def render_exploration(exploration: Exploration, output: str) -> str:
    """The exploration in ``output`` format (one of ``FORMATS``)."""
    renderers = {
        "table": exploration_table,
        "json": exploration_json,
        "csv": exploration_csv,
        "md": exploration_markdown,
    }
    if output not in renderers:
        raise UserError(f"--format must be one of {', '.join(FORMATS)}, not {output!r}")
    return renderers[output](exploration)
