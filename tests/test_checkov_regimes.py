"""Every example under every compliance regime passes checkov with zero failed checks (issue 6).

The spec's own ``compliance:`` (often none) is covered by tests/test_terraform.py::test_checkov_finds_nothing; here
each example is re-planned with each regime of archgen/data/compliance.yaml alone. checkov takes seconds per run, so
the four variants of one example are written to sibling folders (``<tmp>/<regime>/``) and checkov runs once over
them: one run per example. The validators run offline (tests/validators.py); a missing checkov fails the test rather
than skipping it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from archgen import design_from_spec, load_spec, render_files
from archgen.compliance_data import compliance_data
from archgen.design import Design
from tests.conftest import EXAMPLES
from tests.validators import checkov

CASES = sorted(path.stem for path in EXAMPLES.glob("*.yaml"))
REGIMES = tuple(compliance_data().regimes)


def with_regime(case: str, regime: str, specs: Path) -> Design:
    """The example re-planned with ``compliance: [regime]`` instead of its own compliance line."""
    text = (EXAMPLES / f"{case}.yaml").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("compliance:")]
    path = specs / f"{case}-{regime}.yaml"
    path.write_text("\n".join([*lines, f"compliance: [{regime}]", ""]), encoding="utf-8")
    _, design = design_from_spec(load_spec(path))
    return design


def test_regimes_are_the_four_of_the_compliance_data() -> None:
    assert set(REGIMES) == {"pci-dss", "hipaa", "gdpr", "soc2"}
    assert len(CASES) == 9


@pytest.mark.slow
@pytest.mark.parametrize("case", CASES)
def test_checkov_finds_nothing_under_every_regime(case: str, tmp_path: Path) -> None:
    specs = tmp_path / "specs"  # outside the folder checkov scans
    specs.mkdir()
    scanned = tmp_path / "out"
    for regime in REGIMES:
        design = with_regime(case, regime, specs)
        assert {row_ref for row in design.compliance for row_ref in row.refs} == {regime}
        out = scanned / regime
        for name, content in render_files(design).items():
            (out / name).parent.mkdir(parents=True, exist_ok=True)
            (out / name).write_bytes(content)
    has_kubernetes = any((scanned / regime / "kubernetes").is_dir() for regime in REGIMES)
    frameworks = ["terraform", "kubernetes"] if has_kubernetes else ["terraform"]
    failures = checkov(scanned, frameworks)
    assert [f"{f.check_id} {f.resource} {f.file}:{f.line}" for f in failures] == []
