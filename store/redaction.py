"""Finding and blanking stored copies of messages that name someone erased.

Messages are stored as JSON, which each database writes its own way (ASCII
escapes or not), so a trace is looked for in every form it can take there; the
rows found are then checked again on the decoded message, so a near miss in the
raw text never blanks a message that does not name the person.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import ColumnElement, Text, cast, or_

from bot import outbound as m
from bot.codec import message_to_data

ERASED = "(This message named someone who has since asked Tandem to forget them.)"
_SHORTEST = 2  # a trace shorter than this would match everything


def forms(traces: Iterable[str]) -> list[str]:
    """Each trace as it may appear inside stored JSON text."""
    found: set[str] = set()
    for trace in traces:
        if len(trace.strip()) < _SHORTEST:
            continue
        found |= {trace, json.dumps(trace)[1:-1], json.dumps(trace, ensure_ascii=False)[1:-1]}
    return sorted(found)


def mentions(column: Any, traces: Sequence[str]) -> ColumnElement[bool]:
    """SQL: the JSON ``column`` contains one of ``traces`` (in any stored form)."""
    text = cast(column, Text)
    return or_(*(text.contains(form, autoescape=True) for form in forms(traces)))


def names_any(data: object, traces: Sequence[str]) -> bool:
    """Whether decoded JSON ``data`` holds one of ``traces`` as words of its text
    (“Ana” is not in “Anastasia”)."""
    text = json.dumps(data, ensure_ascii=False)
    return any(re.search(rf"(?<!\w){re.escape(form)}(?!\w)", text) for form in forms(traces))


def refers_to(data: object, user_id: str) -> bool:
    """Whether decoded message JSON mentions ``user_id`` as a person (a mention, the
    people of a "start a chat" block), as opposed to a word in its text."""
    if isinstance(data, dict):
        for key, value in data.items():
            if key == "user_id" and value == user_id:
                return True
            if key == "user_ids" and isinstance(value, list) and user_id in value:
                return True
            if refers_to(value, user_id):
                return True
    elif isinstance(data, list):
        return any(refers_to(item, user_id) for item in data)
    return False


def without(recipient: m.Recipient, user_id: str) -> m.Recipient | None:
    """The recipient with ``user_id`` taken out; None if nobody is left."""
    if isinstance(recipient, m.ToPerson):
        return None if recipient.user_id == user_id else recipient
    if isinstance(recipient, m.ToGroup):
        left = tuple(u for u in recipient.user_ids if u != user_id)
        if not left:
            return None
        return recipient if len(left) == len(recipient.user_ids) else m.ToGroup(left)
    return recipient


def erased(kind: str) -> dict[str, Any]:
    """What is left of a sent message that named someone erased."""
    return message_to_data(m.Message((m.para(ERASED),), ERASED, kind=kind))
