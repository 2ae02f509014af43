"""Durations as people write them in specs (``30s``, ``15m``, ``4h``, ``1d``, ``1h30m``) or as integer seconds."""

from __future__ import annotations

import re

UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
_PART = re.compile(r"([0-9]+)([smhd])")
_WHOLE = re.compile(r"(?:[0-9]+[smhd])+")
EXAMPLES = "examples: 30s, 15m, 4h, 1d"


def parse_duration(value: object) -> int:
    """Seconds in ``value``; raises ValueError with a message meant for the user."""
    if isinstance(value, bool):
        raise ValueError(f"{value!r} is not a duration ({EXAMPLES})")
    if isinstance(value, int):
        if value < 0:
            raise ValueError(f"{value} is negative; a duration is 0 or more seconds")
        return value
    if isinstance(value, str):
        text = value.strip().lower().replace(" ", "")
        if text.isascii() and text.isdigit():
            return int(text)
        if _WHOLE.fullmatch(text):
            return sum(int(n) * UNIT_SECONDS[unit] for n, unit in _PART.findall(text))
    raise ValueError(f"{value!r} is not a duration ({EXAMPLES})")


def format_duration(seconds: int) -> str:
    """The shortest exact spelling: 90 → ``1m30s``, 3600 → ``1h``, 0 → ``0s``."""
    if seconds == 0:
        return "0s"
    parts = []
    for unit, size in sorted(UNIT_SECONDS.items(), key=lambda item: -item[1]):
        count, seconds = divmod(seconds, size)
        if count:
            parts.append(f"{count}{unit}")
    return "".join(parts)
