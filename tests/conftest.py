"""Shared test fixtures. ``pytest --update-golden`` regenerates the golden files instead of comparing."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true", help="rewrite tests/golden/ from the current output")


@pytest.fixture
def update_golden(request: pytest.FixtureRequest) -> bool:
    """True when the run should rewrite golden files."""
    return bool(request.config.getoption("--update-golden"))


@pytest.fixture
def write_spec(tmp_path: Path):  # type: ignore[no-untyped-def]
    """Write spec text to a file in a temporary folder and return its path."""

    def write(text: str, name: str = "spec.yaml") -> Path:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return path

    return write


MINIMAL_SPEC = """\
name: shop
workload: web-api
traffic:
  peak_rps: 100
availability:
  slo: 99.9
  rto: 4h
  rpo: 1h
regions:
  primary: us-east-1
"""


@pytest.fixture
def minimal_spec() -> str:
    """The smallest valid spec."""
    return MINIMAL_SPEC
