"""Terminal output: rich tables and colour on a terminal, plain aligned text when piped; NO_COLOR respected."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from functools import cache
from typing import TYPE_CHECKING, TextIO

if TYPE_CHECKING:
    from rich.console import Console


def is_terminal(stream: TextIO) -> bool:
    """A real terminal (rich's formatting is only worth it there)."""
    return hasattr(stream, "isatty") and stream.isatty()


@cache
def _console(stderr: bool) -> Console:
    from rich.console import Console  # rich is imported only when there is something rich to show

    return Console(stderr=stderr, no_color="NO_COLOR" in os.environ, highlight=False)


def say(text: str) -> None:
    """A line on stdout."""
    print(text)


def warn(text: str) -> None:
    """A line on stderr."""
    print(text, file=sys.stderr)


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], title: str = "") -> None:
    """A table on stdout: rich on a terminal, tab-free aligned columns otherwise (stable for scripts and tests)."""
    if is_terminal(sys.stdout):
        from rich.table import Table

        grid = Table(title=title or None, show_lines=False)
        for header in headers:
            grid.add_column(header, overflow="fold")
        for row in rows:
            grid.add_row(*row)
        _console(False).print(grid)
        return
    if title:
        say(title)
    widths = [max(len(str(cell)) for cell in column) for column in zip(headers, *rows, strict=False)]
    for row in (headers, *rows):
        say("  ".join(str(cell).ljust(width) for cell, width in zip(row, widths, strict=False)).rstrip())
