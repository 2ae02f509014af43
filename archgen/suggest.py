"""'Did you mean …?' suggestions for mistyped keys, values and Region codes."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def nearest(word: str, choices: Iterable[str], cutoff: float = 0.6) -> str | None:
    """The closest choice to ``word``, or None when nothing is close enough to be a useful guess."""
    best, best_ratio = None, cutoff
    for choice in sorted(set(choices)):  # sorted, and only a strictly better ratio replaces: ties keep the first
        ratio = difflib.SequenceMatcher(None, word, choice).ratio()
        if ratio > best_ratio or (best is None and ratio >= cutoff):
            best, best_ratio = choice, ratio
    return best
