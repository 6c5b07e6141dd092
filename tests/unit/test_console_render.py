"""The console renderer: numbered options, wrapping, and no terminal escapes."""

from __future__ import annotations

from adapters.console.chat import user_id
from adapters.console.render import render
from bot import outbound as m


def _text(*blocks: m.Block) -> str:
    return render(m.Message(tuple(blocks), "s"))


def test_few_short_options_fit_on_one_line() -> None:
    assert _text(m.Buttons("a", m.options(("y", "Yes"), ("n", "No")))) == "  [1] Yes  [2] No"


def test_many_options_are_laid_out_in_columns_down_then_across() -> None:
    options = tuple(m.Option(str(n), f"Skill number {n}") for n in range(1, 11))
    lines = _text(m.Select("a", options)).splitlines()
    assert lines[0].split() == [
        "[1]",
        "Skill",
        "number",
        "1",
        "[5]",
        "Skill",
        "number",
        "5",
        "[9]",
        "Skill",
        "number",
        "9",
    ]
    assert len(lines) == 4


def test_escape_sequences_from_anywhere_never_reach_the_terminal() -> None:
    text = _text(
        m.para("hi \x1b[2J", m.Bold("\x07bold"), m.Mention("u\x1b")),
        m.Facts((m.Fact("a\x1b", "b\x1b"),)),
        m.Note("\x1bnote"),
    )
    assert "\x1b" not in text and "\x07" not in text


def test_mentions_show_as_handles() -> None:
    assert _text(m.para("hello ", m.Mention("ana-lima"))) == "hello @ana-lima"


def test_console_user_ids_are_simple_handles() -> None:
    assert user_id("Ana Lima") == "ana-lima"
    assert user_id("  José O'Neil ") == "jose-o-neil"
    assert user_id("!!!") == "someone"
