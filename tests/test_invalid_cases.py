"""Every spec under tests/invalid/ must fail `archgen design` with exit code 2 and the messages it names.

Each file says what it expects in comment lines:

- ``# expect-error: <fragment>``: the fragment appears in the output (case-insensitive); a fragment starting with
  ``re:`` is a regular expression searched for instead (also case-insensitive). At least one per file.
- ``# xfail: <reason>``: a known bug makes the case fail for now (strict, so a fix is noticed).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from archgen.cli import app

INVALID = Path(__file__).resolve().parent / "invalid"
CASES = sorted(INVALID.glob("*.yaml"))
EXPECT = re.compile(r"^#\s*expect-error:\s*(.+?)\s*$", re.M)
XFAIL = re.compile(r"^#\s*xfail:\s*(.+?)\s*$", re.M)


def _params() -> list[object]:
    params: list[object] = []
    for path in CASES:
        reason = XFAIL.search(path.read_text(encoding="utf-8"))
        marks = [pytest.mark.xfail(reason=reason.group(1), strict=True)] if reason else []
        params.append(pytest.param(path, id=path.stem, marks=marks))
    return params


def test_there_are_enough_cases() -> None:
    assert len(CASES) >= 12
    for path in CASES:
        assert EXPECT.findall(path.read_text(encoding="utf-8")), f"{path.name} names no expected error"


def fragment_found(fragment: str, output: str) -> bool:
    if fragment.startswith("re:"):
        return re.search(fragment[3:], output, re.I | re.M) is not None
    return fragment.lower() in output.lower()


@pytest.mark.parametrize("path", _params())
def test_invalid_spec(path: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("ARCHGEN_DEBUG", raising=False)
    out = tmp_path / "out"
    result = CliRunner().invoke(app, ["design", str(path), "--out", str(out)])
    output = result.output
    missing = [
        fragment
        for fragment in EXPECT.findall(path.read_text(encoding="utf-8"))
        if not fragment_found(fragment, output)
    ]
    assert result.exit_code == 2, output
    assert missing == [], output
    assert "Traceback" not in output
    assert "internal error" not in output
    assert result.stdout == ""
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("fragment", "output", "found"),
    [
        ("Did You Mean 'rto'", "x: did you mean 'rto'?", True),
        ("re:^f\\.yaml:\\d+:3: ", "f.yaml:12:3: x", True),
        ("re:^f\\.yaml:\\d+:3: ", "g.yaml:12:3: x", False),
        ("absent", "present", False),
    ],
)
def test_fragment_matching(fragment: str, output: str, found: bool) -> None:
    assert fragment_found(fragment, output) is found
