"""Slack payloads in, engine events out: pure translation, no I/O.

Event ids make Slack's retries harmless: an Events API retry carries the same
``event_id``; a modal submitted twice carries the same view id and hash; every
click has its own ``trigger_id`` (a double click is two clicks, and the engine's
flows answer a question once).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Mapping
from typing import Any

from adapters.slack.modals import submitted_values
from adapters.slack.render import engine_action
from bot.events import (
    CHAT,
    Actor,
    ChoicePicked,
    CommandIssued,
    FormSubmitted,
    Surface,
    TextReplied,
)
from bot.text import one_line

PLATFORM = "slack"
# Slash commands and interactions come with a trigger_id, so a modal can be opened.
FORMS = Surface(forms=True)
MAX_TEXT = 4000  # what Tandem reads of one message; the engine bounds each answer itself

Payload = Mapping[str, Any]


# A mention as Slack sends it: <@U024BE7LH> or <@U024BE7LH|sam>.
_MENTION = re.compile(r"<@([UW][A-Z0-9]{2,30})(?:\|[^>]{0,80})?>")


def unescape(text: str) -> str:
    """What the person typed, in the engine's terms: Slack's mentions become ``@U123``
    (a person by their id, which is how the engine names people), and ``&``, ``<``
    and ``>``, which Slack sends escaped, are themselves again."""
    text = _MENTION.sub(lambda found: "@" + found.group(1), text)
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def problem(body: Payload) -> str | None:
    """Why a signed request is not something Slack sends (None: it looks right).

    Bolt trusts the shape of what it parses; a request that passed the signature
    check but lacks what a listener needs is answered 400 here, never a 500.
    """
    kind = body.get("type")
    if "command" in body:
        missing = [k for k in ("team_id", "user_id", "trigger_id") if not body.get(k)]
        return f"a command without {', '.join(missing)}" if missing else None
    if kind == "block_actions":
        actions = body.get("actions")
        if not isinstance(actions, list) or not actions:
            return "block_actions without actions"
        if not all(isinstance(a, Mapping) for a in actions):
            return "an action that is not an object"
        return None if _user_id(body) else "block_actions without a user"
    if kind == "view_submission":
        view = body.get("view")
        if not isinstance(view, Mapping) or not view.get("id") or not view.get("type"):
            return "a view without type or id"
        return None if _user_id(body) else "a view submission without a user"
    if kind == "event_callback" and not isinstance(body.get("event"), Mapping):
        return "an event callback without an event"
    return None


def _user_id(body: Payload) -> str:
    user = body.get("user")
    return str(user.get("id") or "") if isinstance(user, Mapping) else ""


def team_of(body: Payload) -> str:
    """The workspace a payload belongs to (team id), whatever its shape."""
    team = body.get("team")
    if isinstance(team, Mapping):
        return str(team.get("id") or "")
    return str(body.get("team_id") or team or "")


def actor(team: str, user_id: str, name: str = "", timezone: str | None = None) -> Actor:
    return Actor(team, user_id, one_line(name)[:80], timezone, PLATFORM)


def command(body: Payload, timezone: str | None = None) -> CommandIssued:
    """``/mentor <text>``."""
    return CommandIssued(
        event_id=f"command:{body['trigger_id']}",
        actor=actor(team_of(body), body["user_id"], body.get("user_name", ""), timezone),
        surface=FORMS,
        text=unescape(str(body.get("text", ""))[:MAX_TEXT]),
    )


def _user(body: Payload) -> tuple[str, str]:
    user = body.get("user") or {}
    return str(user.get("id", "")), str(user.get("name") or user.get("username") or "")


def choice(body: Payload, action: Payload, timezone: str | None = None) -> ChoicePicked | None:
    """A button pressed or options chosen (one action of a ``block_actions`` payload)."""
    values = picked(action)
    if values is None:
        return None
    user, name = _user(body)
    return ChoicePicked(
        event_id=f"action:{body.get('trigger_id') or action.get('action_ts')}",
        actor=actor(team_of(body), user, name, timezone),
        surface=FORMS if body.get("trigger_id") else CHAT,
        action=engine_action(str(action.get("action_id", ""))),
        values=values,
    )


def picked(action: Payload) -> tuple[str, ...] | None:
    kind = action.get("type")
    if kind == "button":
        return (str(action.get("value", "")),)
    if kind == "static_select":
        chosen = action.get("selected_option") or {}
        return (str(chosen.get("value", "")),)
    if kind == "multi_static_select":
        return tuple(str(o.get("value", "")) for o in action.get("selected_options") or ())
    return None


def submission(body: Payload, timezone: str | None = None) -> FormSubmitted:
    """A modal submitted (``view_submission``)."""
    view = body["view"]
    user, name = _user(body)
    values = submitted_values((view.get("state") or {}).get("values") or {})
    # The same modal submitted twice is one event; corrected after an error (same
    # view, other values), it is a new one.
    answers = hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()[:16]
    return FormSubmitted(
        event_id=f"view:{view['id']}:{view.get('hash', '')}:{answers}",
        actor=actor(team_of(body), user, name, timezone),
        surface=FORMS,
        form=str(view.get("callback_id", "")),
        values=values,
    )


def direct_message(body: Payload, timezone: str | None = None) -> TextReplied | None:
    """Something a person typed in their DM with Tandem, or ``None`` for anything else
    (bots, edits, joins, channel messages)."""
    event = body.get("event") or {}
    if event.get("channel_type") != "im" or event.get("subtype") or event.get("bot_id"):
        return None
    if not event.get("user"):
        return None
    return TextReplied(
        event_id=f"event:{body.get('event_id') or event.get('client_msg_id') or event['ts']}",
        actor=actor(team_of(body) or str(event.get("team", "")), str(event["user"]), "", timezone),
        text=unescape(str(event.get("text", ""))[:MAX_TEXT]),
    )
