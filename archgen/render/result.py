"""What a renderer may return besides plain files: warnings for the user. Renderers never print.

A renderer that can only do part of its job (the diagrams renderer without Graphviz's ``dot``) returns
``Rendered(files, warnings)``; ``render_files`` passes each distinct warning on as a :class:`RenderWarning`
through Python's ``warnings`` module, and the CLI shows each one once on stderr.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

# relative path → content: text (written as UTF-8) or bytes (written as is, e.g. a PNG)
Files = Mapping[str, str | bytes]


@dataclass(frozen=True)
class Rendered:
    """A renderer's files and the warnings to show the user."""

    files: Files
    warnings: tuple[str, ...] = field(default=())


class RenderWarning(UserWarning):
    """Output the user asked for could not be produced in full; the run still succeeds."""
