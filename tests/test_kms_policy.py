"""The Region's KMS key policy admits what the design's services need, and only in the roots that need it.

Parsed with python-hcl2; validate and checkov run over the same output in test_terraform.py.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import hcl2
import pytest

from archgen import design_from_spec, load_spec, render_files

EXAMPLES = Path(__file__).resolve().parent.parent / "examples"


@cache
def terraform(example: str) -> dict[str, dict[str, Any]]:
    """Every parsed .tf file of an example's Terraform, by path."""
    design = design_from_spec(load_spec(EXAMPLES / f"{example}.yaml"))[1]
    files = render_files(design, ("terraform",))
    return {name: hcl2.loads(content.decode("utf-8")) for name, content in files.items() if name.endswith(".tf")}


def unquoted(block: dict[str, Any]) -> dict[str, Any]:
    """A parsed block keyed by its labels without the quotes python-hcl2 may keep."""
    return {key.strip('"'): value for key, value in block.items()}


def kms_calls(example: str) -> dict[str, dict[str, Any]]:
    """The ``module "kms"`` block of each Region root's main.tf, by root folder."""
    found = {}
    for name, parsed in terraform(example).items():
        if name.endswith("/main.tf") and not name.startswith("terraform/modules/"):
            for block in parsed.get("module", []):
                labelled = unquoted(block)
                if "kms" in labelled:
                    found[name.removesuffix("/main.tf")] = labelled["kms"]
    return found


@pytest.mark.parametrize(("example", "ec2"), [("payments-platform", True), ("orders-api", False), ("notes-api", False)])
def test_ebs_statement_only_where_instances_run(example: str, ec2: bool) -> None:
    calls = kms_calls(example)
    assert calls
    for root, call in calls.items():
        assert call.get("ebs_volumes", False) is ec2, root


def test_ebs_statement_is_limited_to_this_account_through_ec2() -> None:
    module = terraform("payments-platform")["terraform/modules/kms/main.tf"]
    documents = {key: unquoted(value) for block in module["data"] for key, value in unquoted(block).items()}
    statements = documents["aws_iam_policy_document"]["ebs"]["statement"]
    assert len(statements) == 2
    for statement in statements:
        conditions = conditions_of(statement)
        assert conditions["kms:CallerAccount"] == ["${local.account_id}"]
        assert conditions["kms:ViaService"] == ["ec2.${local.region}.amazonaws.com"]
    grant = next(s for s in statements if [a.strip('"') for a in s["actions"]] == ["kms:CreateGrant"])
    assert conditions_of(grant)["kms:GrantIsForAWSResource"] == ["true"]


def conditions_of(statement: dict[str, Any]) -> dict[str, list[str]]:
    """A statement's conditions: variable → values, without the quotes python-hcl2 may keep."""
    return {c["variable"].strip('"'): [v.strip('"') for v in c["values"]] for c in statement["condition"]}


@pytest.mark.parametrize("example", ["orders-api", "notes-api", "docs-site"])
def test_trail_statements_merge_into_the_primary_key_only(example: str) -> None:
    design = design_from_spec(load_spec(EXAMPLES / f"{example}.yaml"))[1]
    for root, call in kms_calls(example).items():
        primary = root == f"terraform/prod/{design.primary_region}"
        merged = "audit.kms_key_policy_json" in str(call.get("policy_documents", ""))
        assert merged is primary, root
