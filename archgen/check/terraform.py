"""``terraform fmt`` and ``terraform init -backend=false`` + ``validate``, and finding the root modules.

Validation runs in a temporary copy of each root and the local modules it uses, so nothing (``.terraform/``, a lock
file) is left in the design folder. The same functions serve ``archgen check`` and the project's tests.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archgen.check.tools import run

TERRAFORM_TIMEOUT = 300
# Files that a Terraform run leaves behind and that never belong to the generated output.
TERRAFORM_LEFTOVERS = (".terraform", ".terraform.lock.hcl", "terraform.tfstate", "terraform.tfstate.backup")
# Environment variables that would make Terraform work elsewhere or print something other than what is parsed.
TERRAFORM_ENV_DROPPED = ("TF_DATA_DIR", "TF_WORKSPACE", "TF_CLI_ARGS", "TF_LOG", "TF_LOG_PATH")
# Offline and quiet: no version check-point call, no prompts.
TERRAFORM_ENV_SET = {"CHECKPOINT_DISABLE": "1", "TF_IN_AUTOMATION": "1", "TF_INPUT": "0"}

_LOCAL_SOURCE = re.compile(r'^\s*source\s*=\s*"(\.\.?/[^"]*)"', re.MULTILINE)
_PROVIDER_BLOCK = re.compile(r'^\s*provider\s+"', re.MULTILINE)
_TERRAFORM_BLOCK = re.compile(r"^\s*terraform\s*\{", re.MULTILINE)
_REQUIRED_PROVIDERS = re.compile(r"^\s*required_providers\s*\{", re.MULTILINE)
_BACKEND_BLOCK = re.compile(r'^\s*backend\s+"', re.MULTILINE)
_FMT_ERROR = re.compile(r"^Error: (.*)$")
_FMT_WHERE = re.compile(r"^\s*on (.+?) line (\d+)")
_FMT_SOURCE_LINE = re.compile(r"^\s*\d+:")
_BOX = " │╷╵"


@dataclass(frozen=True)
class Diagnostic:
    """An error from ``terraform init`` or ``validate``: located (``file`` relative to the root) or a raw line."""

    stage: str  # "init" or "validate"
    file: str
    line: int
    summary: str
    detail: str = ""
    raw: bool = False  # a line of output rather than a JSON diagnostic

    @property
    def located(self) -> bool:
        """True when Terraform named the file and line."""
        return bool(self.file) and not self.raw

    def __str__(self) -> str:
        if self.raw:
            return f"{self.stage}: {self.summary}"
        where = f"{self.file or '?'}:{self.line or '?'}: " if self.file or self.line else ""
        text = f"{where}{self.summary}" + (f": {self.detail}" if self.detail else "")
        return f"init: {text}" if self.stage == "init" else text


@dataclass(frozen=True)
class FmtResult:
    """What ``terraform fmt -check -recursive`` said: unformatted files (as listed) and syntax errors."""

    returncode: int
    unformatted: tuple[str, ...]
    errors: tuple[Diagnostic, ...]
    output: tuple[str, ...]  # the non-empty lines of its error output


def terraform_env(cli_config: Path | None = None, *, keep: Mapping[str, str] | None = None) -> dict[str, str]:
    """The environment for Terraform: offline, non-interactive, ``TF_CLI_CONFIG_FILE`` set when ``cli_config`` is.

    It starts from ``keep`` (else this process's environment), minus what would redirect or reformat Terraform's
    work; the user's plugin cache and CLI config are kept.
    """
    source = os.environ if keep is None else keep
    env = {k: v for k, v in source.items() if k not in TERRAFORM_ENV_DROPPED and not k.startswith("TF_CLI_ARGS")}
    env.update(TERRAFORM_ENV_SET)
    if cli_config is not None:
        env["TF_CLI_CONFIG_FILE"] = str(cli_config)
    return env


# -- fmt ---------------------------------------------------------------------------------------------------------------
def _fmt_errors(text: str) -> list[Diagnostic]:
    errors: list[Diagnostic] = []
    summary, file, line, detail = "", "", 0, list[str]()
    for raw in [*text.splitlines(), "Error: "]:
        stripped = raw.strip(_BOX)
        start = _FMT_ERROR.match(stripped.strip())
        if start:
            if summary:
                errors.append(Diagnostic("fmt", file, line, summary, " ".join(detail)))
            summary, file, line, detail = start.group(1), "", 0, []
            continue
        where = _FMT_WHERE.match(stripped)
        if where and summary:
            file, line = where.group(1), int(where.group(2))
        elif summary and stripped.strip() and not _FMT_SOURCE_LINE.match(stripped):
            detail.append(stripped.strip())
    return errors


def fmt_check(
    terraform: str, directory: Path, env: Mapping[str, str] | None = None, cwd: Path | None = None
) -> FmtResult:
    """``terraform fmt -check -recursive -list=true`` over ``directory`` (exit 3: files need formatting).

    File names come out as Terraform prints them: relative to ``cwd`` when ``directory`` is.
    """
    cmd = [terraform, "fmt", "-check", "-recursive", "-list=true", "-no-color", str(directory)]
    proc = run(cmd, cwd=cwd, env=env, timeout=TERRAFORM_TIMEOUT)
    unformatted = tuple(line.strip() for line in proc.stdout.splitlines() if line.strip())
    text = proc.stderr or proc.stdout
    output = tuple(line.strip() for line in text.splitlines() if line.strip(_BOX))
    errors = tuple(_fmt_errors(proc.stderr)) if proc.returncode not in (0, 3) else ()
    return FmtResult(proc.returncode, unformatted if proc.returncode == 3 else (), errors, output)


# -- roots and local modules ---------------------------------------------------------------------------------------
def find_roots(directory: Path) -> list[Path]:
    """Root modules under ``directory``.

    A root is a folder with a ``provider "…"`` block, or with a ``terraform {}`` block that has both
    ``required_providers`` and a backend (local modules have neither).
    """
    roots = []
    for folder in sorted({p.parent for p in directory.rglob("*.tf")}):
        if any(part in TERRAFORM_LEFTOVERS for part in folder.relative_to(directory).parts):
            continue
        text = "\n".join(p.read_text(encoding="utf-8", errors="replace") for p in sorted(folder.glob("*.tf")))
        has_provider = bool(_PROVIDER_BLOCK.search(text))
        has_settings = all(r.search(text) for r in (_TERRAFORM_BLOCK, _REQUIRED_PROVIDERS, _BACKEND_BLOCK))
        if has_provider or has_settings:
            roots.append(folder)
    return roots


def local_module_dirs(root: Path) -> set[Path]:
    """The root and every local module it reaches through ``source = "./…"`` or ``"../…"``."""
    seen: set[Path] = set()
    todo = [root.resolve()]
    while todo:
        folder = todo.pop()
        if folder in seen or not folder.is_dir():
            continue
        seen.add(folder)
        for tf_file in folder.glob("*.tf"):
            for match in _LOCAL_SOURCE.finditer(tf_file.read_text(encoding="utf-8", errors="replace")):
                todo.append((folder / match.group(1)).resolve())
    return seen


# -- init + validate -----------------------------------------------------------------------------------------------
def _diagnostic(stage: str, diag: Mapping[str, Any], scrub: str) -> Diagnostic:
    rng = diag.get("range") or {}
    detail = " ".join(str(diag.get("detail", "")).split()).replace(scrub, "")
    file = str(rng.get("filename", "")) if rng else ""
    line = int(rng.get("start", {}).get("line", 0) or 0) if rng else 0
    if rng and not file:
        file = "?"
    return Diagnostic(stage, file, line, str(diag.get("summary", "")).replace(scrub, ""), detail)


def _init_errors(returncode: int, stdout: str, stderr: str, scrub: str) -> list[Diagnostic]:
    errors = []
    for line in stdout.splitlines():
        try:
            message = json.loads(line)
        except ValueError:
            continue
        diag = message.get("diagnostic") if isinstance(message, dict) else None
        if diag and diag.get("severity") == "error":
            errors.append(_diagnostic("init", diag, scrub))
    if returncode != 0 and not errors:
        lines = (stderr + stdout).replace(scrub, "").splitlines()
        errors = [Diagnostic("init", "", 0, line, raw=True) for line in lines if line.strip(_BOX)]
    return errors


def validate_root(terraform: str, root: Path, env: Mapping[str, str]) -> list[Diagnostic]:
    """``terraform init -backend=false`` + ``terraform validate`` on a copy of one root; its errors, [] when valid.

    The copy holds the root and the local modules it uses, laid out as they are, so file names in the diagnostics
    are relative to the root (``../../modules/x/main.tf`` for a module). A failed init stops there.
    """
    root = root.resolve()
    base = Path(os.path.commonpath(sorted(local_module_dirs(root))))
    with tempfile.TemporaryDirectory(prefix="archgen-validate-") as tmp:
        copy = Path(tmp) / "src"
        shutil.copytree(base, copy, symlinks=True, ignore=shutil.ignore_patterns(*TERRAFORM_LEFTOVERS))
        workdir = copy / root.relative_to(base)
        scrub = f"{workdir}/"
        init_cmd = [terraform, "init", "-backend=false", "-input=false", "-json"]
        init = run(init_cmd, cwd=workdir, env=env, timeout=TERRAFORM_TIMEOUT)
        errors = _init_errors(init.returncode, init.stdout, init.stderr, scrub)
        if errors:
            return errors
        proc = run([terraform, "validate", "-json", "-no-color"], cwd=workdir, env=env, timeout=TERRAFORM_TIMEOUT)
    try:
        result = json.loads(proc.stdout)
    except ValueError:
        lines = (proc.stderr + proc.stdout).replace(scrub, "").splitlines()
        return [Diagnostic("validate", "", 0, line, raw=True) for line in lines if line.strip()]
    diagnostics = [d for d in result.get("diagnostics", []) if d.get("severity") == "error"]
    errors = [_diagnostic("validate", d, scrub) for d in diagnostics]
    if proc.returncode != 0 and not errors:
        errors = [Diagnostic("validate", "", 0, f"exit {proc.returncode}: {proc.stderr.strip()}", raw=True)]
    return errors
