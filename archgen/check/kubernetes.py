"""Kubernetes manifests: ``kubectl kustomize`` on every overlay, and strict schema validation of its output.

Validation uses the kubernetes-validate package through its Python API (its CLI only warns about removed API
versions).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import yaml

from archgen.check.report import Finding
from archgen.check.tools import run

KUSTOMIZE_TIMEOUT = 120
KUSTOMIZATION_FILES = ("kustomization.yaml", "kustomization.yml", "Kustomization")
Doc = dict[str, Any]
# kubectl logs failures through klog: `E1126 15:00:13.651870    3841 run.go:72] "command failed" err="…"`; the
# time and process id would make checks.json differ on every run.
_KLOG_PREFIX = re.compile(r"^[EWIF]\d{4} [\d:.]+\s+\d+ [\w.-]+:\d+\] ")
_KLOG_FAILED = re.compile(r'^"command failed" err="(.*)"$')
Where = tuple[str, int]


def find_overlays(folder: Path) -> list[Path]:
    """The folders to build: ``overlays/*`` with a kustomization; without overlays, every kustomization folder."""
    overlays = folder / "overlays"
    found = {p.parent for name in KUSTOMIZATION_FILES for p in overlays.glob(f"*/{name}")}
    if not found:
        found = {p.parent for name in KUSTOMIZATION_FILES for p in folder.rglob(name)}
    return sorted(found)


def kustomization_file(folder: Path) -> Path:
    """The kustomization file of a kustomize folder."""
    return next((folder / n for n in KUSTOMIZATION_FILES if (folder / n).is_file()), folder / KUSTOMIZATION_FILES[0])


def kustomize(command: Sequence[str], folder: Path, base: Path) -> tuple[list[Doc], str]:
    """``kubectl kustomize folder``: the rendered documents, or the error kubectl printed (then no documents).

    Paths in the error are made relative to ``base``, the design folder.
    """
    proc = run([*command, "kustomize", str(folder)], timeout=KUSTOMIZE_TIMEOUT)
    if proc.returncode != 0:
        lines = [_KLOG_PREFIX.sub("", line).strip() for line in proc.stderr.splitlines() if line.strip()]
        message = " ".join(_KLOG_FAILED.sub(r"\1", line) for line in lines)
        return [], message.replace(f"{base}/", "") or f"exit {proc.returncode}"
    return [doc for doc in yaml.safe_load_all(proc.stdout) if isinstance(doc, dict)], ""


def kubernetes_version(design_dir: Path) -> str:
    """The Kubernetes version the manifests target: the EKS cluster's in design.json, else archgen's default."""
    try:
        design = json.loads((design_dir / "design.json").read_text(encoding="utf-8"))
        versions = sorted(
            str(c["properties"]["kubernetes_version"])
            for c in design.get("components", [])
            if c.get("kind") == "eks-cluster" and "kubernetes_version" in c.get("properties", {})
        )
    except (OSError, ValueError, TypeError, KeyError, AttributeError):
        versions = []
    if versions:
        return versions[0]
    from archgen.render.kubernetes import conventions  # noqa: PLC0415 - pydantic models, only when needed

    return conventions().default_kubernetes_version


def _key(doc: Doc) -> tuple[str, str]:
    metadata = doc.get("metadata") or {}
    return str(doc.get("kind", "")), str(metadata.get("name", "") if isinstance(metadata, dict) else "")


def source_locations(folder: Path, base: Path) -> dict[tuple[str, str], Where]:
    """Where each object (kind, name) is written in the YAML files under ``folder``: file relative to ``base``."""
    where: dict[tuple[str, str], Where] = {}
    for path in sorted([*folder.rglob("*.yaml"), *folder.rglob("*.yml")]):
        try:
            nodes = list(yaml.compose_all(path.read_text(encoding="utf-8")))
            docs = list(yaml.safe_load_all(path.read_text(encoding="utf-8")))
        except (OSError, yaml.YAMLError):
            continue
        for node, doc in zip(nodes, docs, strict=False):
            if isinstance(doc, dict) and node is not None:
                where.setdefault(_key(doc), (path.relative_to(base).as_posix(), node.start_mark.line + 1))
    return where


def schema_findings(
    docs: Iterable[Doc], version: str, where: dict[tuple[str, str], Where], fallback: Where
) -> list[Finding]:
    """Validate every document strictly (unknown fields are errors) against Kubernetes ``version``."""
    import kubernetes_validate  # type: ignore[import-untyped]  # noqa: PLC0415 - optional, imported when used

    findings = []
    for doc in docs:
        kind, name = _key(doc)
        file, line = where.get((kind, name), fallback)
        try:
            kubernetes_validate.validate(doc, version, strict=True)
        except kubernetes_validate.ValidationError as exc:
            path = ".".join(str(p) for p in exc.path)
            message = f"{kind}/{name}: {path + ': ' if path else ''}{exc.message}"
            findings.append(Finding(file, line, "strict-schema", message))
        except kubernetes_validate.SchemaNotFoundError:
            message = f"{kind}/{name}: no schema for {doc.get('apiVersion')} {kind} in Kubernetes {version}"
            findings.append(Finding(file, line, "unknown-kind", message))
    return findings
