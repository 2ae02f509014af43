"""The compliance matrix: every row's implementing resources are in the generated Terraform (parsed, not grepped)."""

from __future__ import annotations

from pathlib import Path

import hcl2
import pytest
import yaml

from archgen import design_from_spec, load_spec, render_files
from archgen.compliance_data import compliance_data
from archgen.design import Design

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"
REGIMES = tuple(compliance_data().regimes)


def resource_types(design: Design) -> set[str]:
    """Every resource type in the design's Terraform: its roots and the modules they use."""
    found: set[str] = set()
    for name, content in render_files(design, ("terraform",)).items():
        if name.endswith(".tf"):
            for block in hcl2.loads(content.decode("utf-8")).get("resource", []):
                found.update(key.strip('"') for key in block)
    return found


def with_regimes(example: str, regimes: tuple[str, ...], tmp_path: Path) -> Design:
    text = (EXAMPLES / f"{example}.yaml").read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if not line.startswith("compliance:")]
    path = tmp_path / f"{example}.yaml"
    path.write_text("\n".join([*lines, f"compliance: [{', '.join(regimes)}]", ""]), encoding="utf-8")
    return design_from_spec(load_spec(path))[1]


@pytest.mark.parametrize("example", ["orders-api", "payments-platform", "notes-api", "docs-site", "clickstream"])
def test_every_control_is_implemented_by_resources_in_the_output(example: str, tmp_path: Path) -> None:
    design = with_regimes(example, REGIMES, tmp_path)
    assert design.compliance
    present = resource_types(design)
    for row in design.compliance:
        missing = set(row.implemented_by) - present
        assert not missing, f"{row.id}: {sorted(missing)} not in the generated Terraform"


def test_rows_cite_only_the_named_regimes(tmp_path: Path) -> None:
    design = with_regimes("orders-api", ("gdpr",), tmp_path)
    assert design.compliance
    assert all(set(row.refs) == {"gdpr"} for row in design.compliance)
    ids = {row.id for row in design.compliance}
    assert "data-residency" in ids
    assert "web-application-firewall" not in ids  # no GDPR clause, and orders-api has no WAF


def test_no_regime_no_matrix(tmp_path: Path) -> None:
    design = with_regimes("orders-api", (), tmp_path)
    assert design.compliance == ()


def test_every_regime_has_controls_and_every_control_a_residual() -> None:
    data = compliance_data()
    for regime in data.regimes:
        assert any(regime in control.refs for control in data.controls.values()), regime
    for name, control in data.controls.items():
        assert control.residual, name


def test_pod_security_row_is_implemented_by_the_namespace(tmp_path: Path) -> None:
    """The one row no Terraform resource implements on EKS: the namespace enforces the restricted standard."""
    design = with_regimes("payments-platform", REGIMES, tmp_path)
    [row] = [row for row in design.compliance if row.id == "pod-security"]
    assert "namespace.yaml" in row.implemented_in
    files = render_files(design, ("kubernetes",))
    [namespace] = [
        doc
        for name, content in files.items()
        if name.endswith("namespace.yaml")
        for doc in yaml.safe_load_all(content)
        if doc and doc.get("kind") == "Namespace"
    ]
    labels = namespace["metadata"]["labels"]
    for mode in ("enforce", "audit", "warn"):
        assert labels[f"pod-security.kubernetes.io/{mode}"] == "restricted"


def test_rows_without_resources_say_where_they_are_implemented() -> None:
    for name, control in compliance_data().controls.items():
        assert control.implemented_by or control.implemented_in, name
