"""Messages and events to and from plain JSON data: the outbox, the inbound queue, logs."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Annotated, Any

from pydantic import Field, TypeAdapter

from bot import forms
from bot import outbound as m
from bot.events import ChoicePicked, CommandIssued, FormSubmitted, Inbound, TextReplied

_Recipient = TypeAdapter[m.Recipient](
    Annotated[m.ToPerson | m.ToGroup | m.ToChannel, Field(discriminator="type")]
)
_Message = TypeAdapter(m.Message)
_Form = TypeAdapter(forms.Form)


def message_to_data(message: m.Message) -> dict[str, Any]:
    data: dict[str, Any] = _Message.dump_python(message, mode="json")
    return data


def message_from_data(data: object) -> m.Message:
    return _Message.validate_python(data)


def recipient_to_data(recipient: m.Recipient) -> dict[str, Any]:
    data: dict[str, Any] = _Recipient.dump_python(recipient, mode="json")
    return data


def recipient_from_data(data: object) -> m.Recipient:
    return _Recipient.validate_python(data)


def form_to_data(form: forms.Form) -> dict[str, Any]:
    data: dict[str, Any] = _Form.dump_python(form, mode="json")
    return data


# --- inbound events, for the queue between an acknowledgement and the engine ------------

_EVENTS: dict[str, type[Inbound]] = {
    "command": CommandIssued,
    "text": TextReplied,
    "choice": ChoicePicked,
    "form": FormSubmitted,
}
_EVENT_ADAPTERS: dict[str, TypeAdapter[Any]] = {k: TypeAdapter(c) for k, c in _EVENTS.items()}


def event_to_data(event: Inbound) -> dict[str, Any]:
    kind = next(k for k, c in _EVENTS.items() if type(event) is c)
    data: dict[str, Any] = _EVENT_ADAPTERS[kind].dump_python(event, mode="json")
    return {**data, "type": kind}


def event_from_data(data: Mapping[str, Any]) -> Inbound:
    """The event stored by :func:`event_to_data` (``ValueError`` if it is not one)."""
    kind = str(data.get("type", ""))
    if kind not in _EVENT_ADAPTERS:
        raise ValueError(f"not a stored event: {kind[:20]!r}")
    fields = {k: v for k, v in data.items() if k != "type"}
    event: Inbound = _EVENT_ADAPTERS[kind].validate_python(fields)
    return event
