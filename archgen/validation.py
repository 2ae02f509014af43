"""Turn pydantic validation errors on a YAML document into located, readable problems."""

from __future__ import annotations

import types
import typing
from typing import Any

from pydantic import BaseModel, ValidationError
from pydantic_core import ErrorDetails

from archgen.errors import Problem
from archgen.suggest import nearest
from archgen.yaml_marks import Marks, dotted

Loc = tuple[str | int, ...]


def problems_from(exc: ValidationError, document: Any, marks: Marks, model: type[BaseModel]) -> list[Problem]:
    """One Problem per pydantic error, located at the offending key or value of ``document``."""
    errors = exc.errors(include_url=False)
    # an error on a container caused by an error inside it (a tuple "too short" once its bad item is dropped)
    # says nothing new: keep the innermost
    locs = [tuple(error["loc"]) for error in errors]
    innermost = [
        error
        for error, loc in zip(errors, locs, strict=True)
        if not any(other != loc and other[: len(loc)] == loc for other in locs)
    ]
    return [_problem(error, document, marks, model) for error in innermost]


def _document_loc(document: Any, loc: tuple[str | int, ...]) -> Loc:
    """Drop the parts of a pydantic location that are not in the document (union tags such as ``leaf``)."""
    path: list[str | int] = []
    for index, part in enumerate(loc):
        if _has(document, part):
            document = document[part]
        elif not (index == len(loc) - 1 and isinstance(document, dict)):
            continue  # a union tag; the last part of a location may name a missing or unknown key, which stays
        path.append(part)
    return tuple(path)


def _has(document: Any, part: str | int) -> bool:
    if isinstance(document, dict):
        return part in document
    return isinstance(document, list) and isinstance(part, int) and part < len(document)


def _problem(error: ErrorDetails, document: Any, marks: Marks, model: type[BaseModel]) -> Problem:
    loc = _document_loc(document, tuple(error["loc"]))
    kind = error["type"]
    if kind == "extra_forbidden":
        known = sorted(_fields_at(model, loc[:-1]))
        guess = nearest(str(loc[-1]), known)
        hint = f"did you mean {guess!r}?" if guess else (f"known keys: {', '.join(known)}" if known else "")
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


def _value_at(document: Any, loc: Loc) -> Any:
    for part in loc:
        if not _has(document, part):
            return None
        document = document[part]
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
