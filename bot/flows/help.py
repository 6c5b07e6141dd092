"""``help`` and the answer to anything the bot doesn't understand."""

from __future__ import annotations

from bot import messages as m
from bot.text import one_line
from bot.turn import Turn


def help_(turn: Turn, args: str) -> None:
    turn.reply(*_help_blocks(turn), summary="What I can do", kind="help")


def unknown(turn: Turn, text: str) -> None:
    shown = one_line(text)[:40] + ("…" if len(one_line(text)) > 40 else "")
    turn.reply(
        m.para(f"Sorry, I don't know “{shown}”." if shown else "Hello!"),
        *_help_blocks(turn),
        summary="I didn't understand that. Here's what I can do.",
        kind="help",
    )


def _help_blocks(turn: Turn) -> tuple[m.Block, ...]:
    lines = tuple(
        m.para(m.Bold(command.usage), f": {command.summary}")
        for command in turn.commands.everyday()
    )
    return (
        m.para("I run peer mentoring here. You can say:"),
        m.Bullets(lines),
        m.Note("Your answers are only used for matching and the program's check-ins."),
    )
