"""cfn-lint over CloudFormation templates: wrong property names and types, bad references, deprecated settings."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path

from archgen.check.report import Finding
from archgen.check.tools import ToolError, run

CFN_LINT_TIMEOUT = 300
TEMPLATE_SUFFIXES = (".yaml", ".yml", ".json", ".template")
# cfn-lint's exit code is a bit mask: 2 errors, 4 warnings, 8 informational; anything else means it failed.
_FINDING_BITS = 2 | 4 | 8


def find_templates(folder: Path) -> list[Path]:
    """Every template file under ``folder``, sorted."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in TEMPLATE_SUFFIXES)


def run_cfn_lint(command: Sequence[str], templates: Sequence[Path], base: Path) -> list[Finding]:
    """cfn-lint on ``templates``; each match a finding located relative to ``base`` (``level: message``)."""
    relative = [p.relative_to(base).as_posix() for p in templates]
    proc = run([*command, "--format", "json", "--", *relative], cwd=base, timeout=CFN_LINT_TIMEOUT)
    if proc.returncode & ~_FINDING_BITS:
        raise ToolError(f"cfn-lint failed (exit {proc.returncode}): {proc.stderr.strip()[-1000:]}")
    try:
        matches = json.loads(proc.stdout or "[]")
    except ValueError:
        raise ToolError(f"cfn-lint printed no JSON report: {proc.stdout[:300]!r}") from None
    findings = []
    for match in matches:
        start = match.get("Location", {}).get("Start", {})
        level = str(match.get("Level", "")).lower()
        findings.append(
            Finding(
                file=str(match.get("Filename", "")),
                line=int(start.get("LineNumber", 0) or 0),
                rule=str(match.get("Rule", {}).get("Id", "cfn-lint")),
                message=f"{level}: {match.get('Message', '')}" if level else str(match.get("Message", "")),
            )
        )
    return findings
