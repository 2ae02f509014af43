"""The results of ``archgen check``: findings, per-target and per-tool status, the table and ``checks.json``.

``checks.json`` is deterministic: checks in a fixed order, targets and findings sorted, paths relative to the design
folder, no timestamps and no absolute paths. It names the manifest it checked (its SHA-256), so a reader can tell
whether it still describes the design beside it.
"""

from __future__ import annotations

import json
import os
import secrets
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal

from archgen.errors import UserError

Status = Literal["passed", "failed", "not installed", "error"]
PASSED: Status = "passed"
FAILED: Status = "failed"
NOT_INSTALLED: Status = "not installed"
ERROR: Status = "error"

CHECKS_FILE = "checks.json"
SCHEMA_VERSION = 1


@dataclass(frozen=True, order=True)
class Finding:
    """One problem a validator reported, located in the design folder (``line`` 0: the whole file)."""

    file: str
    line: int
    rule: str
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.rule}: {self.message}"


@dataclass(frozen=True)
class TargetResult:
    """One validator's verdict on one target (a Terraform root, an overlay, a folder)."""

    target: str
    status: Status
    findings: tuple[Finding, ...] = ()
    reason: str = ""  # why the status is "error" or "not installed"

    @staticmethod
    def of(target: str, findings: Iterable[Finding]) -> TargetResult:
        """Passed without findings, failed with them."""
        found = tuple(sorted(set(findings)))
        return TargetResult(target, FAILED if found else PASSED, found)


@dataclass(frozen=True)
class Check:
    """One validator over all its targets."""

    tool: str
    version: str
    targets: tuple[TargetResult, ...]
    install: str = ""  # how to install the validator, when it is not installed
    details: dict[str, Any] = field(default_factory=dict)  # e.g. checkov's frameworks

    @property
    def status(self) -> Status:
        """``error`` beats ``failed`` beats ``not installed`` beats ``passed``."""
        statuses = {t.status for t in self.targets}
        for status in (ERROR, FAILED, NOT_INSTALLED):
            if status in statuses:
                return status
        return PASSED

    @property
    def findings(self) -> list[Finding]:
        """Every finding over all targets, sorted."""
        return sorted({f for t in self.targets for f in t.findings})


@dataclass(frozen=True)
class Report:
    """Every check run over one design folder."""

    checks: tuple[Check, ...]
    manifest_sha256: str = ""

    @property
    def not_installed(self) -> list[Check]:
        """The validators that are not installed (each at most once)."""
        return [c for c in self.checks if c.status == NOT_INSTALLED]

    @property
    def findings(self) -> int:
        """The number of findings over all checks."""
        return sum(len(c.findings) for c in self.checks)

    @property
    def status(self) -> str:
        """The overall verdict: ``failed``, ``error``, ``incomplete`` or ``passed``.

        ``failed`` when anything has findings, ``error`` when a validator could not run, ``incomplete`` when one is
        not installed (the rest passed).
        """
        statuses = {t.status for c in self.checks for t in c.targets}
        if FAILED in statuses:
            return FAILED
        if ERROR in statuses:
            return ERROR
        return "incomplete" if NOT_INSTALLED in statuses else PASSED

    def exit_code(self, *, strict: bool = False) -> int:
        """1 on any finding or error (and, with ``strict``, on a validator not installed); else 0."""
        if self.status in (ERROR, FAILED):
            return 1
        return 1 if strict and self.not_installed else 0

    def rows(self) -> list[tuple[str, str, str, str, str]]:
        """The table: tool, version, target, findings, status; one row per target."""
        rows: list[tuple[str, str, str, str, str]] = []
        for check in self.checks:
            for target in check.targets:
                rows.append((check.tool, check.version or "-", target.target, str(len(target.findings)), target.status))
        return rows

    def to_json(self) -> dict[str, Any]:
        """The content of ``checks.json``."""
        from archgen import __version__  # noqa: PLC0415 - the package's own version, read when writing

        counts = {status: sum(1 for c in self.checks if c.status == status) for status in (PASSED, FAILED, ERROR)}
        counts[NOT_INSTALLED] = len(self.not_installed)
        return {
            "schema_version": SCHEMA_VERSION,
            "archgen_version": __version__,
            "manifest_sha256": self.manifest_sha256,
            "status": self.status,
            "summary": {"checks": len(self.checks), **counts, "findings": self.findings},
            "checks": [
                {
                    "tool": check.tool,
                    "version": check.version,
                    "status": check.status,
                    **({"install": check.install} if check.install else {}),
                    **check.details,
                    "targets": [
                        {
                            "target": t.target,
                            "status": t.status,
                            "findings": len(t.findings),
                            **({"reason": t.reason} if t.reason else {}),
                        }
                        for t in check.targets
                    ],
                    "findings": [
                        {"file": f.file, "line": f.line, "rule": f.rule, "message": f.message} for f in check.findings
                    ],
                }
                for check in self.checks
            ],
        }

    def dumps(self) -> str:
        """``checks.json`` as text: fixed key order, two-space indent, trailing newline."""
        return json.dumps(self.to_json(), indent=2, ensure_ascii=False) + "\n"


def write_report(directory: Path, report: Report) -> Path:
    """Write ``checks.json`` into ``directory`` atomically (a temporary file beside it, then one rename)."""
    target = directory / CHECKS_FILE
    staging = directory / f".{CHECKS_FILE}.{secrets.token_hex(4)}.tmp"
    try:
        staging.write_text(report.dumps(), encoding="utf-8")
        os.replace(staging, target)
    except OSError as exc:
        raise UserError(f"cannot write {target}: {exc.strerror or exc}") from None
    finally:
        staging.unlink(missing_ok=True)
    return target


def summary_lines(report: Report, *, shown: int = 50) -> Sequence[str]:
    """The lines printed under the table: each finding and error, then what is not installed and how to fix it."""
    lines: list[str] = []
    findings = [f for check in report.checks for f in check.findings]
    lines += [f"{check.tool}: {f}" for check in report.checks for f in check.findings][:shown]
    if len(findings) > shown:
        lines.append(f"… and {len(findings) - shown} more findings (see {CHECKS_FILE})")
    for check in report.checks:
        lines += [f"{check.tool}: {t.target}: error: {t.reason}" for t in check.targets if t.status == ERROR]
    missing = report.not_installed
    if missing:
        noun = "validator" if len(missing) == 1 else "validators"
        lines.append(f"{len(missing)} {noun} not installed: results incomplete")
        lines += [f"  {check.tool}: {check.install}" for check in missing]
    return lines
