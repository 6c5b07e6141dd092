"""Text hygiene, long text cut into pieces, timezones and the dates people type."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from bot.dates import BadDate, parse_until
from bot.text import BadText, clean
from bot.timezones import resolve_timezone

NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)


def test_text_is_normalised_to_nfc() -> None:
    assert clean("Jose\u0301", max_chars=10) == "Jos\u00e9"


@pytest.mark.parametrize("text", ["a\x00b", "a\x1bb", "a\u202eb", "two\nlines"])
def test_controls_bidi_overrides_and_newlines_are_refused_on_one_line(text: str) -> None:
    with pytest.raises(BadText):
        clean(text, max_chars=50)


def test_newlines_are_fine_where_several_lines_are_allowed() -> None:
    assert clean("two\nlines", max_chars=50, multiline=True) == "two\nlines"


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("new york", "America/New_York"),
        ("KOLKATA", "Asia/Kolkata"),
        ("UTC", "UTC"),
        ("Europe/Berlin", "Europe/Berlin"),
        ("st johns", "America/St_Johns"),
        ("", None),
        ("Mars", None),
        ("x" * 100, None),
        ("Singapore", "Asia/Singapore"),
        ("Asia/Singapore", "Asia/Singapore"),
        ("GMT", "GMT"),
    ],
)
def test_timezones_by_name_or_city(typed: str, zone: str | None) -> None:
    assert resolve_timezone(typed) == zone


def test_a_pause_ends_at_the_start_of_that_day_in_the_persons_timezone() -> None:
    until = parse_until("until 2027-01-15", NOW, "Asia/Tokyo")
    assert until == datetime(2027, 1, 14, 15, tzinfo=UTC)  # midnight in Tokyo


@pytest.mark.parametrize(("typed", "days"), [("for 3 weeks", 21), ("2 days", 2), ("1 month", 30)])
def test_a_pause_for_a_span(typed: str, days: int) -> None:
    until = parse_until(typed, NOW, "UTC")
    assert (until.date() - NOW.date()).days == days


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("until 2026-11-23", "isn't in the future"),
        ("2027-13-01", "isn't a real date"),
        ("for 400 days", "up to a year"),
        ("next week", "couldn't read that date"),
    ],
)
def test_dates_that_cannot_be_used(typed: str, message: str) -> None:
    with pytest.raises(BadDate, match=message):
        parse_until(typed, NOW, "UTC")


def test_a_long_text_is_cut_into_pieces_at_line_ends() -> None:
    from bot.text import pieces

    text = "\n".join(f"line {n:03}" for n in range(1000))
    parts = pieces(text, 100)
    assert all(len(p) <= 100 for p in parts)
    assert "\n".join(parts) == text
    assert pieces("", 10) == [""] and pieces("abc", 10) == ["abc"]
