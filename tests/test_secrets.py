"""No secret value appears in any generated artifact: credentials are generated at apply time or kept in Secrets
Manager, never written into Terraform, manifests, diagrams, design.json or DESIGN.md."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from archgen import design_from_spec, load_spec, render_files

EXAMPLES = sorted((Path(__file__).resolve().parent.parent / "examples").glob("*.yaml"))
TARGETS = ("docs", "diagrams", "terraform", "kubernetes")

# Shapes of secrets that must never be in generated text.
SECRET_SHAPES = {
    "AWS access key id": re.compile(r"\b(AKIA|ASIA)[0-9A-Z]{16}\b"),
    "private key": re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    # a literal string assigned to a password/secret/token attribute (references and variables are fine)
    "literal credential": re.compile(
        r"""(?im)^\s*"?[a-z_]*(password|secret|token|api_key)"?\s*[=:]\s*"(?!\$\{)[^"\s]{6,}"$"""
    ),
}


@pytest.mark.parametrize("path", EXAMPLES, ids=lambda p: p.stem)
def test_no_secret_in_any_artifact(path: Path) -> None:
    design = design_from_spec(load_spec(path))[1]
    files = render_files(design, TARGETS if design.decisions["compute"].choice == "eks" else TARGETS[:3])
    found = []
    for name, content in files.items():
        if name.endswith(".png"):
            continue
        text = content.decode("utf-8", errors="replace")
        found += [f"{name}: {label}" for label, shape in SECRET_SHAPES.items() if shape.search(text)]
    assert found == []


def test_the_patterns_catch_what_they_are_for() -> None:
    assert SECRET_SHAPES["AWS access key id"].search("key = AKIAABCDEFGHIJKLMNOP")
    assert SECRET_SHAPES["private key"].search("-----BEGIN RSA PRIVATE KEY-----")
    assert SECRET_SHAPES["literal credential"].search('  master_password = "hunter2secret"')
    assert not SECRET_SHAPES["literal credential"].search("  master_password = random_password.master.result")
    assert not SECRET_SHAPES["literal credential"].search('  secret_name = "${local.name_prefix}-db"')
    assert not SECRET_SHAPES["literal credential"].search('    http_tokens = "required"')
