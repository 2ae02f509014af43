"""YAML loading with positions: every value and key has a 1-based line and column; bad YAML is located."""

from __future__ import annotations

import pytest

from archgen.errors import SpecError
from archgen.yaml_marks import MAX_VALUES, Marks, dotted, load_yaml

DOCUMENT = """\
name: shop
traffic:
  peak_rps: 100
data:
  - name: orders
    kind: relational
  - {name: cache, kind: cache}
"""


def test_values_and_keys_are_marked() -> None:
    value, marks = load_yaml(DOCUMENT, "f.yaml")
    assert value == {
        "name": "shop",
        "traffic": {"peak_rps": 100},
        "data": [{"name": "orders", "kind": "relational"}, {"name": "cache", "kind": "cache"}],
    }
    assert marks.file == "f.yaml"
    assert marks.values[()] == (1, 1)
    assert marks.values[("name",)] == (1, 7)
    assert marks.keys[("name",)] == (1, 1)
    assert marks.keys[("traffic", "peak_rps")] == (3, 3)
    assert marks.values[("traffic", "peak_rps")] == (3, 13)
    assert marks.values[("data", 0)] == (5, 5)
    assert marks.keys[("data", 0, "kind")] == (6, 5)
    assert marks.values[("data", 0, "kind")] == (6, 11)
    assert marks.values[("data", 1)] == (7, 5)
    assert marks.values[("data", 1, "kind")] == (7, 25)


def test_locate_falls_back_to_the_nearest_enclosing_value() -> None:
    _, marks = load_yaml(DOCUMENT, "f.yaml")
    # a missing key is reported where its parent mapping starts
    assert marks.locate(("traffic", "average_rps")) == (3, 3)
    assert marks.locate(("data", 1, "engine")) == (7, 5)
    assert marks.locate(("traffic", "peak_rps"), key=True) == (3, 3)
    assert marks.locate(("nowhere", "at", "all")) == (1, 1)
    assert Marks("empty.yaml").locate(("x",)) == (1, 1)


@pytest.mark.parametrize(
    ("path", "text"),
    [((), ""), (("name",), "name"), (("data", 0, "kind"), "data[0].kind"), (("a", "b", 2), "a.b[2]"), ((3,), "[3]")],
)
def test_dotted(path: tuple[str | int, ...], text: str) -> None:
    assert dotted(path) == text


def test_duplicate_keys_are_reported_with_both_lines() -> None:
    text = "name: a\ntraffic:\n  peak_rps: 1\n  peak_rps: 2\nname: b\n"
    with pytest.raises(SpecError) as caught:
        load_yaml(text, "f.yaml")
    problems = caught.value.problems
    assert [(p.line, p.column, p.field) for p in problems] == [(4, 3, "traffic.peak_rps"), (5, 1, "name")]
    assert "first defined on line 3" in problems[0].message
    assert "first defined on line 1" in problems[1].message
    assert str(problems[1]).startswith("f.yaml:5:1: name: duplicate key")


def test_keys_that_differ_only_in_yaml_type_are_still_duplicates() -> None:
    with pytest.raises(SpecError, match="duplicate key"):
        load_yaml("1: x\n'1': y\n", "f.yaml")


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("name: shop\nworkload: [web-api\n", 3),  # the flow sequence is never closed; the scanner notices at the end
        ("name: shop\n  workload: web-api\n", 2),
        ("a: b\n\tc: d\n", 2),
        ('a: "unterminated\n', 2),
        ("a: b\n---\nc: d\n", 2),
    ],
)
def test_syntax_errors_are_located(text: str, line: int) -> None:
    with pytest.raises(SpecError) as caught:
        load_yaml(text, "f.yaml")
    (problem,) = caught.value.problems
    assert problem.line == line
    assert problem.file == "f.yaml"
    assert "YAML syntax error" in problem.message
    assert str(problem).startswith(f"f.yaml:{line}:")


def test_control_characters_are_a_located_error() -> None:
    with pytest.raises(SpecError, match=r"f\.yaml:1:1: YAML error: .*control characters"):
        load_yaml("a: \x07\n", "f.yaml")


def test_empty_document_is_none() -> None:
    assert load_yaml("", "f.yaml")[0] is None
    assert load_yaml("# only a comment\n", "f.yaml")[0] is None


def _alias_bomb(levels: int) -> str:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    for level in range(1, levels):
        refs = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{refs}]")
    return "\n".join(lines) + "\n"


def test_alias_bomb_is_capped() -> None:
    text = _alias_bomb(9)  # 10**9 values if expanded
    assert len(text) < 1000
    with pytest.raises(SpecError, match="too many values"):
        load_yaml(text, "bomb.yaml")


def test_aliases_below_the_cap_load() -> None:
    value, _ = load_yaml(_alias_bomb(3), "f.yaml")
    assert len(value["a2"]) == 10
    assert len(value["a2"][0]) == 10
    assert MAX_VALUES > 1111


@pytest.mark.parametrize("text", ["a: &a [*a]\n", "&a {b: *a}\n"])
def test_recursive_alias_is_a_located_error(text: str) -> None:
    with pytest.raises(SpecError):
        load_yaml(text, "f.yaml")


@pytest.mark.parametrize(
    "text", ["a: !!python/object:os.system x\n", "a: !custom x\n", "base: &b {x: 1}\nc:\n  <<: *b\n"]
)
def test_unknown_tags_are_a_located_error(text: str) -> None:
    with pytest.raises(SpecError):
        load_yaml(text, "f.yaml")
