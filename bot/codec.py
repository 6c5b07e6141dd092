"""Messages to and from plain JSON data, for the outbox and for logs of what was sent."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import Field, TypeAdapter

from bot import messages as m

_Recipient = TypeAdapter[m.Recipient](
    Annotated[m.ToPerson | m.ToGroup | m.ToChannel, Field(discriminator="type")]
)
_Message = TypeAdapter(m.Message)
_Form = TypeAdapter(m.Form)


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


def form_to_data(form: m.Form) -> dict[str, Any]:
    data: dict[str, Any] = _Form.dump_python(form, mode="json")
    return data
