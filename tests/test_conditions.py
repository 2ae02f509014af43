"""The blueprint condition language: every operator, missing facts, all/any/not and their reasons."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import BaseModel, TypeAdapter, ValidationError

from archgen.conditions import OPERATORS, Condition, Leaf, Not, Reason, fields_in
from archgen.validation import problems_from
from archgen.yaml_marks import Marks

ADAPTER: TypeAdapter[Any] = TypeAdapter(Condition)

FACTS: dict[str, Any] = {
    "workload": "web-api",
    "traffic.peak_rps": 100.0,
    "availability.slo": 99.9,
    "data.kinds": ["cache", "relational"],
    "compliance": [],
    "team.kubernetes": False,
    "budget.monthly_usd": None,
}


def condition(raw: dict[str, Any]) -> Any:
    return ADAPTER.validate_python(raw)


def evaluate(raw: dict[str, Any], facts: dict[str, Any] | None = None) -> tuple[bool, list[Reason]]:
    result: tuple[bool, list[Reason]] = condition(raw).evaluate(FACTS if facts is None else facts)
    return result


def test_operator_table_is_complete() -> None:
    assert set(OPERATORS) == {
        "eq",
        "ne",
        "in",
        "not_in",
        "lt",
        "le",
        "gt",
        "ge",
        "contains",
        "contains_any",
        "subset_of",
        "is_set",
    }


@pytest.mark.parametrize(
    ("field", "op", "value", "expected"),
    [
        ("workload", "eq", "web-api", True),
        ("workload", "eq", "batch", False),
        ("team.kubernetes", "eq", False, True),
        ("workload", "ne", "batch", True),
        ("workload", "ne", "web-api", False),
        ("workload", "in", ["web-api", "web-app"], True),
        ("workload", "in", ["batch"], False),
        ("workload", "not_in", ["batch"], True),
        ("workload", "not_in", ["web-api"], False),
        ("traffic.peak_rps", "lt", 101, True),
        ("traffic.peak_rps", "lt", 100, False),
        ("traffic.peak_rps", "le", 100, True),
        ("traffic.peak_rps", "le", 99, False),
        ("traffic.peak_rps", "gt", 99, True),
        ("traffic.peak_rps", "gt", 100, False),
        ("traffic.peak_rps", "ge", 100, True),
        ("traffic.peak_rps", "ge", 100.5, False),
        ("data.kinds", "contains", "relational", True),
        ("data.kinds", "contains", "queue", False),
        ("data.kinds", "contains_any", ["queue", "cache"], True),
        ("data.kinds", "contains_any", ["queue", "stream"], False),
        ("data.kinds", "subset_of", ["cache", "relational", "queue"], True),
        ("data.kinds", "subset_of", ["cache"], False),
        ("compliance", "subset_of", [], True),
        ("compliance", "contains_any", ["gdpr"], False),
        ("traffic.peak_rps", "is_set", True, True),
        ("traffic.peak_rps", "is_set", False, False),
        ("budget.monthly_usd", "is_set", True, False),
        ("budget.monthly_usd", "is_set", False, True),
    ],
)
def test_operator(field: str, op: str, value: Any, expected: bool) -> None:
    passed, reasons = evaluate({"field": field, "op": op, "value": value})
    assert passed is expected
    assert reasons == [Reason(reasons[0].text, expected)]


@pytest.mark.parametrize("op", ["lt", "le", "gt", "ge"])
@pytest.mark.parametrize("field", ["budget.monthly_usd", "no.such.fact"])
def test_comparisons_on_a_missing_value_are_false(op: str, field: str) -> None:
    for value in (-(10**9), 0, 10**9):
        assert evaluate({"field": field, "op": op, "value": value})[0] is False


def test_not_of_a_comparison_on_a_missing_value_holds() -> None:
    # the kubernetes blueprint relies on this: "not (budget below 500)" holds when no budget is given
    raw = {"not": {"field": "budget.monthly_usd", "op": "lt", "value": 500}}
    assert evaluate(raw)[0] is True
    assert evaluate(raw, {**FACTS, "budget.monthly_usd": 100})[0] is False
    assert evaluate(raw, {**FACTS, "budget.monthly_usd": 500})[0] is True


@pytest.mark.parametrize(
    ("op", "value", "expected"),
    [
        ("eq", None, True),
        ("eq", 1, False),
        ("in", [1], False),
        ("not_in", [1], True),
        ("contains", "x", False),
        ("contains_any", ["x"], False),
        ("subset_of", ["x"], True),
        ("is_set", True, False),
    ],
)
def test_other_operators_on_a_missing_list_or_value(op: str, value: Any, expected: bool) -> None:
    assert evaluate({"field": "budget.monthly_usd", "op": op, "value": value})[0] is expected


@pytest.mark.parametrize(
    ("raw", "text"),
    [
        ({"field": "workload", "op": "eq", "value": "batch"}, "workload is web-api; wanted equal to batch"),
        ({"field": "traffic.peak_rps", "op": "le", "value": 10000.0}, "traffic.peak_rps is 100; wanted at most 10000"),
        ({"field": "availability.slo", "op": "gt", "value": 99}, "availability.slo is 99.9; wanted above 99"),
        ({"field": "team.kubernetes", "op": "eq", "value": True}, "team.kubernetes is false; wanted equal to true"),
        ({"field": "budget.monthly_usd", "op": "lt", "value": 200}, "budget.monthly_usd is not set; wanted below 200"),
        (
            {"field": "data.kinds", "op": "subset_of", "value": ["cache"]},
            "data.kinds is [cache, relational]; wanted a list drawn only from [cache]",
        ),
        ({"field": "workload", "op": "in", "value": ["a", "b"]}, "workload is web-api; wanted one of [a, b]"),
        ({"field": "workload", "op": "not_in", "value": ["a"]}, "workload is web-api; wanted none of [a]"),
        ({"field": "workload", "op": "ne", "value": "a"}, "workload is web-api; wanted not equal to a"),
        ({"field": "traffic.peak_rps", "op": "ge", "value": 1}, "traffic.peak_rps is 100; wanted at least 1"),
        (
            {"field": "data.kinds", "op": "contains", "value": "x"},
            "data.kinds is [cache, relational]; wanted a list containing x",
        ),
        (
            {"field": "data.kinds", "op": "contains_any", "value": ["x"]},
            "data.kinds is [cache, relational]; wanted a list containing any of [x]",
        ),
        (
            {"field": "budget.monthly_usd", "op": "is_set", "value": True},
            "budget.monthly_usd is not set; wanted set: true",
        ),
        (
            {"field": "workload", "op": "eq", "value": "web-api", "why": "because"},
            "workload is web-api; wanted equal to web-api — because",
        ),
    ],
)
def test_leaf_reason_text(raw: dict[str, Any], text: str) -> None:
    (reason,) = evaluate(raw)[1]
    assert reason.text == text


YES = {"field": "workload", "op": "eq", "value": "web-api"}
NO = {"field": "workload", "op": "eq", "value": "batch"}
NO2 = {"field": "team.kubernetes", "op": "eq", "value": True}


def test_all_holds_only_when_every_child_holds_and_keeps_every_reason() -> None:
    passed, reasons = evaluate({"all": [YES, NO, NO2]})
    assert passed is False
    assert [(r.text.split(";")[0], r.passed) for r in reasons] == [
        ("workload is web-api", True),
        ("workload is web-api", False),
        ("team.kubernetes is false", False),
    ]
    passed, reasons = evaluate({"all": [YES, YES]})
    assert passed is True
    assert [r.passed for r in reasons] == [True, True]


def test_any_that_holds_explains_with_the_holding_children_only() -> None:
    passed, reasons = evaluate({"any": [NO, YES, NO2]})
    assert passed is True
    assert reasons == [Reason("workload is web-api; wanted equal to web-api", True)]


def test_any_that_fails_keeps_every_failing_reason() -> None:
    passed, reasons = evaluate({"any": [NO, NO2]})
    assert passed is False
    assert [r.passed for r in reasons] == [False, False]
    assert len(reasons) == 2


def test_not_inverts_the_result_and_each_reason() -> None:
    passed, reasons = evaluate({"not": NO})
    assert passed is True
    assert reasons == [Reason("not (workload is web-api; wanted equal to batch)", True)]
    passed, reasons = evaluate({"not": {"all": [YES, NO]}})
    assert passed is True
    assert [(r.text[:5], r.passed) for r in reasons] == [("not (", False), ("not (", True)]


def test_nesting() -> None:
    raw = {"all": [YES, {"any": [NO, {"not": NO2}]}, {"not": {"any": [NO, NO2]}}]}
    passed, reasons = evaluate(raw)
    assert passed is True
    assert all(r.passed for r in reasons)
    assert fields_in(condition(raw)) == ["workload", "workload", "team.kubernetes", "workload", "team.kubernetes"]


def test_the_union_picks_the_node_by_its_key() -> None:
    assert isinstance(condition(YES), Leaf)
    assert isinstance(condition({"not": YES}), Not)
    assert type(condition({"all": [YES]})).__name__ != type(condition({"any": [YES]})).__name__
    assert condition({"all": [YES]}).evaluate(FACTS)[0] is True
    assert condition({"any": [NO]}).evaluate(FACTS)[0] is False


def test_already_built_conditions_validate_again() -> None:
    built = condition({"all": [YES, {"not": NO}]})
    assert ADAPTER.validate_python(built) == built


def _errors(raw: Any) -> list[Any]:
    with pytest.raises(ValidationError) as caught:
        condition(raw)
    return caught.value.errors()


def test_bad_op_is_one_error() -> None:
    (error,) = _errors({"field": "workload", "op": "equals", "value": "x"})
    assert error["type"] == "literal_error"
    assert error["loc"][-1] == "op"


def test_bad_op_inside_not_is_one_error() -> None:
    (error,) = _errors({"not": {"not": {"field": "workload", "op": "bogus"}}})
    assert error["type"] == "literal_error"
    assert error["input"] == "bogus"


def test_bad_op_beside_a_good_sibling_is_one_error() -> None:
    (error,) = _errors({"all": [YES, {"not": {"field": "workload", "op": "bogus"}}]})
    assert error["type"] == "literal_error"


class _Holder(BaseModel):
    when: Condition


@pytest.mark.parametrize("key", ["all", "any"])
def test_bad_op_inside_all_or_any_is_one_problem_for_the_author(key: str) -> None:
    """pydantic also reports the emptied tuple as too short; the located problems keep only the real one."""
    document = {"when": {key: [{"field": "workload", "op": "bogus"}]}}
    with pytest.raises(ValidationError) as caught:
        _Holder.model_validate(document)
    (problem,) = problems_from(caught.value, document, Marks("blueprint.yaml"), _Holder)
    assert problem.field == f"when.{key}[0].op"
    assert "'bogus' is not one of" in problem.message


@pytest.mark.parametrize(
    ("raw", "kind"),
    [
        ({"field": "workload", "op": "eq", "valeu": 1}, "extra_forbidden"),
        ({"op": "eq", "value": 1}, "missing"),
        ({"all": []}, "too_short"),
        ({"any": []}, "too_short"),
        ({"all": [YES], "extra": 1}, "extra_forbidden"),
    ],
)
def test_shape_errors_are_one_each(raw: dict[str, Any], kind: str) -> None:
    (error,) = _errors(raw)
    assert error["type"] == kind


def test_leaves_are_frozen() -> None:
    leaf = condition(YES)
    with pytest.raises(ValidationError):
        leaf.op = "ne"
