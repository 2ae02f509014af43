"""Blueprints: data-only architecture patterns, one folder each under ``blueprints/``, validated at load.

A blueprint says when it fits (hard ``requires`` conditions and weighted ``prefers``), which compute models it
allows, its components and the edges between them, and its tunable defaults. Adding one needs no Python.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from archgen.components import ComputeChoice, component_catalogue
from archgen.conditions import Condition, fields_in
from archgen.errors import BlueprintError, Problem, SpecError
from archgen.facts import ALL_FACTS, SPEC_FACTS
from archgen.resources import blueprints_dir
from archgen.suggest import nearest
from archgen.validation import problems_from
from archgen.yaml_marks import dotted, load_yaml

# Placeholders a blueprint component may use instead of a fixed kind; the planner resolves them from decisions.
KIND_PLACEHOLDERS = ("compute.service", "data.store", "edge.cdn", "compute.entry")
# Edge endpoints may name a component id or one of these groups.
GROUPS = ("services", "public_services", "stores", "channels", "edge", "entry")


class Source(BaseModel):
    """The published pattern a blueprint follows."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    title: str
    url: str = Field(pattern=r"^https://")


class Preference(BaseModel):
    """A soft condition: when it holds, the blueprint scores ``weight`` points."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    when: Condition
    weight: int = Field(ge=1, le=10)


class ComponentTemplate(BaseModel):
    """A component of the pattern; ``for_each`` repeats it per service or data store (``{name}`` in the id)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1, pattern=r"^([a-z][a-z0-9-]*)?(\{name\})?[a-z0-9-]*$")
    kind: str
    for_each: Literal["services", "public_services", "stores"] | None = None
    when: Condition | None = None
    role: str = Field(default="", description="What the component does in this pattern, for DESIGN.md.")
    properties: dict[str, str | int | bool] = Field(
        default={}, description="Fixed properties of the component, e.g. what a bucket holds (contents: site)."
    )


class EdgeTemplate(BaseModel):
    """A connection between components, or groups of them (see ``GROUPS``; channels are queues and streams)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    source: str = Field(alias="from")
    target: str = Field(alias="to")
    label: str


class Blueprint(BaseModel):
    """One architecture pattern."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(pattern=r"^[a-z][a-z0-9-]*$")
    title: str
    summary: str
    source: Source
    complexity: int = Field(ge=1, le=5, description="Operational complexity; the simpler blueprint wins a tie.")
    compute: tuple[ComputeChoice, ...] = Field(min_length=1, description="Compute models allowed, preferred first.")
    requires: Condition
    prefers: tuple[Preference, ...] = ()
    components: tuple[ComponentTemplate, ...]
    edges: tuple[EdgeTemplate, ...] = ()
    defaults: dict[str, float | int | str | bool] = Field(default_factory=dict)
    readme: str = Field(default="", exclude=True)


def load_blueprint(folder: Path) -> Blueprint:
    """Load and check ``folder/blueprint.yaml``; raise BlueprintError with located problems."""
    path = folder / "blueprint.yaml"
    try:
        value, marks = load_yaml(path.read_text(encoding="utf-8"), str(path))
    except SpecError as exc:
        raise BlueprintError(exc.problems) from None
    try:
        blueprint = Blueprint.model_validate(value)
    except ValidationError as exc:
        raise BlueprintError(problems_from(exc, value, marks, Blueprint)) from None
    problems = [
        Problem(str(path), *marks.locate(loc), dotted(loc), message) for loc, message in _check(blueprint, folder.name)
    ]
    if problems:
        raise BlueprintError(problems)
    readme = folder / "README.md"
    if readme.exists():
        blueprint = blueprint.model_copy(update={"readme": readme.read_text(encoding="utf-8")})
    return blueprint


Found = list[tuple[tuple[str | int, ...], str]]


def _check(blueprint: Blueprint, folder: str) -> Found:
    """Rules the model alone cannot express: id matches the folder, known facts, kinds and component ids."""
    found: Found = []
    if blueprint.id != folder:
        found.append((("id",), f"{blueprint.id!r} must equal the folder name {folder!r}"))
    for loc, condition, allowed in _conditions(blueprint):
        for name in fields_in(condition):
            if name not in allowed:
                guess = nearest(name, allowed)
                found.append((loc, f"unknown fact {name!r}" + (f"; did you mean {guess!r}?" if guess else "")))
    return found + _check_components(blueprint)


def _check_components(blueprint: Blueprint) -> Found:
    found: Found = []
    kinds = set(component_catalogue().kinds) | set(KIND_PLACEHOLDERS)
    ids = set()
    for index, component in enumerate(blueprint.components):
        if component.kind not in kinds:
            found.append((("components", index, "kind"), f"unknown component kind {component.kind!r}"))
        if ("{name}" in component.id) != (component.for_each is not None):
            found.append((("components", index, "id"), "use {name} in the id exactly when for_each is set"))
        if component.id in ids:
            found.append((("components", index, "id"), f"duplicate component id {component.id!r}"))
        ids.add(component.id)
    for index, edge in enumerate(blueprint.edges):
        for end, key in ((edge.source, "from"), (edge.target, "to")):
            if end not in ids and end not in GROUPS:
                found.append((("edges", index, key), f"{end!r} is neither a component id nor a group {GROUPS}"))
    return found


def _conditions(blueprint: Blueprint) -> list[tuple[tuple[str | int, ...], Condition, list[str]]]:
    spec_only, everything = sorted(SPEC_FACTS), sorted(ALL_FACTS)
    found: list[tuple[tuple[str | int, ...], Condition, list[str]]] = [(("requires",), blueprint.requires, spec_only)]
    found += [(("prefers", i, "when"), p.when, spec_only) for i, p in enumerate(blueprint.prefers)]
    found += [(("components", i, "when"), c.when, everything) for i, c in enumerate(blueprint.components) if c.when]
    return found


@cache
def blueprint_library() -> tuple[Blueprint, ...]:
    """Every blueprint under ``blueprints/``, sorted by id (found by glob: a new folder is a new blueprint)."""
    folders = sorted(path.parent for path in blueprints_dir().glob("*/blueprint.yaml"))
    problems: list[Problem] = []
    library = []
    for folder in folders:
        try:
            library.append(load_blueprint(folder))
        except BlueprintError as exc:
            problems += exc.problems
    if problems:
        raise BlueprintError(problems)
    return tuple(library)


def get_blueprint(blueprint_id: str) -> Blueprint:
    """One blueprint by id; an unknown id is a user error with a suggestion."""
    library = {blueprint.id: blueprint for blueprint in blueprint_library()}
    if blueprint_id not in library:
        guess = nearest(blueprint_id, library)
        hint = f"did you mean {guess!r}?" if guess else f"known: {', '.join(library)}"
        raise SpecError([Problem("blueprints", 0, 0, "", f"no blueprint {blueprint_id!r}", hint)])
    return library[blueprint_id]


def component_id(template_id: str, name: str) -> str:
    """The id of one expansion of a for_each component."""
    return re.sub(r"\{name\}", name, template_id)
