"""The wheel is what users install: build it, install it into a fresh venv, run the installed CLI elsewhere.

This catches what an editable install hides: templates/ and blueprints/ missing from the wheel (or landing at the
top level of site-packages), a missing dependency, code that finds its files through the working directory.
"""

from __future__ import annotations

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BUILD_TIMEOUT = 180
INSTALL_TIMEOUT = 300
RUN_TIMEOUT = 60


def _run(args: list[str | Path], *, cwd: Path, timeout: int, env: dict[str, str] | None = None) -> str:
    """Run a command; fail the test (never skip) with its output when it does not exit 0."""
    command = [str(arg) for arg in args]
    try:
        result = subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout, check=False)
    except subprocess.TimeoutExpired as exc:
        pytest.fail(f"timed out after {timeout} s: {' '.join(command)}\n{_text(exc.stdout)}\n{_text(exc.stderr)}")
    if result.returncode != 0:
        pytest.fail(
            f"exit {result.returncode}: {' '.join(command)}\n--- stdout\n{result.stdout}\n--- stderr\n{result.stderr}"
        )
    return result.stdout


def _text(output: bytes | str | None) -> str:
    return output.decode(errors="replace") if isinstance(output, bytes) else output or ""


def _clean_env() -> dict[str, str]:
    """The environment without anything that would make the fresh venv see this checkout or this venv."""
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV", "PYTHONHOME"}}
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    env["NO_COLOR"] = "1"
    return env


def _build_wheel(dist: Path) -> Path:
    """Build the wheel from the checkout, without build isolation (hatchling is in the dev extras)."""
    dist.mkdir()
    _run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "--wheel-dir", dist, ROOT],
        cwd=dist,
        timeout=BUILD_TIMEOUT,
        env=_clean_env(),
    )
    wheels = sorted(dist.glob("archgen-*.whl"))
    assert len(wheels) == 1, f"expected one archgen wheel in {dist}, found {[w.name for w in wheels]}"
    return wheels[0]


def _install(wheel: Path, env_dir: Path) -> Path:
    """A fresh venv with the wheel and its dependencies (from the package index pip is configured with)."""
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    _run(
        [env_dir / "bin" / "python", "-m", "pip", "install", "--quiet", wheel],
        cwd=env_dir,
        timeout=INSTALL_TIMEOUT,
        env=_clean_env(),
    )
    found = sorted(env_dir.glob("lib/python3*/site-packages"))
    assert len(found) == 1, f"expected one site-packages under {env_dir}, found {found}"
    return found[0]


def _check_layout(site: Path) -> None:
    package = site / "archgen"
    assert (package / "cli.py").is_file()
    for folder in ("templates", "blueprints"):
        assert (package / folder).is_dir(), f"the wheel has no archgen/{folder}/"
        assert any((package / folder).iterdir()), f"archgen/{folder}/ in the wheel is empty"
        assert not (site / folder).exists(), f"the wheel installs a top-level {folder}/ into site-packages"
    shipped = sorted(p.name for p in (package / "blueprints").iterdir() if p.is_dir())
    assert shipped == sorted(p.name for p in (ROOT / "blueprints").iterdir() if p.is_dir())
    assert (package / "templates" / "docs" / "DESIGN.md.j2").is_file()
    assert any((package / "data").glob("*.yaml")), "archgen/data/*.yaml is missing from the wheel"


@pytest.mark.slow
def test_wheel_installs_and_runs_from_another_folder(tmp_path: Path) -> None:
    wheel = _build_wheel(tmp_path / "dist")
    env_dir = tmp_path / "venv"
    site = _install(wheel, env_dir)
    _check_layout(site)

    work = tmp_path / "work"
    work.mkdir()
    env = _clean_env()
    archgen = env_dir / "bin" / "archgen"
    spec = (ROOT / "examples" / "orders-api.yaml").resolve()
    _run([archgen, "design", spec, "--out", "out"], cwd=work, timeout=RUN_TIMEOUT, env=env)
    design = work / "out" / "design.json"
    assert design.is_file()
    assert (work / "out" / "DESIGN.md").is_file()
    assert '"schema_version": 1' in design.read_text(encoding="utf-8")

    listing = _run([archgen, "blueprints", "list"], cwd=work, timeout=RUN_TIMEOUT, env=env)
    for folder in sorted((ROOT / "blueprints").iterdir()):
        if folder.is_dir():
            assert folder.name in listing, f"{folder.name} missing from `archgen blueprints list`"

    # the fresh venv reads its own copy, not this checkout (which would hide packaging mistakes)
    probe = "import archgen.resources as r; print(r.templates_dir()); print(r.blueprints_dir())"
    where = _run([env_dir / "bin" / "python", "-c", probe], cwd=work, timeout=RUN_TIMEOUT, env=env).splitlines()
    assert [Path(p).resolve() for p in where] == [
        (site / "archgen" / name).resolve() for name in ("templates", "blueprints")
    ]
