"""Read a spec file and turn every problem in it into a located, compiler-style message.

Type and value problems come from pydantic (all of them in one pass); the cross-field rules below run once the
spec parses. Either way the user gets every problem at once, each as ``file:line:col: field: message``.
"""

from __future__ import annotations

import types
import typing
from collections import Counter
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from archgen.data_kinds import data_kinds
from archgen.errors import Problem, SpecError
from archgen.spec import Spec
from archgen.suggest import nearest
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
    if not isinstance(value, dict):
        got = "an empty file" if value is None else f"a {type(value).__name__}"
        raise SpecError([Problem(file, 1, 1, "", f"a spec is a YAML mapping (name: …, workload: …), not {got}")])
    try:
        spec = Spec.model_validate(value)
    except ValidationError as exc:
        raise SpecError([_problem(error, value, marks) for error in exc.errors(include_url=False)]) from None
    problems = [Problem(file, *marks.locate(loc), dotted(loc), message) for loc, message in cross_field_problems(spec)]
    if problems:
        raise SpecError(problems)
    return spec


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
                (("data", index, "engine"), f"{store.engine!r} is not an engine for {store.kind} data "
                 f"(one of: {', '.join(info.engines)}){hint}")
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


def _problem(error: ErrorDetails, document: Any, marks: Marks) -> Problem:
    loc: Loc = tuple(part for part in error["loc"] if not _is_union_tag(part))
    kind = error["type"]
    if kind == "extra_forbidden":
        key = str(loc[-1])
        known = sorted(_fields_at(Spec, loc[:-1]))
        guess = nearest(key, known)
        hint = f"did you mean {guess!r}?" if guess else f"known keys: {', '.join(known)}"
        return Problem(marks.file, *marks.locate(loc, key=True), dotted(loc), "unknown key", hint)
    if kind == "missing":
        return Problem(marks.file, *marks.locate(loc), dotted(loc), "is required")
    return Problem(marks.file, *marks.locate(loc), dotted(loc), _message(error, _value_at(document, loc)))


def _message(error: ErrorDetails, value: Any) -> str:
    kind, text = error["type"], error["msg"]
    if kind == "literal_error":
        expected = str(error.get("ctx", {}).get("expected", ""))
        choices = [part.strip(" '") for part in expected.replace(" or ", ", ").split(",")]
        guess = nearest(str(value), choices) if isinstance(value, str) else None
        hint = f"; did you mean {guess!r}?" if guess else ""
        return f"{value!r} is not one of: {', '.join(choices)}{hint}"
    if kind in ("duration", "region", "dns_label"):
        return text
    text = text.replace("Input should be", "must be").replace("String should", "must")
    text = text.replace("Value error, ", "")
    return f"{value!r}: {text}" if value is not None and not isinstance(value, dict | list) else text


def _is_union_tag(part: str | int) -> bool:
    # pydantic names union members in error locations ("list[...]", "function-before[...]"); users never see those
    return isinstance(part, str) and ("[" in part or part in ("none", "int", "str"))


def _value_at(document: Any, loc: Loc) -> Any:
    for part in loc:
        if isinstance(document, dict) and part in document:
            document = document[part]
        elif isinstance(document, list) and isinstance(part, int) and part < len(document):
            document = document[part]
        else:
            return None
    return document


def _fields_at(model: type[BaseModel], loc: Loc) -> set[str]:
    """The keys a spec may use at ``loc`` (for 'did you mean')."""
    current: Any = model
    for part in loc:
        if isinstance(part, int):
            continue
        field = current.model_fields.get(part) if _is_model(current) else None
        if field is None:
            return set()
        current = _model_in(field.annotation)
    return set(current.model_fields) if _is_model(current) else set()


def _is_model(value: Any) -> bool:
    return isinstance(value, type) and issubclass(value, BaseModel)


def _model_in(annotation: Any) -> Any:
    """The BaseModel inside ``Foo | None``, ``tuple[Foo, ...]`` and the like."""
    if _is_model(annotation):
        return annotation
    if isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is not None:
        for arg in typing.get_args(annotation):
            found = _model_in(arg)
            if found is not None:
                return found
    return None
