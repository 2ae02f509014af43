"""``archgen check`` and ``archgen design --check``: the real validators over real designs, good and broken.

The validators come from the set-up cache (``tools/validators/setup.py``): Terraform installs providers through its
``real.tfrc`` (the machine's hashicorp/aws mirror and the stand-ins), checkov is its own virtual environment's.
Every proxy variable points at a closed port on 127.0.0.1, so a tool that tried the network would fail, not reach
it. A missing tool fails these tests (through ``tests.validators``); it never skips them.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from archgen.api import DesignOptions
from archgen.api import design as run_design
from archgen.check import Check, Finding, Report, TargetResult, run_checks
from archgen.check import tools as check_tools
from archgen.check.report import CHECKS_FILE, FAILED, NOT_INSTALLED, PASSED
from archgen.check.terraform import find_roots
from archgen.cli import app
from archgen.render.writer import MANIFEST
from tests.conftest import EXAMPLES
from tests.validators import checkov_executable, cli_config

OFFLINE = {
    var: "http://127.0.0.1:9"
    for var in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "http_proxy", "https_proxy", "all_proxy")
}
OVERLAYS = ("dev", "prod", "staging")

# Appended to a root's main.tf: unformatted, a misspelt argument, and a bucket without encryption or public
# access block.
BROKEN_BUCKET = """
resource "aws_s3_bucket" "unchecked" {
bucket      =   "archgen-unchecked"
  bucket_typo = true
}
"""


@dataclass(frozen=True)
class Run:
    """One check run through the CLI: its exit code and output, the folder and what it held before."""

    exit_code: int
    output: str
    folder: Path
    before: frozenset[str]

    @property
    def report(self) -> dict[str, Any]:
        """checks.json."""
        value: dict[str, Any] = json.loads((self.folder / CHECKS_FILE).read_text(encoding="utf-8"))
        return value

    def check(self, tool: str) -> dict[str, Any]:
        """One tool's entry in checks.json."""
        return next(c for c in self.report["checks"] if c["tool"] == tool)


def files(folder: Path) -> frozenset[str]:
    """Every file under ``folder``, relative."""
    return frozenset(p.relative_to(folder).as_posix() for p in folder.rglob("*") if not p.is_dir())


@pytest.fixture(scope="module")
def validators_env() -> Iterator[pytest.MonkeyPatch]:
    """The set-up cache's tools for archgen check, and no network."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("ARCHGEN_TF_CLI_CONFIG", str(cli_config("real")))
        patch.setenv("ARCHGEN_CHECKOV", str(checkov_executable()))
        patch.setenv("NO_PROXY", "")
        patch.setenv("no_proxy", "")
        for var, value in OFFLINE.items():
            patch.setenv(var, value)
        yield patch


def invoke(*args: str) -> tuple[int, str]:
    """Run the CLI in-process."""
    result = CliRunner().invoke(app, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


@pytest.fixture(scope="module")
def good(validators_env: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> Run:
    """examples/notes-api.yaml designed and checked in one go: ``archgen design --check``."""
    out = tmp_path_factory.mktemp("good") / "notes-api"
    code, output = invoke("design", str(EXAMPLES / "notes-api.yaml"), "--out", str(out), "--check")
    manifest = json.loads((out / MANIFEST).read_text(encoding="utf-8"))
    return Run(code, output, out, frozenset(manifest) | {MANIFEST})


@pytest.fixture(scope="module")
def broken(validators_env: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> Run:
    """examples/orders-api.yaml with Kubernetes manifests, broken in Terraform and in Kubernetes, then checked."""
    out = tmp_path_factory.mktemp("broken") / "orders-api"
    run_design(EXAMPLES / "orders-api.yaml", DesignOptions(out=out, kubernetes=True))
    main_tf = out / "terraform" / "prod" / "eu-west-1" / "main.tf"
    main_tf.write_text(main_tf.read_text(encoding="utf-8") + BROKEN_BUCKET, encoding="utf-8")
    dev = out / "kubernetes" / "overlays" / "dev" / "kustomization.yaml"
    dev.write_text(dev.read_text(encoding="utf-8").replace("../../base", "../../missing-base"), encoding="utf-8")
    deployment = out / "kubernetes" / "base" / "orders-api" / "deployment.yaml"
    text = deployment.read_text(encoding="utf-8")
    deployment.write_text(text.replace("\n  replicas:", "\n  replicaz: 2\n  replicas:", 1), encoding="utf-8")
    before = files(out)
    code, output = invoke("check", str(out))
    return Run(code, output, out, before)


def line_of(path: Path, needle: str) -> int:
    """The 1-based line of the first line containing ``needle``."""
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if needle in line)


# -- a good design ---------------------------------------------------------------------------------------------------
def test_good_design_passes(good: Run) -> None:
    assert good.exit_code == 0, good.output
    report = good.report
    assert report["status"] == PASSED
    assert [c["tool"] for c in report["checks"]] == ["terraform fmt", "terraform validate", "checkov"]
    for check in report["checks"]:
        assert check["status"] == PASSED, check
        assert check["version"], check
        assert check["findings"] == []
        assert all(t["status"] == PASSED for t in check["targets"]), check
    roots = [root.relative_to(good.folder).as_posix() for root in find_roots(good.folder / "terraform")]
    assert [t["target"] for t in good.check("terraform validate")["targets"]] == roots
    assert {"terraform/prod/us-east-1", "terraform/restore/us-east-2"} <= set(roots)
    assert good.check("checkov")["frameworks"] == ["terraform"]
    manifest = hashlib.sha256((good.folder / MANIFEST).read_bytes()).hexdigest()
    assert report["manifest_sha256"] == manifest
    assert "not installed" not in good.output


def test_design_check_prints_the_design_then_the_table(good: Run) -> None:
    assert good.output.startswith(f"wrote {good.folder}/")
    header = next(line for line in good.output.splitlines() if line.startswith("tool "))
    assert header.split() == ["tool", "version", "target", "findings", "status"]
    assert f"wrote {good.folder / CHECKS_FILE}: passed, 0 finding(s)" in good.output


def test_check_leaves_nothing_but_checks_json(good: Run) -> None:
    assert files(good.folder) == good.before | {CHECKS_FILE}


def test_redesign_keeps_checks_json_and_leaves_it_out_of_the_manifest(good: Run, tmp_path: Path) -> None:
    before = (good.folder / CHECKS_FILE).read_bytes()
    code, output = invoke("design", str(EXAMPLES / "notes-api.yaml"), "--out", str(good.folder))
    assert code == 0, output
    assert (good.folder / CHECKS_FILE).read_bytes() == before
    assert CHECKS_FILE not in json.loads((good.folder / MANIFEST).read_text(encoding="utf-8"))


# -- a broken design -------------------------------------------------------------------------------------------------
def test_broken_design_fails_with_located_findings(broken: Run) -> None:
    assert broken.exit_code == 1, broken.output
    assert broken.report["status"] == FAILED
    main_tf = "terraform/prod/eu-west-1/main.tf"
    path = broken.folder / main_tf

    fmt = broken.check("terraform fmt")
    assert fmt["status"] == FAILED
    assert [(f["file"], f["rule"]) for f in fmt["findings"]] == [(main_tf, "fmt")]

    validate = broken.check("terraform validate")
    by_target = {t["target"]: t["status"] for t in validate["targets"]}
    assert by_target.pop("terraform/prod/eu-west-1") == FAILED
    assert set(by_target.values()) == {PASSED}, by_target
    (typo,) = validate["findings"]
    assert (typo["file"], typo["line"], typo["rule"]) == (main_tf, line_of(path, "bucket_typo"), "validate")
    assert "Unsupported argument" in typo["message"]

    bucket_line = line_of(path, '"aws_s3_bucket" "unchecked"')
    on_bucket = {
        f["rule"] for f in broken.check("checkov")["findings"] if (f["file"], f["line"]) == (main_tf, bucket_line)
    }
    assert {"CKV_AWS_145", "CKV2_AWS_6"} <= on_bucket, broken.check("checkov")["findings"]
    assert broken.check("checkov")["frameworks"] == ["terraform", "kubernetes"]
    assert f"checkov: {main_tf}:{bucket_line}: CKV_AWS_145: aws_s3_bucket.unchecked" in broken.output


def test_broken_kustomization_and_schema_are_found(broken: Run) -> None:
    kustomize = broken.check("kubectl kustomize")
    targets = {t["target"]: t["status"] for t in kustomize["targets"]}
    assert targets == {f"kubernetes/overlays/{env}": PASSED if env != "dev" else FAILED for env in OVERLAYS}
    (finding,) = kustomize["findings"]
    assert finding["file"] == "kubernetes/overlays/dev/kustomization.yaml"
    assert "missing-base" in finding["message"]

    schema = broken.check("kubernetes-validate")
    assert schema["kubernetes_version"] == "1.31"
    statuses = {t["target"]: t["status"] for t in schema["targets"]}
    # dev did not build: an error, never a pass
    assert statuses == {
        "kubernetes/overlays/dev": "error",
        **{f"kubernetes/overlays/{e}": FAILED for e in ("prod", "staging")},
    }
    deployment = broken.folder / "kubernetes" / "base" / "orders-api" / "deployment.yaml"
    found = {(f["file"], f["line"], f["rule"]) for f in schema["findings"]}
    assert found == {
        ("kubernetes/base/orders-api/deployment.yaml", line_of(deployment, "apiVersion:"), "strict-schema")
    }
    assert all("replicaz" in f["message"] for f in schema["findings"])


def test_broken_check_leaves_nothing_behind_and_is_deterministic(broken: Run) -> None:
    assert files(broken.folder) == broken.before | {CHECKS_FILE}
    first = (broken.folder / CHECKS_FILE).read_bytes()
    code, _ = invoke("check", str(broken.folder))
    assert code == 1
    assert (broken.folder / CHECKS_FILE).read_bytes() == first
    findings = [f for c in broken.report["checks"] for f in c["findings"]]
    assert findings, "expected findings"
    for check in broken.report["checks"]:
        keys = [(f["file"], f["line"], f["rule"], f["message"]) for f in check["findings"]]
        assert keys == sorted(keys)
        assert [t["target"] for t in check["targets"]] == sorted(t["target"] for t in check["targets"])
    assert b"/tmp" not in first
    assert str(broken.folder).encode() not in first


# -- missing tools and failures to run -------------------------------------------------------------------------------
@pytest.fixture
def no_tools(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """Nothing on PATH, checkov pointed nowhere, cfn-lint and kubernetes-validate not importable."""
    out = tmp_path / "orders-api"
    run_design(EXAMPLES / "orders-api.yaml", DesignOptions(out=out, kubernetes=True))
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    monkeypatch.setenv("ARCHGEN_CHECKOV", str(tmp_path / "nowhere" / "checkov"))
    available = check_tools.module_available
    monkeypatch.setattr(
        check_tools, "module_available", lambda name: name not in ("cfnlint", "kubernetes_validate") and available(name)
    )
    (out / "cloudformation").mkdir()
    (out / "cloudformation" / "stack.yaml").write_text("AWSTemplateFormatVersion: '2010-09-09'\nResources: {}\n")
    return out


def test_missing_tools_are_not_installed_with_the_way_to_install_them(no_tools: Path) -> None:
    code, output = invoke("check", str(no_tools))
    assert code == 0, output  # nothing failed; incomplete is not failure without --strict
    report = json.loads((no_tools / CHECKS_FILE).read_text(encoding="utf-8"))
    assert report["status"] == "incomplete"
    tools = [c["tool"] for c in report["checks"]]
    expected = [
        "terraform fmt",
        "terraform validate",
        "checkov",
        "cfn-lint",
        "kubectl kustomize",
        "kubernetes-validate",
    ]
    assert tools == expected
    for check in report["checks"]:
        assert check["status"] == NOT_INSTALLED, check
        assert check["install"], check
        assert all(t["status"] == NOT_INSTALLED and t["reason"] for t in check["targets"]), check
    assert "6 validators not installed: results incomplete" in output
    assert "pipx install checkov" in output
    assert "pip install kubernetes-validate" in output
    assert "pip install cfn-lint" in output
    assert "ARCHGEN_CHECKOV=" in json.dumps(report)
    assert PASSED not in {t["status"] for c in report["checks"] for t in c["targets"]}


def test_strict_fails_when_a_validator_is_missing(no_tools: Path) -> None:
    code, output = invoke("check", str(no_tools), "--strict")
    assert code == 1, output


def test_provider_install_failure_is_an_error_not_a_pass(
    validators_env: pytest.MonkeyPatch, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    mirror = tmp_path / "empty-mirror"
    mirror.mkdir()
    config = tmp_path / "offline.tfrc"
    config.write_text(f'provider_installation {{\n  filesystem_mirror {{\n    path = "{mirror}"\n  }}\n}}\n')
    monkeypatch.setenv("ARCHGEN_TF_CLI_CONFIG", str(config))
    monkeypatch.setenv("ARCHGEN_CHECKOV", str(tmp_path / "no-checkov"))
    out = tmp_path / "notes-api"
    run_design(EXAMPLES / "notes-api.yaml", DesignOptions(out=out))
    report = run_checks(out)
    validate = next(c for c in report.checks if c.tool == "terraform validate")
    assert validate.status == "error"
    assert all(t.status == "error" and "terraform init failed" in t.reason for t in validate.targets), validate
    assert "ARCHGEN_TF_CLI_CONFIG" in validate.targets[0].reason
    assert report.exit_code() == 1

    monkeypatch.setenv("ARCHGEN_TF_CLI_CONFIG", str(tmp_path / "no-such.tfrc"))
    validate = next(c for c in run_checks(out).checks if c.tool == "terraform validate")
    assert {t.status for t in validate.targets} == {"error"}
    assert "is not a file" in validate.targets[0].reason


def test_check_usage_errors_exit_2(tmp_path: Path) -> None:
    code, output = invoke("check", str(tmp_path / "missing"))
    assert code == 2, output
    assert "is not a folder" in output
    code, output = invoke("check", str(tmp_path))
    assert code == 2, output
    assert "nothing to check" in output
    assert not (tmp_path / CHECKS_FILE).exists()


# -- the report on its own -------------------------------------------------------------------------------------------
def test_exit_codes_and_statuses() -> None:
    finding = Finding("terraform/x/main.tf", 3, "validate", "Unsupported argument")
    passed = Check("terraform fmt", "1.11.4", (TargetResult.of("terraform", []),))
    failed = Check("terraform validate", "1.11.4", (TargetResult.of("terraform/x", [finding, finding]),))
    missing = Check("checkov", "", (TargetResult(".", NOT_INSTALLED, reason="not on PATH"),), install="pipx install")
    assert Report((passed,)).exit_code() == 0
    assert Report((passed, missing)).exit_code() == 0
    assert Report((passed, missing)).exit_code(strict=True) == 1
    assert Report((passed, missing)).status == "incomplete"
    assert Report((failed, missing)).exit_code() == 1
    assert failed.findings == [finding]  # duplicates are one finding
    assert str(finding) == "terraform/x/main.tf:3: validate: Unsupported argument"
