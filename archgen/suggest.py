"""'Did you mean …?' suggestions for mistyped keys, values and Region codes."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def nearest(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The closest choice to ``word``, or None when nothing is close enough to be a useful guess."""
    hits = difflib.get_close_matches(word, sorted(set(choices)), n=1, cutoff=cutoff)
    return hits[0] if hits else None
