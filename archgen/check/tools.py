"""Finding the validators on this machine, their versions, how to install the missing ones, and running them.

Nothing here downloads anything: a tool is either on the machine or reported as not installed with the command
that installs it.
"""

from __future__ import annotations

import importlib.metadata
import importlib.util
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path

# How to install each validator; printed with "not installed" and written to checks.json.
INSTALL = {
    "terraform": "install Terraform 1.10 or newer (https://developer.hashicorp.com/terraform/install) "
    "and put `terraform` on PATH",
    "checkov": "pipx install checkov (checkov pins old dependencies: give it its own environment, e.g. "
    "`python3 -m venv ~/.venvs/checkov && ~/.venvs/checkov/bin/pip install checkov`, and put it on PATH or set "
    "ARCHGEN_CHECKOV=~/.venvs/checkov/bin/checkov)",
    "cfn-lint": "pip install cfn-lint (into archgen's environment)",
    "kubectl": "install kubectl (https://kubernetes.io/docs/tasks/tools/) and put it on PATH",
    "kubernetes-validate": "pip install kubernetes-validate (into archgen's environment)",
}
VERSION_TIMEOUT = 60


class ToolError(Exception):
    """A validator was found but could not do its job: it crashed, timed out or printed something unreadable."""


@dataclass(frozen=True)
class Tool:
    """A validator as found on this machine: the command that runs it (empty when missing) and its version."""

    name: str
    command: tuple[str, ...] = ()
    version: str = ""
    missing: str = ""  # why it was not found, when ``command`` is empty

    @property
    def found(self) -> bool:
        """True when the tool can be run."""
        return bool(self.command)

    @property
    def install(self) -> str:
        """How to install it."""
        return INSTALL[self.name]


def run(
    command: Sequence[str],
    *,
    cwd: Path | None = None,
    env: Mapping[str, str] | None = None,
    timeout: float,
) -> subprocess.CompletedProcess[str]:
    """Run a validator and capture its output; a tool that cannot start or times out raises :class:`ToolError`."""
    try:
        return subprocess.run(
            list(command), cwd=cwd, env=env, capture_output=True, text=True, check=False, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        raise ToolError(f"`{' '.join(command)}` did not finish within {timeout:.0f} s") from None
    except OSError as exc:
        raise ToolError(f"`{command[0]}` could not be started: {exc.strerror or exc}") from None


def module_available(name: str) -> bool:
    """True when the Python package ``name`` can be imported in archgen's environment."""
    return importlib.util.find_spec(name) is not None


def _which(name: str) -> str | None:
    return shutil.which(name, path=os.environ.get("PATH", os.defpath))


def _missing(name: str, why: str = "") -> Tool:
    return Tool(name, missing=why or f"`{name}` is not on PATH")


def _first_line(text: str) -> str:
    return next((line.strip() for line in text.splitlines() if line.strip()), "")


def find_terraform() -> Tool:
    """``terraform`` on PATH; its version from ``terraform version -json``."""
    path = _which("terraform")
    if path is None:
        return _missing("terraform")
    env = dict(os.environ, CHECKPOINT_DISABLE="1")
    try:
        proc = run([path, "version", "-json"], env=env, timeout=VERSION_TIMEOUT)
        version = str(json.loads(proc.stdout).get("terraform_version", "")) if proc.returncode == 0 else ""
    except (ToolError, ValueError, AttributeError):
        version = ""
    return Tool("terraform", (path,), version or "unknown")


def find_checkov() -> Tool:
    """Find checkov: ``$ARCHGEN_CHECKOV`` (the path to its executable), else on PATH."""
    configured = os.environ.get("ARCHGEN_CHECKOV")
    if configured:
        path = Path(configured).expanduser()
        if not (path.is_file() and os.access(path, os.X_OK)):
            return _missing("checkov", f"ARCHGEN_CHECKOV={configured} is not an executable file")
        executable: str | None = str(path)
    else:
        executable = _which("checkov")
    if executable is None:
        return _missing("checkov", "`checkov` is not on PATH and ARCHGEN_CHECKOV is not set")
    version = _installed_version(Path(executable), "checkov")
    if not version:  # not a virtual environment laid out as usual: ask checkov (a few seconds)
        try:
            version = _first_line(run([executable, "--version"], timeout=VERSION_TIMEOUT).stdout)
        except ToolError:
            version = ""
    return Tool("checkov", (executable,), version or "unknown")


def _installed_version(executable: Path, distribution: str) -> str:
    """The version of ``distribution`` in the virtual environment (venv, pipx) that ``executable`` belongs to."""
    prefix = executable.resolve().parent.parent
    found = sorted(prefix.glob(f"lib/python3*/site-packages/{distribution}-*.dist-info"))
    return found[-1].name.removeprefix(f"{distribution}-").removesuffix(".dist-info") if len(found) == 1 else ""


def find_cfn_lint() -> Tool:
    """cfn-lint from archgen's own environment, else ``cfn-lint`` on PATH.

    cfn-lint 1.x has no ``__main__`` (``python -m cfnlint`` fails), so its runner is called directly.
    """
    if module_available("cfnlint"):
        runner = "import sys; from cfnlint.runner import main; sys.exit(main())"
        return Tool("cfn-lint", (sys.executable, "-c", runner), importlib.metadata.version("cfn-lint"))
    path = _which("cfn-lint")
    if path is None:
        return _missing("cfn-lint", "cfn-lint is neither in archgen's environment nor on PATH")
    try:
        version = _first_line(run([path, "--version"], timeout=VERSION_TIMEOUT).stdout).removeprefix("cfn-lint ")
    except ToolError:
        version = ""
    return Tool("cfn-lint", (path,), version or "unknown")


def find_kubectl() -> Tool:
    """``kubectl`` on PATH; the version names its client and its built-in kustomize."""
    path = _which("kubectl")
    if path is None:
        return _missing("kubectl")
    try:
        info = json.loads(run([path, "version", "--client", "-o", "json"], timeout=VERSION_TIMEOUT).stdout)
        client = str(info.get("clientVersion", {}).get("gitVersion", "")) or "unknown"
        kustomize = str(info.get("kustomizeVersion", ""))
        version = f"{client} (kustomize {kustomize})" if kustomize else client
    except (ToolError, ValueError, AttributeError):
        version = "unknown"
    return Tool("kubectl", (path,), version)


def find_kubernetes_validate() -> Tool:
    """The kubernetes-validate package in archgen's environment (used through its Python API)."""
    if not module_available("kubernetes_validate"):
        return _missing("kubernetes-validate", "the kubernetes-validate package is not in archgen's environment")
    return Tool("kubernetes-validate", ("kubernetes_validate",), importlib.metadata.version("kubernetes-validate"))
