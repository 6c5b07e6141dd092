"""Teams activities in, engine events out: pure translation, no I/O.

People are known to the engine by their Entra (AAD) object id, which is the same
in every conversation; the tenant is the workspace. The activity id is the event
id, so an activity Teams sends again changes nothing twice. Where Teams reaches
each person and channel (service URL, conversation, Teams ids) travels with the
event, to be stored on the way to the engine.
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from adapters.teams.forms import chosen, form_values
from bot.events import (
    CHAT,
    Actor,
    ChoicePicked,
    CommandIssued,
    FormSubmitted,
    Inbound,
    Surface,
    TextReplied,
)
from bot.text import one_line

PLATFORM = "teams"
INSTALLED, REMOVED = "installed", "removed"  # an address's "state"
FORMS = Surface(forms=True)
MAX_TEXT = 4000  # what Tandem reads of one message; the engine bounds each answer itself
_MENTION = re.compile(r"<at>.*?</at>", re.IGNORECASE | re.DOTALL)
_TAG = re.compile(r"<[^>]{0,200}>")
Activity = Mapping[str, Any]


@dataclass(frozen=True)
class Taken:
    """An activity as Tandem takes it: the event, and the addresses it shows."""

    event: Inbound
    addresses: dict[str, dict[str, str]] = field(default_factory=dict)  # key -> fields


def problem(activity: Activity) -> str | None:
    """Why this is not an activity Tandem can take (None: it looks right)."""
    if not isinstance(activity.get("type"), str) or not isinstance(activity.get("id"), str):
        return "no type or id"
    if not isinstance(activity.get("serviceUrl"), str) or not activity["serviceUrl"]:
        return "no serviceUrl"
    for part in ("from", "conversation", "recipient"):
        if not isinstance(activity.get(part), Mapping):
            return f"no {part}"
    if not tenant_of(activity):
        return "no tenant"
    return None


def tenant_of(activity: Activity) -> str:
    data = activity.get("channelData") if isinstance(activity.get("channelData"), Mapping) else {}
    tenant = (data or {}).get("tenant") or {}
    conversation = activity.get("conversation") or {}
    found = tenant.get("id") if isinstance(tenant, Mapping) else None
    return str(found or conversation.get("tenantId") or "")[:100]


def actor(activity: Activity) -> Actor:
    sender = activity.get("from") or {}
    user = str(sender.get("aadObjectId") or sender.get("id") or "")[:100]
    name = one_line(str(sender.get("name") or ""))[:80]
    return Actor(tenant_of(activity), user, name, None, PLATFORM)


def addresses(activity: Activity) -> dict[str, dict[str, str]]:
    """Where Teams reaches the sender (and the channel it came from, if any)."""
    sender, conversation = activity.get("from") or {}, activity.get("conversation") or {}
    person = actor(activity)
    service = str(activity.get("serviceUrl", ""))[:300]
    found = {
        person.user_id: {
            "service_url": service,
            "teams_id": str(sender.get("id", ""))[:200],
            "name": person.name,
            "tenant": person.workspace,
            "bot": str((activity.get("recipient") or {}).get("id", ""))[:200],
        }
    }
    kind = conversation.get("conversationType")
    conversation_id = str(conversation.get("id", "")).split(";")[0][:300]
    # Whatever comes from a chat or a channel says Tandem is installed there (again).
    if kind == "personal":
        found[person.user_id]["conversation"] = conversation_id
        found[person.user_id]["state"] = INSTALLED
    elif kind == "channel":
        found[conversation_id] = {
            "service_url": service,
            "conversation": conversation_id,
            "tenant": person.workspace,
            "state": INSTALLED,
        }
    # Any address of the tenant says where its service lives (to open a chat with
    # someone Tandem has not heard from yet).
    found["_tenant"] = {
        "service_url": service,
        "tenant": person.workspace,
        "bot": found[person.user_id]["bot"],
    }
    return found


def message(activity: Activity) -> Taken | None:
    """Something typed, or a card's submit button pressed, in a chat with Tandem."""
    who = actor(activity)
    event_id = f"activity:{activity['id']}"[:200]
    value = activity.get("value")
    if isinstance(value, Mapping) and value.get("action"):
        event: Inbound = ChoicePicked(
            event_id=event_id, actor=who, action=str(value["action"])[:200], values=chosen(value)
        )
        return Taken(event, addresses(activity))
    text = _typed(activity)
    if not text:
        return None
    return Taken(TextReplied(event_id=event_id, actor=who, text=text), addresses(activity))


def _typed(activity: Activity) -> str:
    raw = str(activity.get("text") or "")[: MAX_TEXT * 2]
    raw = _MENTION.sub("", raw)  # "@Tandem join" in a channel is "join"
    if str(activity.get("textFormat", "plain")).lower() != "plain":
        raw = html.unescape(_TAG.sub("", raw))
    return raw.strip()[:MAX_TEXT]


def reach_key(activity: Activity) -> str:
    """The address an install or a removal is about: the person's, for their own
    chat with Tandem; else the chat's or the team's (its conversation id)."""
    conversation = activity.get("conversation") or {}
    if conversation.get("conversationType") == "personal":
        return actor(activity).user_id
    return str(conversation.get("id", "")).split(";")[0][:300]


def is_install(activity: Activity) -> bool:
    """Tandem added to a chat or a team (either of the two activities Teams sends)."""
    bot = str((activity.get("recipient") or {}).get("id", ""))
    kind = activity.get("type")
    if kind == "installationUpdate":
        # An upgrade while installed names the same install: no second hello.
        return activity.get("action") in {"add", "add-upgrade"}
    if kind != "conversationUpdate":
        return False
    added = activity.get("membersAdded") or ()
    return any(isinstance(m, Mapping) and m.get("id") == bot for m in added)


def installed(activity: Activity, install: str) -> Taken | None:
    """Tandem added to a chat or a team: it says hello to whoever added it.

    Teams sends two activities for one install (``conversationUpdate`` and
    ``installationUpdate``), in either order, and sometimes only one: ``install``
    names the install, so the pair is one event while an install after a removal
    is a new one (a new hello)."""
    if not is_install(activity):
        return None
    hello = CommandIssued(event_id=f"install:{install}"[:200], actor=actor(activity), text="hello")
    return Taken(hello, addresses(activity))


def removed(activity: Activity) -> bool:
    """Tandem removed from a chat or a team."""
    if activity.get("type") == "installationUpdate":
        return activity.get("action") in {"remove", "remove-upgrade"}
    bot = str((activity.get("recipient") or {}).get("id", ""))
    gone = activity.get("membersRemoved") or ()
    return any(isinstance(m, Mapping) and m.get("id") == bot for m in gone)


def invoke(activity: Activity, resolve: Callable[[str], str | None]) -> Taken | None:
    """A dialog opened or submitted, or a card's ``Action.Execute`` pressed."""
    name, value = activity.get("name"), activity.get("value")
    if not isinstance(value, Mapping):
        return None
    who, event_id = actor(activity), f"activity:{activity['id']}"[:200]
    if name == "task/fetch" and isinstance(value.get("data"), Mapping):
        data = value["data"]
        action = str(data.get("action", ""))[:200]
        event: Inbound = ChoicePicked(
            event_id=event_id, actor=who, surface=FORMS, action=action, values=chosen(data)
        )
    elif name == "task/submit" and isinstance(value.get("data"), Mapping):
        data = value["data"]
        event = FormSubmitted(
            event_id=event_id,
            actor=who,
            surface=FORMS,
            form=str(data.get("form", ""))[:200],
            values=form_values(data, resolve),
        )
    elif name == "adaptiveCard/action" and isinstance(value.get("action"), Mapping):
        pressed = value["action"]
        data = pressed.get("data") if isinstance(pressed.get("data"), Mapping) else {}
        action = str(pressed.get("verb") or data.get("action") or "")[:200]
        event = ChoicePicked(
            event_id=event_id, actor=who, surface=CHAT, action=action, values=chosen(data)
        )
    else:
        return None
    return Taken(event, addresses(activity))
