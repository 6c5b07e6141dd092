"""Colleagues named in a command: ``@handle`` as ``request`` takes them, then words.

Used by ``kudos`` and ``spotlight``; a name Tandem doesn't know is answered with
what it can be instead (a program's name, or a colleague who has talked to Tandem).
"""

from __future__ import annotations

import re

from bot.cadence.recognition_content import words
from bot.model import Person
from bot.text import BadText, clean, one_line
from bot.turn import Turn

_HANDLE = re.compile(r"^@?([A-Za-z0-9][\w.\-]{0,63})$")  # as ``request`` takes them
MAX_WORDS = 280  # a kudos or a story: a line or two
_SHOWN = 40  # characters of a typed name an answer repeats


def someone_and_words(
    turn: Turn, rest: str, usage: str, count: int = 1
) -> tuple[tuple[Person, ...], str] | None:
    """``count`` people named first (``@handle``, as ``request`` takes them), then the
    words; ``None`` after saying what was wrong."""
    parts = rest.split(None, count)
    if len(parts) < count:
        turn.say(usage)
        return None
    found: list[Person] = []
    for typed in parts[:count]:
        person = known(turn, typed)
        if person is None:
            return None
        found.append(person)
    try:
        said = clean(parts[count] if len(parts) > count else "", max_chars=MAX_WORDS)
    except BadText as error:
        turn.say(str(error))
        return None
    return tuple(found), said


def known(turn: Turn, typed: str) -> Person | None:
    """The colleague ``typed`` names; ``None`` after saying why there is none."""
    match = _HANDLE.match(typed)
    shown = one_line(typed)[:_SHOWN]
    if match is None:
        turn.say(f"“{shown}” doesn't look like a colleague's handle. {words().kudos.usage}")
        return None
    handle = match.group(1)
    ws = turn.workspace.id
    person = turn.uow.people.find(ws, handle) or turn.uow.people.find(ws, handle.casefold())
    if person is not None:
        return person
    if not typed.startswith("@"):
        turn.say(
            f"I don't know a program or a person called “{shown}” here. Say “programs” to "
            "see the programs, or name a colleague as @name."
        )
        return None
    turn.say(
        f"I don't know anyone called @{handle[:_SHOWN]} here yet. You can name a colleague "
        "who has talked to Tandem."
    )
    return None
