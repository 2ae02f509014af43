"""Durations: how specs spell times (integer seconds or ``1h30m``) and how archgen prints them back."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from archgen.durations import format_duration, parse_duration


@pytest.mark.parametrize(
    ("value", "seconds"),
    [
        (0, 0),
        (1, 1),
        (3600, 3600),
        ("0", 0),
        ("0s", 0),
        ("90", 90),
        ("30s", 30),
        ("15m", 900),
        ("4h", 14400),
        ("1d", 86400),
        ("1h30m", 5400),
        ("1d2h3m4s", 93784),
        ("  4H ", 14400),
        ("1 h 30 m", 5400),
        ("2M", 120),
    ],
)
def test_parse_accepts(value: object, seconds: int) -> None:
    assert parse_duration(value) == seconds


@pytest.mark.parametrize(
    "value",
    ["", "h", "soon", "1.5", 1.5, "-5", "1h-", "1w", "h1", "1hh", "1 hour", None, [], {}, "4h!"],
)
def test_parse_rejects_with_examples(value: object) -> None:
    with pytest.raises(ValueError, match=r"is not a duration \(examples: 30s, 15m, 4h, 1d\)"):
        parse_duration(value)


def test_negative_integer_is_rejected_as_negative() -> None:
    with pytest.raises(ValueError, match="-5 is negative"):
        parse_duration(-5)


@pytest.mark.parametrize("value", [True, False])
def test_bool_is_not_a_duration(value: bool) -> None:
    # bool is an int subclass: True must not silently mean one second
    with pytest.raises(ValueError, match="is not a duration"):
        parse_duration(value)


def test_superscript_digit_gets_the_user_message() -> None:
    with pytest.raises(ValueError, match="is not a duration"):
        parse_duration("²")


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (0, "0s"),
        (1, "1s"),
        (59, "59s"),
        (60, "1m"),
        (90, "1m30s"),
        (3600, "1h"),
        (5400, "1h30m"),
        (86400, "1d"),
        (93784, "1d2h3m4s"),
        (90000, "1d1h"),
    ],
)
def test_format(seconds: int, text: str) -> None:
    assert format_duration(seconds) == text


@given(st.integers(min_value=0, max_value=10**9))
def test_format_round_trips_through_parse(seconds: int) -> None:
    assert parse_duration(format_duration(seconds)) == seconds


@given(st.integers(min_value=0, max_value=10**9))
def test_integers_and_their_strings_parse_to_themselves(seconds: int) -> None:
    assert parse_duration(seconds) == seconds
    assert parse_duration(str(seconds)) == seconds
