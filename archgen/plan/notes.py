"""What the planner learns along the way besides decisions: assumptions, risks and open questions."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Notes:
    """Collected in order; duplicates dropped so each sentence appears once in DESIGN.md."""

    assumptions: list[str] = field(default_factory=list)
    risks: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)

    def assume(self, text: str) -> None:
        """Record an assumption the design rests on."""
        _add(self.assumptions, text)

    def risk(self, text: str) -> None:
        """Record a risk a reviewer should weigh."""
        _add(self.risks, text)

    def ask(self, text: str) -> None:
        """Record an open question for the design review."""
        _add(self.questions, text)


def _add(items: list[str], text: str) -> None:
    if text not in items:
        items.append(text)
