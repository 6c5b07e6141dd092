"""Hygiene for text people type: bounded, normalised, free of control characters.

Every piece of user text passes through :func:`clean` before the engine looks at
it. Escaping for a platform (Slack mrkdwn, Adaptive Cards) is the renderer's job;
this module only decides whether the text is acceptable at all.
"""

from __future__ import annotations

import re
import unicodedata

# Anything longer than this is refused before any parsing happens, whatever the
# question's own limit: it bounds the work one message can cause.
MAX_INBOUND_CHARS = 4000

# Bidirectional overrides and isolates can make a name display as something else
# ("evil\u202egnp.exe"); they have no place in a profile answer.
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_ALLOWED_CONTROLS = frozenset("\n\t")


class BadText(ValueError):
    """The text cannot be accepted; ``str(error)`` is a message for the person."""


def clean(raw: str, *, max_chars: int, multiline: bool = False) -> str:
    """Normalise ``raw`` and check it, or raise :class:`BadText` saying why."""
    if len(raw) > MAX_INBOUND_CHARS:
        raise BadText(
            f"That message is {len(raw):,} characters long; "
            f"the limit here is {max_chars:,} characters."
        )
    text = unicodedata.normalize("NFC", raw).strip()
    _reject_controls(text, multiline=multiline)
    if len(text) > max_chars:
        raise BadText(
            f"That answer is {len(text):,} characters long; "
            f"the limit here is {max_chars:,}. Could you shorten it?"
        )
    return text


def _reject_controls(text: str, *, multiline: bool) -> None:
    for char in text:
        if char in _BIDI_CONTROLS:
            raise BadText(
                "Your answer contains invisible text-direction characters. "
                "Please type it as plain text."
            )
        if unicodedata.category(char) == "Cc" and char not in _ALLOWED_CONTROLS:
            raise BadText(
                f"Your answer contains a control character (U+{ord(char):04X}). "
                "Please type it as plain text."
            )
        if char == "\n" and not multiline:
            raise BadText("Please keep this answer on one line.")


def one_line(text: str) -> str:
    """Collapse whitespace runs into single spaces (for names and labels)."""
    return " ".join(text.split())


def user_id_for(name: str) -> str:
    """A plain handle from a name: "José O'Neil" becomes "jose-o-neil"."""
    decomposed = unicodedata.normalize("NFKD", name.strip().casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return re.sub(r"[^a-z0-9._-]+", "-", plain).strip("-")[:40]


def counted(count: int, one: str, many: str) -> str:
    """``1 match``, ``3 matches``: a count with the right form of its noun."""
    return f"{count} {one if count == 1 else many}"


def pieces(text: str, size: int) -> list[str]:
    """``text`` in pieces of at most ``size`` characters, cut at line ends where it can
    (for platforms that limit one text element)."""
    parts: list[str] = []
    while len(text) > size:
        cut_at = text.rfind("\n", 0, size)
        cut_at = cut_at if cut_at > 0 else size
        parts.append(text[:cut_at])
        text = text[cut_at:].lstrip("\n")
    return [*parts, text] if text or not parts else parts
