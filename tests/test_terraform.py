"""Every example's Terraform passes the real tools: fmt, validate (aws 5.100.0 and the 6.x schema), checkov.

Every root is checked: each Region's (prod/<region>/), the failover root (prod/global/) and the restore root of
backup and restore (restore/<region>/); test_every_root_is_checked proves the validators find them all.

Also every local module on its own, through the standalone roots under tests/terraform_roots/. The validators run
offline (see tests/validators.py); a missing tool fails the test rather than skipping it.
"""

from __future__ import annotations

from pathlib import Path

import hcl2
import pytest

from archgen import design_from_spec, load_spec, render_files
from archgen.render.terraform import global_root_of, roots_of
from tests.conftest import EXAMPLES, ROOT
from tests.validators import Mode, checkov, find_roots, terraform_fmt, terraform_validate_all

CASES = sorted(path.stem for path in EXAMPLES.glob("*.yaml"))
MODULE_ROOTS = sorted(p.name for p in (ROOT / "tests" / "terraform_roots").iterdir() if p.is_dir())


@pytest.fixture(scope="module")
def rendered(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each example's output, written once for the whole module."""
    base = tmp_path_factory.mktemp("terraform")
    folders = {}
    for case in CASES:
        _, design = design_from_spec(load_spec(EXAMPLES / f"{case}.yaml"))
        out = base / case
        for name, content in render_files(design).items():
            (out / name).parent.mkdir(parents=True, exist_ok=True)
            (out / name).write_bytes(content)
        folders[case] = out
    return folders


@pytest.mark.parametrize("case", CASES)
def test_every_root_is_checked(case: str, rendered: dict[str, Path]) -> None:
    _, design = design_from_spec(load_spec(EXAMPLES / f"{case}.yaml"))
    expected = {root.path for root in roots_of(design)}
    global_root = global_root_of(design)
    if global_root is not None:
        expected.add(global_root.path)
    found = {str(path.relative_to(rendered[case])) for path in find_roots(rendered[case] / "terraform")}
    assert found == expected


@pytest.mark.parametrize("case", CASES)
def test_terraform_is_fmt_clean_and_parses(case: str, rendered: dict[str, Path]) -> None:
    folder = rendered[case] / "terraform"
    assert terraform_fmt(folder) == []
    for path in sorted(folder.rglob("*.tf")):
        hcl2.loads(path.read_text(encoding="utf-8"))


@pytest.mark.parametrize("mode", ["real", "schema"])
@pytest.mark.parametrize("case", CASES)
def test_terraform_validates(case: str, mode: Mode, rendered: dict[str, Path]) -> None:
    folder = rendered[case] / "terraform"
    roots = find_roots(folder)
    assert roots, "no root module"
    failures = {root: errors for root, errors in terraform_validate_all(folder, mode).items() if errors}
    assert failures == {}


@pytest.mark.parametrize("case", CASES)
def test_checkov_finds_nothing(case: str, rendered: dict[str, Path]) -> None:
    folder = rendered[case]
    frameworks = ["terraform", "kubernetes"] if (folder / "kubernetes").is_dir() else ["terraform"]
    failures = checkov(folder, frameworks)
    assert [f"{f.check_id} {f.resource} {f.file}:{f.line}" for f in failures] == []


@pytest.mark.parametrize("module", MODULE_ROOTS)
def test_module_standalone(module: str) -> None:
    folder = ROOT / "tests" / "terraform_roots" / module
    assert terraform_fmt(folder) == []
    for mode in ("real", "schema"):
        assert {root: errors for root, errors in terraform_validate_all(folder, mode).items() if errors} == {}
    assert [f"{f.check_id} {f.resource} {f.file}:{f.line}" for f in checkov(folder, ["terraform"])] == []
