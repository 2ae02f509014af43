"""``archgen check``: every validator available on this machine over one design folder, as one :class:`Report`.

The validators run side by side (each family in its own thread; the Terraform roots a few at a time). A validator
that is missing gives "not installed" targets with the way to install it, never "passed".
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from archgen.check import cloudformation, kubernetes
from archgen.check import terraform as tf
from archgen.check.checkov import run_checkov
from archgen.check.report import ERROR, NOT_INSTALLED, Check, Finding, Report, TargetResult
from archgen.check.tools import (
    Tool,
    ToolError,
    find_cfn_lint,
    find_checkov,
    find_kubectl,
    find_kubernetes_validate,
    find_terraform,
)
from archgen.errors import UserError
from archgen.render.writer import MANIFEST

TERRAFORM, KUBERNETES, CLOUDFORMATION = "terraform", "kubernetes", "cloudformation"
ROOT_JOBS = max(1, min(4, os.cpu_count() or 1))  # terraform validate is CPU-bound
TF_CONFIG_HINT = (
    "Terraform could not install the providers; point ARCHGEN_TF_CLI_CONFIG (or TF_CLI_CONFIG_FILE) at a CLI "
    "config with a provider mirror or plugin cache"
)


def _rel(path: Path | str, base: Path) -> str:
    """``path`` relative to the design folder, with forward slashes."""
    text = os.path.relpath(Path(base, path), base)
    return "." if text == "." else Path(text).as_posix()


def _not_installed(tool: Tool, tool_label: str, targets: Sequence[str]) -> Check:
    results = tuple(TargetResult(t, NOT_INSTALLED, reason=tool.missing) for t in targets)
    return Check(tool_label, "", results, install=tool.install)


def _cli_config() -> tuple[Path | None, str]:
    """``$ARCHGEN_TF_CLI_CONFIG`` when set (it must exist); otherwise Terraform's own (``TF_CLI_CONFIG_FILE`` …)."""
    value = os.environ.get("ARCHGEN_TF_CLI_CONFIG")
    if not value:
        return None, ""
    path = Path(value).expanduser()
    return (path, "") if path.is_file() else (None, f"ARCHGEN_TF_CLI_CONFIG={value} is not a file")


# -- terraform -----------------------------------------------------------------------------------------------------
def _fmt(directory: Path, tool: Tool) -> Check:
    if not tool.found:
        return _not_installed(tool, "terraform fmt", [TERRAFORM])
    try:
        result = tf.fmt_check(tool.command[0], Path(TERRAFORM), tf.terraform_env(), cwd=directory)
    except ToolError as exc:
        return Check("terraform fmt", tool.version, (TargetResult(TERRAFORM, ERROR, reason=str(exc)),))
    hint = f"not in canonical format: run `terraform fmt -recursive {TERRAFORM}/`"
    findings = [Finding(_rel(name, directory), 0, "fmt", hint) for name in result.unformatted]
    findings += [
        Finding(_rel(e.file, directory) if e.file else TERRAFORM, e.line, "syntax", _text(e)) for e in result.errors
    ]
    if result.returncode not in (0, 3) and not result.errors:
        reason = f"terraform fmt exit {result.returncode}: " + " ".join(result.output[-5:])
        return Check("terraform fmt", tool.version, (TargetResult(TERRAFORM, ERROR, reason=reason),))
    return Check("terraform fmt", tool.version, (TargetResult.of(TERRAFORM, findings),))


def _text(diagnostic: tf.Diagnostic) -> str:
    return diagnostic.summary + (f": {diagnostic.detail}" if diagnostic.detail else "")


def _validate_one(directory: Path, root: Path, terraform: str, env: dict[str, str]) -> TargetResult:
    target = _rel(root, directory)
    try:
        diagnostics = tf.validate_root(terraform, root, env)
    except ToolError as exc:
        return TargetResult(target, ERROR, reason=str(exc))
    located = [d for d in diagnostics if d.located]
    findings = [Finding(_rel(root / d.file, directory), d.line, d.stage, _text(d)) for d in located]
    unlocated = [d for d in diagnostics if not d.located]
    if unlocated:
        stage = unlocated[0].stage
        detail = "; ".join(_text(d).strip(" │╷╵") for d in unlocated[:6])
        hint = f" ({TF_CONFIG_HINT})" if stage == "init" else ""
        return TargetResult(target, ERROR, tuple(sorted(set(findings))), f"terraform {stage} failed: {detail}{hint}")
    return TargetResult.of(target, findings)


def _validate(directory: Path, tool: Tool) -> Check:
    roots = tf.find_roots(directory / TERRAFORM)
    if not roots:
        reason = f"no Terraform root module under {TERRAFORM}/"
        return Check("terraform validate", tool.version, (TargetResult(TERRAFORM, ERROR, reason=reason),))
    targets = [_rel(root, directory) for root in roots]
    if not tool.found:
        return _not_installed(tool, "terraform validate", targets)
    config, problem = _cli_config()
    if problem:
        return Check("terraform validate", tool.version, tuple(TargetResult(t, ERROR, reason=problem) for t in targets))
    env = tf.terraform_env(config)
    with ThreadPoolExecutor(max_workers=ROOT_JOBS) as pool:
        results = tuple(pool.map(lambda root: _validate_one(directory, root, tool.command[0], env), roots))
    return Check("terraform validate", tool.version, results)


# -- checkov -------------------------------------------------------------------------------------------------------
def _checkov(directory: Path, tool: Tool) -> Check:
    frameworks = [f for f in (TERRAFORM, KUBERNETES, CLOUDFORMATION) if (directory / f).is_dir()]
    details = {"frameworks": frameworks}
    if not tool.found:
        return Check("checkov", "", (TargetResult(".", NOT_INSTALLED, reason=tool.missing),), tool.install, details)
    try:
        failures = run_checkov(tool.command, directory, frameworks)
    except ToolError as exc:
        reason = str(exc).splitlines()[0] + ": " + " ".join(str(exc).splitlines()[-1:])
        return Check("checkov", tool.version, (TargetResult(".", ERROR, reason=reason),), details=details)
    findings = [
        Finding(
            _rel(f.file, directory) if f.file else ".",
            f.line,
            f.check_id,
            f"{f.resource}: {f.check_name}" if f.resource else f.check_name,
        )
        for f in failures
    ]
    return Check("checkov", tool.version, (TargetResult.of(".", findings),), details=details)


# -- cloudformation ------------------------------------------------------------------------------------------------
def _cfn_lint(directory: Path, tool: Tool) -> Check:
    folder = directory / CLOUDFORMATION
    templates = cloudformation.find_templates(folder)
    target = f"{CLOUDFORMATION}/"
    if not tool.found:
        return _not_installed(tool, "cfn-lint", [target])
    if not templates:
        return Check("cfn-lint", tool.version, (TargetResult.of(target, []),))
    try:
        findings = cloudformation.run_cfn_lint(tool.command, templates, directory)
    except ToolError as exc:
        return Check("cfn-lint", tool.version, (TargetResult(target, ERROR, reason=str(exc)),))
    return Check("cfn-lint", tool.version, (TargetResult.of(target, findings),))


# -- kubernetes ----------------------------------------------------------------------------------------------------
def _kubernetes(directory: Path, kubectl: Tool, validator: Tool) -> list[Check]:
    folder = directory / KUBERNETES
    overlays = kubernetes.find_overlays(folder)
    targets = [_rel(o, directory) for o in overlays]
    where = kubernetes.source_locations(folder, directory)
    version = kubernetes.kubernetes_version(directory)
    details = {"kubernetes_version": version}
    built: dict[str, list[kubernetes.Doc]] = {}
    if kubectl.found:
        results = []
        for overlay, target in zip(overlays, targets, strict=True):
            kustomization = _rel(kubernetes.kustomization_file(overlay), directory)
            try:
                docs, error = kubernetes.kustomize(kubectl.command, overlay, directory)
            except ToolError as exc:
                results.append(TargetResult(target, ERROR, reason=str(exc)))
                continue
            if error:
                results.append(TargetResult.of(target, [Finding(kustomization, 0, "kustomize", error)]))
            else:
                built[target] = docs
                results.append(TargetResult.of(target, []))
        kustomize = Check("kubectl kustomize", kubectl.version, tuple(results))
    else:
        kustomize = _not_installed(kubectl, "kubectl kustomize", targets)
    if not validator.found:
        return [kustomize, _not_installed(validator, "kubernetes-validate", targets)]
    schema_results = []
    if not kubectl.found:  # nothing rendered: validate the files as written, overlays' patches aside
        docs = [doc for path in sorted(folder.rglob("*.yaml")) for doc in _documents(path)]
        docs = [d for d in docs if d.get("kind") != "Kustomization"]
        findings = kubernetes.schema_findings(docs, version, where, (f"{KUBERNETES}/", 0))
        schema_results.append(TargetResult.of(f"{KUBERNETES}/ (files; kubectl not installed)", findings))
    for overlay, target in zip(overlays, targets, strict=True):
        if not kubectl.found:
            break
        if target not in built:
            schema_results.append(TargetResult(target, ERROR, reason="the overlay did not build (kubectl kustomize)"))
            continue
        fallback = (_rel(kubernetes.kustomization_file(overlay), directory), 0)
        schema_results.append(
            TargetResult.of(target, kubernetes.schema_findings(built[target], version, where, fallback))
        )
    return [kustomize, Check("kubernetes-validate", validator.version, tuple(schema_results), details=details)]


def _documents(path: Path) -> list[kubernetes.Doc]:
    import yaml  # noqa: PLC0415

    try:
        return [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if isinstance(d, dict)]
    except (OSError, yaml.YAMLError):
        return []


# -- the whole run -------------------------------------------------------------------------------------------------
def run_checks(directory: Path | str) -> Report:
    """Run every validator that applies to the design in ``directory``.

    Raises :class:`UserError` when ``directory`` is not a folder or holds nothing to check.
    """
    directory = Path(directory)
    if not directory.is_dir():
        raise UserError(f"{directory} is not a folder; give the folder `archgen design` wrote")
    present = [f for f in (TERRAFORM, KUBERNETES, CLOUDFORMATION) if (directory / f).is_dir()]
    if not present:
        raise UserError(
            f"{directory} holds nothing to check (no {TERRAFORM}/, {KUBERNETES}/ or {CLOUDFORMATION}/ folder); "
            "give the folder `archgen design` wrote"
        )
    directory = directory.resolve()
    jobs: list[Callable[[], list[Check]]] = []
    if TERRAFORM in present:
        terraform = find_terraform()
        jobs += [lambda: [_fmt(directory, terraform)], lambda: [_validate(directory, terraform)]]
    jobs.append(lambda: [_checkov(directory, find_checkov())])
    if CLOUDFORMATION in present:
        jobs.append(lambda: [_cfn_lint(directory, find_cfn_lint())])
    if KUBERNETES in present:
        jobs.append(lambda: _kubernetes(directory, find_kubectl(), find_kubernetes_validate()))
    with ThreadPoolExecutor(max_workers=len(jobs)) as pool:
        checks = [check for result in pool.map(lambda job: job(), jobs) for check in result]
    manifest = directory / MANIFEST
    digest = hashlib.sha256(manifest.read_bytes()).hexdigest() if manifest.is_file() else ""
    return Report(tuple(checks), digest)
