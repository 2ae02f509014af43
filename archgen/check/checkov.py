"""checkov, offline: run it over a folder with the given frameworks and read its JSON report."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from archgen.check.tools import ToolError, run

CHECKOV_TIMEOUT = 600
# No download of policies or mappings, no update check, no upload: checkov works from what it ships.
CHECKOV_ENV = {"BC_SKIP_MAPPING": "TRUE", "CKV_SKIP_PACKAGE_UPDATE_CHECK": "true"}


@dataclass(frozen=True)
class Failure:
    """One failed checkov check (or a file checkov could not parse: ``check_id == "PARSING_ERROR"``)."""

    check_id: str
    check_name: str
    resource: str
    file: str
    line: int
    framework: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.check_id} {self.resource}: {self.check_name}"


def _failures(report: Mapping[str, Any]) -> Iterable[Failure]:
    framework = str(report.get("check_type", ""))
    results = report.get("results", {})
    for check in results.get("failed_checks", []):
        lines = check.get("file_line_range") or [0]
        yield Failure(
            check_id=check["check_id"],
            check_name=check.get("check_name", ""),
            resource=check.get("resource", ""),
            file=str(check.get("file_path", "")).lstrip("/"),
            line=int(lines[0]),
            framework=framework,
        )
    for path in results.get("parsing_errors", []):
        yield Failure("PARSING_ERROR", "checkov could not parse this file", "", str(path), 0, framework)


def run_checkov(command: Sequence[str], directory: Path, frameworks: Sequence[str]) -> list[Failure]:
    """Run checkov (``command``: its executable) on ``directory``; the failed checks and unparsable files.

    Raises :class:`ToolError` when checkov itself fails (an exit code other than 0 or 1, or no report).
    """
    env = dict(os.environ, **CHECKOV_ENV)
    env.pop("BC_API_KEY", None)  # never upload results to a platform account
    with tempfile.TemporaryDirectory(prefix="archgen-checkov-") as tmp:
        cmd = [*command, "--directory", str(directory), "--framework", *frameworks]
        cmd += ["--output", "json", "--output-file-path", tmp, "--skip-download"]
        proc = run(cmd, env=env, timeout=CHECKOV_TIMEOUT)
        result_file = Path(tmp) / "results_json.json"
        if proc.returncode not in (0, 1) or not result_file.is_file():
            raise ToolError(f"checkov failed (exit {proc.returncode}): {' '.join(cmd)}\n{proc.stderr[-3000:]}")
        data = json.loads(result_file.read_text(encoding="utf-8"))
    reports = data if isinstance(data, list) else [data]
    return [failure for report in reports for failure in _failures(report)]
