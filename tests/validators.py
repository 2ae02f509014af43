"""Offline validators for generated output: ``terraform fmt``, ``terraform validate`` and checkov.

Everything runs on this machine with no network: ``tools/validators/setup.py`` prepares a cache folder
(``$ARCHGEN_TOOLS_CACHE``, else ``~/.cache/archgen-tools``) with Terraform CLI configs, schema-only stand-in
providers and checkov in its own virtual environment. When a tool or the cache is missing, each function raises
:class:`ValidatorUnavailableError` (an ``AssertionError``), so a test fails, never skips, and the message names the
command to run.

``terraform_validate`` has two modes:

* ``"real"``: the machine's real hashicorp/aws provider (5.100.0), the other providers from stand-ins;
* ``"schema"``: hashicorp/aws 6.x served by a stand-in from its published schema, likewise the others.

The runners themselves (fmt, init + validate in a temporary copy, root discovery, checkov and its report) are
archgen's own, from ``archgen.check``: what the tests check is what ``archgen check`` runs. This module adds the
set-up cache, the two validation modes and failing (never skipping) when a tool is missing.
"""

from __future__ import annotations

import json
import os
import shutil
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, Literal

from archgen.check import terraform as tf
from archgen.check.checkov import Failure, run_checkov
from archgen.check.tools import ToolError

Mode = Literal["real", "schema"]

SETUP_COMMAND = ".venv/bin/python tools/validators/setup.py"
TERRAFORM_TIMEOUT = tf.TERRAFORM_TIMEOUT
# Files that a Terraform run leaves behind and that never belong to the generated output.
TERRAFORM_LEFTOVERS = tf.TERRAFORM_LEFTOVERS
# Environment variables that would change what Terraform does from outside the test (the plugin cache too: the
# tests use the set-up cache's CLI configs and nothing of the user's).
TERRAFORM_ENV_DROPPED = (*tf.TERRAFORM_ENV_DROPPED, "TF_PLUGIN_CACHE_DIR")

__all__ = [
    "SETUP_COMMAND",
    "TERRAFORM_ENV_DROPPED",
    "TERRAFORM_LEFTOVERS",
    "Failure",
    "Mode",
    "ValidatorUnavailableError",
    "checkov",
    "find_roots",
    "setup_state",
    "terraform_fmt",
    "terraform_validate",
    "terraform_validate_all",
    "tools_cache",
]


class ValidatorUnavailableError(AssertionError):
    """A validator cannot run: a tool or the set-up cache is missing."""


# -- the set-up cache ------------------------------------------------------------------------------------------------
def tools_cache() -> Path:
    """The folder ``tools/validators/setup.py`` fills."""
    env = os.environ.get("ARCHGEN_TOOLS_CACHE")
    return Path(env).expanduser() if env else Path.home() / ".cache" / "archgen-tools"


def _unavailable(what: str) -> ValidatorUnavailableError:
    return ValidatorUnavailableError(f"{what}; run `{SETUP_COMMAND}` (cache: {tools_cache()})")


def setup_state() -> dict[str, Any]:
    """What `tools/validators/setup.py` recorded (state.json); raises when it has not run."""
    path = tools_cache() / "state.json"
    if not path.is_file():
        raise _unavailable(f"the validators are not set up ({path} is missing)")
    state: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return state


def _terraform() -> str:
    terraform = shutil.which("terraform")
    if terraform is None:
        raise ValidatorUnavailableError("terraform is not on PATH: install Terraform 1.11 or newer")
    return terraform


def cli_config(mode: Mode) -> Path:
    """The set-up cache's Terraform CLI config for ``mode``; raises when it (or the real aws mirror) is missing."""
    if mode not in ("real", "schema"):
        raise ValueError(f"mode must be 'real' or 'schema', not {mode!r}")
    state = setup_state()
    config = tools_cache() / f"{mode}.tfrc"
    if not config.is_file():
        missing = "; ".join(state.get("missing", [])) or f"{config} is missing"
        raise _unavailable(f"terraform validate ({mode}) is not set up: {missing}")
    if mode == "real":
        mirror = Path(state.get("real_aws", {}).get("mirror", "/nonexistent"))
        if not mirror.is_dir():
            raise _unavailable(f"the real hashicorp/aws mirror {mirror} is gone (or set ARCHGEN_TF_MIRROR)")
    return config


def _terraform_env(config: Path) -> dict[str, str]:
    source = {k: v for k, v in os.environ.items() if k not in TERRAFORM_ENV_DROPPED}
    return tf.terraform_env(config, keep=source)


# -- terraform fmt ---------------------------------------------------------------------------------------------------
def terraform_fmt(directory: Path | str) -> list[str]:
    """Files under ``directory`` that ``terraform fmt`` would change, or the syntax errors it found; [] when clean."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ValueError(f"{directory} is not a folder")
    result = tf.fmt_check(_terraform(), directory)
    if result.returncode == 0:
        return []
    if result.returncode == 3:  # files need formatting: fmt lists them
        return list(result.unformatted)
    return list(result.output)


# -- terraform init + validate ---------------------------------------------------------------------------------------
def terraform_validate(root_dir: Path | str, mode: Mode) -> list[str]:
    """``terraform init -backend=false`` + ``terraform validate`` on one root module; its errors, [] when valid.

    The root and the local modules it uses are copied to a temporary folder first, so no ``.terraform/`` or lock
    file lands in the output. Each error reads ``<file>:<line>: <summary>: <detail>`` (paths relative to the root);
    a failed init gives ``init: …`` lines.
    """
    root = Path(root_dir).resolve()
    if not root.is_dir():
        raise ValueError(f"{root} is not a folder")
    env = _terraform_env(cli_config(mode))
    return [str(diagnostic) for diagnostic in tf.validate_root(_terraform(), root, env)]


def find_roots(directory: Path | str) -> list[Path]:
    """Root modules under ``directory``: folders with a ``provider "…"`` block, or with a ``terraform {}`` block
    that has both ``required_providers`` and a backend (local modules have neither)."""
    return tf.find_roots(Path(directory))


def terraform_validate_all(directory: Path | str, mode: Mode, jobs: int = 2) -> dict[str, list[str]]:
    """``terraform_validate`` on every root under ``directory`` (``jobs`` at a time): root (relative) -> errors."""
    directory = Path(directory)
    roots = find_roots(directory)
    if not roots:
        raise AssertionError(f"no Terraform root module under {directory}")
    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        results = pool.map(lambda root: terraform_validate(root, mode), roots)
        return {str(root.relative_to(directory)): errors for root, errors in zip(roots, results, strict=True)}


# -- checkov ---------------------------------------------------------------------------------------------------------
def checkov_executable() -> Path:
    """checkov in the set-up cache's own virtual environment; raises when it is missing."""
    state = setup_state()
    executable = Path(state.get("checkov", {}).get("executable", tools_cache() / "checkov" / "bin" / "checkov"))
    if not executable.is_file():
        raise _unavailable(f"checkov is not installed ({executable} is missing)")
    return executable


def checkov(directory: Path | str, frameworks: Sequence[str]) -> list[Failure]:
    """Run checkov offline on ``directory`` with the given frameworks (``terraform``, ``kubernetes``,
    ``cloudformation``, ...); the failed checks and unparsable files, [] when everything passed."""
    directory = Path(directory)
    if not directory.is_dir():
        raise ValueError(f"{directory} is not a folder")
    if not frameworks:
        raise ValueError("name at least one checkov framework")
    executable = checkov_executable()
    try:
        return run_checkov([str(executable)], directory, frameworks)
    except ToolError as exc:
        raise AssertionError(str(exc)) from None
