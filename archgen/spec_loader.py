"""Read a spec file and turn every problem in it into a located, compiler-style message.

Type and value problems come from pydantic (all of them in one pass); the cross-field rules below run once the
spec parses. Either way the user gets every problem at once, each as ``file:line:col: field: message``.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from archgen.data_kinds import data_kinds
from archgen.errors import Problem, SpecError
from archgen.spec import Spec
from archgen.suggest import nearest
from archgen.validation import problems_from
from archgen.yaml_marks import Marks, dotted, load_yaml

Loc = tuple[str | int, ...]


def load_spec(path: Path | str) -> Spec:
    """Load and validate a spec file; raise SpecError listing every problem found."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise SpecError([Problem(str(path), 0, 0, "", "no such file")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise SpecError([Problem(str(path), 0, 0, "", f"cannot read: {exc}")]) from None
    return parse_spec(text, str(path))


def parse_spec(text: str, file: str = "spec.yaml") -> Spec:
    """Validate spec text; ``file`` is only used in messages."""
    value, marks = load_yaml(text, file)
    return validate_document(value, file, marks)


def validate_document(value: Any, file: str, marks: Marks | None = None) -> Spec:
    """Validate a parsed spec document.

    With ``marks`` every problem is located; without them (a document edited in memory, as ``archgen explore``
    does) problems name only the field, since file positions would mislead.
    """
    if not isinstance(value, dict):
        got = "an empty file" if value is None else f"a {type(value).__name__}"
        line = 1 if marks else 0
        raise SpecError([Problem(file, line, line, "", f"a spec is a YAML mapping (name: …, workload: …), not {got}")])
    where = marks or Marks(file)
    try:
        spec = Spec.model_validate(value)
    except ValidationError as exc:
        problems = problems_from(exc, value, where, Spec)
        raise SpecError(problems if marks else [_unlocated(p) for p in problems]) from None
    problems = [Problem(file, *where.locate(loc), dotted(loc), message) for loc, message in cross_field_problems(spec)]
    if problems:
        raise SpecError(problems if marks else [_unlocated(p) for p in problems])
    return spec


def _unlocated(problem: Problem) -> Problem:
    return Problem(problem.file, 0, 0, problem.field, problem.message, problem.hint)


def cross_field_problems(spec: Spec) -> list[tuple[Loc, str]]:
    """Rules that involve more than one field, as (location, message) pairs."""
    found: list[tuple[Loc, str]] = []
    traffic = spec.traffic
    if traffic.average_rps is not None and traffic.average_rps > traffic.peak_rps:
        found.append((("traffic", "average_rps"), f"{traffic.average_rps:g} is above peak_rps ({traffic.peak_rps:g})"))
    allowed = spec.regions.allowed
    if allowed is not None and spec.regions.primary not in allowed:
        found.append((("regions", "allowed"), f"does not include the primary Region {spec.regions.primary!r}"))
    found += _duplicates(("regions", "allowed"), list(allowed or ()))
    found += _duplicates(("data",), [store.name for store in spec.data], "name")
    found += _duplicates(("services",), [service.name for service in spec.services or ()], "name")
    found += _duplicates(("compliance",), list(spec.compliance))
    for index, store in enumerate(spec.data):
        info = data_kinds()[store.kind]
        if store.engine is not None and store.engine not in info.engines:
            guess = nearest(store.engine, info.engines)
            hint = f"; did you mean {guess!r}?" if guess else ""
            found.append(
                (
                    ("data", index, "engine"),
                    f"{store.engine!r} is not an engine for {store.kind} data "
                    f"(one of: {', '.join(info.engines)}){hint}",
                )
            )
    if spec.workload == "static-site" and spec.edge.cdn == "none":
        found.append(
            (
                ("edge", "cdn"),
                "a static site needs a CDN: S3 website endpoints serve no HTTPS and need a public bucket "
                "(use auto, cloudfront or cloudflare)",
            )
        )
    if spec.workload in ("web-api", "web-app") and not any(s.public for s in spec.service_list):
        found.append((("services",), f"a {spec.workload} needs at least one service with public: true"))
    return found


def _duplicates(loc: Loc, values: list[Any], key: str | None = None) -> list[tuple[Loc, str]]:
    counts = Counter(values)
    seen: set[Any] = set()
    found: list[tuple[Loc, str]] = []
    for index, value in enumerate(values):
        if counts[value] > 1 and value in seen:
            where = (*loc, index, key) if key else (*loc, index)
            found.append((where, f"{value!r} appears more than once"))
        seen.add(value)
    return found
