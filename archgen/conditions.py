"""A tiny closed condition language for blueprints: ``all`` / ``any`` / ``not`` over ``{field, op, value}`` leaves.

Every evaluation yields human-readable reasons, so ``archgen explain`` can say why a blueprint won or lost. Fields
are facts about the spec (and, for component conditions, about the decisions already taken); see ``archgen.facts``.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

Op = Literal["eq", "ne", "in", "not_in", "lt", "le", "gt", "ge", "contains", "contains_any", "subset_of", "is_set"]


def _compare(test: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    """Comparisons are false on a missing value (an unset budget is neither above nor below anything)."""
    return lambda actual, wanted: actual is not None and test(actual, wanted)


# The one operator table: op → (test, phrase used in reasons).
OPERATORS: dict[str, tuple[Callable[[Any, Any], bool], str]] = {
    "eq": (lambda a, w: a == w, "equal to"),
    "ne": (lambda a, w: a != w, "not equal to"),
    "in": (lambda a, w: a in w, "one of"),
    "not_in": (lambda a, w: a not in w, "none of"),
    "lt": (_compare(lambda a, w: a < w), "below"),
    "le": (_compare(lambda a, w: a <= w), "at most"),
    "gt": (_compare(lambda a, w: a > w), "above"),
    "ge": (_compare(lambda a, w: a >= w), "at least"),
    "contains": (lambda a, w: w in (a or ()), "a list containing"),
    "contains_any": (lambda a, w: bool(set(a or ()) & set(w)), "a list containing any of"),
    "subset_of": (lambda a, w: set(a or ()) <= set(w), "a list drawn only from"),
    "is_set": (lambda a, w: (a is not None) == w, "set:"),
}


@dataclass(frozen=True)
class Reason:
    """One evaluated leaf: what was checked, whether it held, and the human sentence for it."""

    text: str
    passed: bool


class Leaf(BaseModel):
    """``{field, op, value}``, with an optional ``why`` explaining the rule to a reader."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    field: str
    op: Op
    value: Any = None
    why: str = ""

    def evaluate(self, facts: Mapping[str, Any]) -> tuple[bool, list[Reason]]:
        """Whether the leaf holds for these facts, with its reason."""
        actual = facts.get(self.field)
        test, phrase = OPERATORS[self.op]
        passed = bool(test(actual, self.value))
        text = f"{self.field} is {_show(actual)}; wanted {phrase} {_show(self.value)}"
        if self.why:
            text += f" — {self.why}"
        return passed, [Reason(text, passed)]


class AllOf(BaseModel):
    """Holds when every child holds."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    all: tuple[Condition, ...] = Field(min_length=1)

    def evaluate(self, facts: Mapping[str, Any]) -> tuple[bool, list[Reason]]:
        """All children, every reason kept."""
        results = [child.evaluate(facts) for child in self.all]
        return all(ok for ok, _ in results), [reason for _, reasons in results for reason in reasons]


class AnyOf(BaseModel):
    """Holds when at least one child holds."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    any: tuple[Condition, ...] = Field(min_length=1)

    def evaluate(self, facts: Mapping[str, Any]) -> tuple[bool, list[Reason]]:
        """Any child; when one holds, only the holding children explain why."""
        results = [child.evaluate(facts) for child in self.any]
        passed = any(ok for ok, _ in results)
        return passed, [reason for ok, reasons in results if ok == passed for reason in reasons]


class Not(BaseModel):
    """Holds when its child does not."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    not_: Condition = Field(alias="not")

    def evaluate(self, facts: Mapping[str, Any]) -> tuple[bool, list[Reason]]:
        """The child's result inverted; each reason is prefixed with 'not'."""
        ok, reasons = self.not_.evaluate(facts)
        return not ok, [Reason(f"not ({reason.text})", not reason.passed) for reason in reasons]


def _shape(value: Any) -> str:
    """Which node a mapping is, from its keys, so a bad leaf gets one error instead of one per node type."""
    if isinstance(value, dict):
        for key in ("all", "any", "not"):
            if key in value:
                return key
        return "leaf"
    for key, model in (("all", AllOf), ("any", AnyOf), ("not", Not)):
        if isinstance(value, model):
            return key
    return "leaf"


Condition = Annotated[
    Annotated[AllOf, Tag("all")]
    | Annotated[AnyOf, Tag("any")]
    | Annotated[Not, Tag("not")]
    | Annotated[Leaf, Tag("leaf")],
    Discriminator(_shape),
]


def fields_in(condition: Condition) -> list[str]:
    """Every fact a condition reads (blueprint loading checks them against the known facts)."""
    if isinstance(condition, Leaf):
        return [condition.field]
    if isinstance(condition, Not):
        return fields_in(condition.not_)
    children = condition.all if isinstance(condition, AllOf) else condition.any
    return [name for child in children for name in fields_in(child)]


def _show(value: Any) -> str:
    if isinstance(value, bool) or value is None:
        return {True: "true", False: "false", None: "not set"}[value]
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, list | tuple):
        return "[" + ", ".join(_show(item) for item in value) + "]"
    return str(value)


for _model in (AllOf, AnyOf, Not):
    _model.model_rebuild()
