"""Dialog tables: what a person says, what the bot answers.

Each step is ``(line, expected)``. ``expected`` is the whole reply text (several
messages joined by a blank line), or a :class:`Contains` / :class:`Lacks` check
where only part of a long reply matters. Line wrapping is the terminal's
business, so comparisons treat any run of whitespace as one space.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from adapters.console.chat import ConsoleChat


def _flat(text: str) -> str:
    """Whitespace runs as single spaces: line wrapping does not matter to a check."""
    return " ".join(text.split())


@dataclass(frozen=True)
class Contains:
    """The reply contains every one of these pieces, in this order (wrapping aside)."""

    pieces: tuple[str, ...]

    def __init__(self, *pieces: str) -> None:
        object.__setattr__(self, "pieces", pieces)

    def check(self, reply: str) -> str | None:
        position, flat = 0, _flat(reply)
        for piece in map(_flat, self.pieces):
            found = flat.find(piece, position)
            if found < 0:
                return f"missing {piece!r}"
            position = found + len(piece)
        return None


@dataclass(frozen=True)
class Lacks:
    """The reply contains none of these pieces."""

    pieces: tuple[str, ...]

    def __init__(self, *pieces: str) -> None:
        object.__setattr__(self, "pieces", pieces)

    def check(self, reply: str) -> str | None:
        present = [p for p in self.pieces if _flat(p) in _flat(reply)]
        return f"unexpected {present!r}" if present else None


Expected = str | Contains | Lacks | Sequence[Contains | Lacks]


def say(chat: ConsoleChat, line: str) -> str:
    return "\n\n".join(chat.send(line))


def verify_dialog(chat: ConsoleChat, steps: Sequence[tuple[str, Expected]]) -> None:
    for number, (line, expected) in enumerate(steps, start=1):
        reply = say(chat, line)
        problem = _check(reply, expected)
        assert problem is None, (
            f"step {number}: after {line[:60]!r}: {problem}\n--- reply was ---\n{reply}"
        )


def _check(reply: str, expected: Expected) -> str | None:
    if isinstance(expected, str):
        same = _flat(reply) == _flat(expected)
        return None if same else f"expected exactly (wrapping aside):\n{expected}"
    if isinstance(expected, Contains | Lacks):
        return expected.check(reply)
    problems = [p for p in (e.check(reply) for e in expected) if p]
    return "; ".join(problems) or None
