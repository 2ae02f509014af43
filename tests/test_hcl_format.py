"""The HCL aligner leaves generated Terraform exactly as real ``terraform fmt`` would."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest

from archgen.render.hcl_format import format_hcl

SAMPLES = [
    'variable "p" {\n  type = map(object({\n    a = string\n    bb = optional(string, "x")\n  }))\n}\n',
    'module "x" {\nsource = "../a"\na = 1\nlong_name = {\nk = 1\nother = "x{"\n}\nb = 2\n}\n',
    'resource "a" "b" {\n  # comment\n  eeeee = 4\n  f = 5\n\n  g = 6\n  nested {\n    h = 1\n  }\n'
    '  i = [\n"a",\n]\n}\n',
    'locals {\n  name = join("-", ["a", var.b])\n  x = "${var.y}-z"\n  tags = { Name = "x", B = "}" }\n}\n',
    'variable "v" {\n  type = map(string)\n\n  validation {\n    condition = alltrue([for i in values(var.v) : '
    'can(regex("(:[a-z]+)$", i))])\n    error_message = "x"\n  }\n}\n',
]


def terraform_fmt(text: str, folder: Path) -> str:
    terraform = shutil.which("terraform")
    assert terraform, "terraform is not on PATH (the tests need it; see the README's set-up)"
    path = folder / "sample.tf"
    path.write_text(text, encoding="utf-8")
    empty = folder / "empty.tfrc"
    empty.write_text("", encoding="utf-8")
    env = {**os.environ, "TF_CLI_CONFIG_FILE": str(empty), "CHECKPOINT_DISABLE": "1"}
    subprocess.run([terraform, "fmt", str(path)], check=True, capture_output=True, env=env)
    return path.read_text(encoding="utf-8")


@pytest.mark.parametrize("sample", SAMPLES)
def test_aligner_matches_terraform_fmt(sample: str, tmp_path: Path) -> None:
    assert format_hcl(sample) == terraform_fmt(sample, tmp_path)


@pytest.mark.parametrize("sample", SAMPLES)
def test_aligner_is_idempotent(sample: str) -> None:
    once = format_hcl(sample)
    assert format_hcl(once) == once
