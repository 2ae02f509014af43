"""Golden tests: every example's output, byte for byte. Regenerate with ``pytest --update-golden``; never edit."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from archgen import design_from_spec, load_spec, render_files
from tests.conftest import EXAMPLES, ROOT

GOLDEN = ROOT / "tests" / "golden"
CASES = sorted(path.stem for path in EXAMPLES.glob("*.yaml"))
# Rendered images depend on the Graphviz build and fonts; their DOT source is golden, and determinism across runs is
# tested below, so the images themselves are only checked for presence.
IMAGES = (".png", ".svg")


def rendered(case: str) -> dict[str, bytes]:
    _, design = design_from_spec(load_spec(EXAMPLES / f"{case}.yaml"))
    return render_files(design)


@pytest.mark.parametrize("case", CASES)
def test_example_matches_golden(case: str, update_golden: bool) -> None:
    everything = rendered(case)
    assert all(everything[name] for name in everything if name.endswith(IMAGES))
    files = {name: content for name, content in everything.items() if not name.endswith(IMAGES)}
    folder = GOLDEN / case
    if update_golden:
        shutil.rmtree(folder, ignore_errors=True)
        for name, content in files.items():
            (folder / name).parent.mkdir(parents=True, exist_ok=True)
            (folder / name).write_bytes(content)
    expected = sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())
    assert sorted(files) == expected, f"files differ from {folder}; run pytest --update-golden if intended"
    for name, content in files.items():
        assert content == (folder / name).read_bytes(), f"{case}/{name} differs; run pytest --update-golden"


def test_every_golden_folder_has_an_example() -> None:
    assert sorted(p.name for p in GOLDEN.iterdir() if p.is_dir()) == CASES


def test_output_is_byte_identical_across_processes(tmp_path: Path) -> None:
    """Hash seeds change set and dict-of-set ordering between processes; the output must not."""
    trees = []
    for seed in ("1", "2"):
        out = tmp_path / f"run-{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        spec = EXAMPLES / "payments-platform.yaml"
        subprocess.run(
            [sys.executable, "-m", "archgen", "design", str(spec), "--out", str(out)],
            check=True,
            env=env,
            capture_output=True,
        )
        trees.append({p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()})
    assert trees[0] == trees[1]


def test_cli_writes_what_the_golden_holds(tmp_path: Path) -> None:
    out = tmp_path / "out"
    subprocess.run(
        [sys.executable, "-m", "archgen", "design", str(EXAMPLES / "orders-api.yaml"), "--out", str(out)],
        check=True,
        capture_output=True,
    )
    for name, content in rendered("orders-api").items():
        assert (out / name).read_bytes() == content, name
