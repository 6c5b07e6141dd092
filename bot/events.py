"""Inbound events: what a person did, as past-tense facts, in platform-neutral terms.

An adapter builds one of these per platform request and hands it to
:meth:`bot.engine.Engine.handle`. ``event_id`` is the platform's own id for the
request (Slack ``event_id``, a Teams activity id, a console line id): the engine
processes each id once, so a platform retry changes nothing twice.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType


@dataclass(frozen=True)
class Actor:
    """Who acted: a person in a workspace, by the platform's ids.

    ``timezone`` is the platform profile's timezone when it has one (Slack does);
    the intake survey offers it as the default answer.
    """

    workspace: str
    user_id: str
    name: str = ""
    timezone: str | None = None
    platform: str = "console"


@dataclass(frozen=True)
class Surface:
    """What the place the person is talking from can show.

    ``forms`` is true where a whole form can be shown at once (a Slack modal, a
    Teams task module); the engine then sends forms instead of asking question
    by question.
    """

    forms: bool = False


CHAT = Surface(forms=False)


@dataclass(frozen=True, kw_only=True)
class InboundEvent:
    """Fields every inbound event has."""

    event_id: str
    actor: Actor
    surface: Surface = CHAT
    # The program the platform context points at (e.g. the program channel a
    # command was typed in, or ``tandem chat --program``); commands use it when
    # the person does not name one.
    program: str | None = None


@dataclass(frozen=True, kw_only=True)
class CommandIssued(InboundEvent):
    """A command with its arguments, e.g. ``/mentor pause until 2027-01-10``."""

    text: str


@dataclass(frozen=True, kw_only=True)
class TextReplied(InboundEvent):
    """Free text sent in the conversation with the bot."""

    text: str


@dataclass(frozen=True, kw_only=True)
class ChoicePicked(InboundEvent):
    """A button pressed or options chosen in a select, by option values."""

    action: str
    values: tuple[str, ...]


FormValue = str | tuple[str, ...]


@dataclass(frozen=True, kw_only=True)
class FormSubmitted(InboundEvent):
    """A form (modal) submitted, with one value per field name."""

    form: str
    values: Mapping[str, FormValue] = field(default_factory=lambda: MappingProxyType({}))


Inbound = CommandIssued | TextReplied | ChoicePicked | FormSubmitted
