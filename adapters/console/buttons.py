"""Buttons in a terminal: a typed line that picks options of what is on screen.

A terminal has no buttons, so the console emulates them the way people use
them: a number picks from the newest buttons or list on screen, an option's
name picks from any of them (newest first), and several numbers or names
separated by commas pick several options of a multi-select. Anything else is
sent as text.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from bot import outbound as m
from bot.text import one_line

Interactive = m.Buttons | m.Select
_SPLIT = re.compile(r"\s*[,;]\s*")


def interactive(messages: Sequence[m.Message]) -> list[Interactive]:
    """The buttons and selects of a screen of messages, newest first."""
    found = [b for msg in messages for b in msg.blocks if isinstance(b, m.Buttons | m.Select)]
    return list(reversed(found))


def pick(line: str, screen: Sequence[Interactive]) -> tuple[str, tuple[str, ...]] | None:
    """(action, values) when ``line`` picks options on screen, else ``None``."""
    whole = one_line(line[:400]).casefold()
    if not whole or not screen:
        return None
    parts = [p for p in _SPLIT.split(whole) if p]
    for n, element in enumerate(screen):
        # The whole line first: a label may itself contain a comma ("Yes, we met").
        values = _values([whole], element, numbers=n == 0) or _values(
            parts, element, numbers=n == 0
        )
        if values is not None:
            return element.action, values
    return None


def _values(parts: list[str], element: Interactive, *, numbers: bool) -> tuple[str, ...] | None:
    several = isinstance(element, m.Select) and element.multi
    if len(parts) > 1 and not several:
        return None
    chosen = [_option(part, element.options, numbers=numbers) for part in parts]
    if any(c is None for c in chosen):
        return None
    return tuple(dict.fromkeys(c for c in chosen if c is not None))


def _option(part: str, options: Sequence[m.Option], *, numbers: bool) -> str | None:
    if numbers and part.isdigit() and 1 <= int(part) <= len(options):
        return options[int(part) - 1].value
    return next(
        (o.value for o in options if part in (o.label.casefold(), o.value.casefold())), None
    )
