"""``help`` and the answer to anything the bot doesn't understand."""

from __future__ import annotations

import difflib
from collections.abc import Sequence

from bot import outbound as m
from bot.text import one_line
from bot.turn import Command, Turn


def help_(turn: Turn, args: str) -> None:
    turn.reply(*_help_blocks(turn), summary="What I can do", kind="help")


def unknown(turn: Turn, text: str) -> None:
    """A short answer: what was not understood, the likeliest command meant, and
    where the list is (the whole list every time buries the one line that helps)."""
    shown = one_line(text)[:40] + ("…" if len(one_line(text)) > 40 else "")
    if not shown:
        turn.reply(m.para("Hello! Say “help” to see what I can do."), summary="Hello!", kind="help")
        return
    closest = _closest(turn, text)
    hint = f" Did you mean “{closest.usage}”?" if closest else ""
    turn.reply(
        m.para(f"Sorry, I don't know “{shown}”.{hint} Say “help” to see what I can do."),
        summary="I didn't understand that.",
        kind="help",
    )


def _closest(turn: Turn, text: str) -> Command | None:
    """The command the person most likely meant, among those they may use."""
    commands = [*turn.commands.everyday()]
    if turn.coordinated() or turn.is_admin:
        commands += turn.commands.coordinating()
    words = {word: c for c in commands for word in c.words()}
    typed = " ".join(text.casefold().lstrip("/").split()[:2])
    for attempt in (typed, typed.split(" ")[0]):
        found = difflib.get_close_matches(attempt, list(words), n=1, cutoff=0.7)
        if found:
            return words[found[0]]
    return None


def _help_blocks(turn: Turn) -> tuple[m.Block, ...]:
    blocks: list[m.Block] = [
        m.para("I run peer mentoring here. You can say:"),
        m.Bullets(_lines(turn.commands.everyday())),
    ]
    coordinated = turn.coordinated()
    if coordinated:
        names = ", ".join(p.spec.name for p in coordinated)
        blocks += [
            m.para(f"As a coordinator ({names}), also:"),
            m.Bullets(_lines(turn.commands.coordinating())),
        ]
    elif turn.is_admin:
        blocks += [
            m.para("As one of Tandem's admins, also:"),
            m.Bullets(_lines(turn.commands.coordinating())),
        ]
    blocks.append(m.Note("Your answers are only used for matching and the program's check-ins."))
    return tuple(blocks)


def _lines(commands: Sequence[Command]) -> tuple[m.Paragraph, ...]:
    return tuple(m.para(m.Bold(c.usage), f": {c.summary}") for c in commands)
