"""Escaping filters: free text from a spec cannot break out of Markdown, HCL, YAML or JSON."""

from __future__ import annotations

import json
import re

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st

from archgen.render.escape import hcl_string, json_string, md, md_code, md_paragraphs, sentence, yaml_string

HOSTILE = [
    "a | b | c",
    "`code` and ``double``",
    "<script>alert(1)</script>",
    "${x} and %{if x}y%{endif} and $${kept}",
    "line one\nline two\r\nline three",
    "# heading",
    "1. first",
    "1) first",
    "- item",
    "+ item",
    "* item",
    "> quote",
    "[link](https://evil.example) ![img](x)",
    "**bold** _em_ ~~strike~~",
    "back\\slash \\| \\`",
    "&amp; &lt;",
    "<!-- comment -->",
    "\"quotes\" and 'single'",
    "tab\there",
    "unicode — 漢字 😀",
    "",
]

# Where a line of Markdown would start a block (heading, quote, list, fence, HTML, thematic break, setext underline).
BLOCK_START = re.compile(
    r"^ {0,3}(#{1,6}(\s|$)|>|[-+*](\s|$)|\d{1,9}[.)](\s|$)|`{3,}|~{3,}|<"
    r"|(?P<rule>[-*_])( *(?P=rule)){2,} *$|=+ *$|-+ *$)"
)


def unescaped(text: str, char: str) -> list[int]:
    """Positions of ``char`` not preceded by an odd number of backslashes."""
    found = []
    for index, current in enumerate(text):
        if current == char:
            backslashes = len(text[:index]) - len(text[:index].rstrip("\\"))
            if backslashes % 2 == 0:
                found.append(index)
    return found


@pytest.mark.parametrize("text", HOSTILE)
def test_md_is_one_safe_line(text: str) -> None:
    out = md(text)
    assert "\n" not in out
    assert "\r" not in out
    assert unescaped(out, "|") == []
    assert unescaped(out, "`") == []
    assert "<" not in out
    assert ">" not in out
    assert not BLOCK_START.match(out), out


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("a|b", "a\\|b"),
        ("# h", "\\# h"),
        ("1. x", "1\\. x"),
        ("- a", "\\- a"),
        ("<b>", "&lt;b&gt;"),
        ("a & b", "a &amp; b"),
        ("x\n\ny", "x y"),
        ("`x`", "\\`x\\`"),
        ("${x}", "${x}"),
    ],
)
def test_md_examples(text: str, expected: str) -> None:
    assert md(text) == expected


@pytest.mark.parametrize("text", ["---", "-----", "--- "])
def test_md_escapes_a_thematic_break(text: str) -> None:
    assert not BLOCK_START.match(md(text))


def test_md_accepts_non_strings() -> None:
    assert md(99.9) == "99.9"
    assert md(None) == "None"


@given(st.text())
def test_md_never_has_a_newline_or_an_unescaped_pipe(text: str) -> None:
    out = md(text)
    assert "\n" not in out
    assert "\r" not in out
    assert unescaped(out, "|") == []
    assert "<" not in out


def test_md_paragraphs_keeps_paragraphs_only() -> None:
    out = md_paragraphs("First line\nsame paragraph.\n\n\n# Not a heading\n\n  \n| not | a table |\n")
    assert out == "First line same paragraph.\n\n\\# Not a heading\n\n\\| not \\| a table \\|"


def test_sentence() -> None:
    assert sentence("the cheapest") == "The cheapest"
    assert sentence("") == ""


@pytest.mark.parametrize("text", HOSTILE)
def test_md_code_holds_any_text(text: str) -> None:
    out = md_code(text)
    assert "\n" not in out
    fence = re.match(r"`+", out)
    assert fence is not None
    ticks = fence.group(0)
    assert out.endswith(ticks)
    inner = out[len(ticks) : -len(ticks)]
    # no backtick run inside is as long as the fence, so the span cannot close early
    assert all(len(run) < len(ticks) for run in re.findall(r"`+", inner))
    # CommonMark strips one space on each side when both are present
    if inner.startswith(" ") and inner.endswith(" ") and inner.strip():
        inner = inner[1:-1]
    assert inner.strip() == " ".join(text.split())


@pytest.mark.parametrize(
    ("text", "expected"), [("a", "`a`"), ("a`b", "``a`b``"), ("`a``", "``` `a`` ```"), ("a\n  b", "`a b`")]
)
def test_md_code_examples(text: str, expected: str) -> None:
    assert md_code(text) == expected


@pytest.mark.parametrize("text", HOSTILE)
def test_json_string_round_trips(text: str) -> None:
    assert json.loads(json_string(text)) == text


@given(st.text())
def test_json_string_round_trips_anything(text: str) -> None:
    out = json_string(text)
    assert out.startswith('"')
    assert out.endswith('"')
    assert json.loads(out) == text


@given(st.text(alphabet=st.characters(max_codepoint=0xFFFF, exclude_categories=["Cs"])))
def test_yaml_string_round_trips_through_yaml(text: str) -> None:
    out = yaml_string(text)
    assert "\n" not in out
    assert yaml.safe_load(out) == text
    assert yaml.safe_load(f"key: {out}\n") == {"key": text}


@pytest.mark.parametrize("text", [t for t in HOSTILE if all(ord(c) <= 0xFFFF for c in t)])
def test_yaml_string_hostile(text: str) -> None:
    assert yaml.safe_load(f"description: {yaml_string(text)}\nname: x\n") == {"description": text, "name": "x"}


@pytest.mark.parametrize("text", ["😀", "unicode — 漢字 😀", "𝔘𝔫𝔦"])
def test_yaml_string_keeps_astral_characters(text: str) -> None:
    assert yaml.safe_load(yaml_string(text)) == text


def decode_hcl(literal: str) -> str:
    """A small decoder for an HCL quoted template string: escapes, and no live ``${`` or ``%{`` sequence."""
    assert literal.startswith('"')
    assert literal.endswith('"')
    body = literal[1:-1]
    out = []
    index = 0
    simple = {"n": "\n", "r": "\r", "t": "\t", '"': '"', "\\": "\\"}
    while index < len(body):
        char = body[index]
        if char == "\\":
            code = body[index + 1]
            if code in simple:
                out.append(simple[code])
                index += 2
            elif code == "u":
                out.append(chr(int(body[index + 2 : index + 6], 16)))
                index += 6
            elif code == "U":
                out.append(chr(int(body[index + 2 : index + 10], 16)))
                index += 10
            else:
                raise ValueError(f"invalid HCL escape \\{code}")
        elif body.startswith(("$${", "%%{"), index):
            out.append(body[index] + "{")
            index += 3
        elif body.startswith(("${", "%{"), index):
            raise ValueError(f"live template sequence at {index}: {body!r}")
        elif char == '"':
            raise ValueError("unescaped quote")
        else:
            out.append(char)
            index += 1
    return "".join(out)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("${var.x}", '"$${var.x}"'), ("%{if x}", '"%%{if x}"'), ('say "hi"', '"say \\"hi\\""'), ("a\nb", '"a\\nb"')],
)
def test_hcl_string_examples(text: str, expected: str) -> None:
    assert hcl_string(text) == expected


@pytest.mark.parametrize("text", HOSTILE)
def test_hcl_string_cannot_interpolate(text: str) -> None:
    assert decode_hcl(hcl_string(text)) == text


@given(st.text(alphabet=st.characters(exclude_categories=["Cs", "Cc"]) | st.sampled_from(["$", "%", "{", "\\", '"'])))
def test_hcl_string_round_trips(text: str) -> None:
    assert decode_hcl(hcl_string(text)) == text


@pytest.mark.parametrize("text", ["a\bb", "page\fbreak"])
def test_hcl_string_control_characters(text: str) -> None:
    assert decode_hcl(hcl_string(text)) == text
