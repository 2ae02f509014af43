"""Checking a written design with the artifacts' own tools.

The tools: terraform fmt and validate, checkov, cfn-lint, kubectl kustomize and kubernetes-validate. ``run_checks``
gives a :class:`Report`; ``write_report`` writes ``checks.json``.

Modules: ``tools`` finds the validators and their versions; ``terraform``, ``checkov``, ``cloudformation`` and
``kubernetes`` run one family each (the project's tests use the same runners); ``report`` holds the results, the
table and ``checks.json``; ``run`` puts them together.
"""

from __future__ import annotations

from archgen.check.report import CHECKS_FILE, Check, Finding, Report, TargetResult, summary_lines, write_report
from archgen.check.run import run_checks

__all__ = [
    "CHECKS_FILE",
    "Check",
    "Finding",
    "Report",
    "TargetResult",
    "run_checks",
    "summary_lines",
    "write_report",
]
