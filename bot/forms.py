"""Forms: a set of fields answered at once (a Slack modal, a Teams dialog).

What a form asks is structural, like every outbound message: each field says
what it takes (text, a choice, people), never how a platform draws it. A
submitted form comes back as :class:`bot.events.FormSubmitted`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Literal

from bot.outbound import Block, Option


@dataclass(frozen=True)
class TextField:
    name: str
    label: str
    max_length: int
    min_length: int = 0
    multiline: bool = False
    optional: bool = False
    hint: str = ""
    placeholder: str = ""
    initial: str = ""
    type: Literal["text"] = "text"


@dataclass(frozen=True)
class ChoiceField:
    name: str
    label: str
    options: tuple[Option, ...]
    multi: bool = False
    min_selected: int = 1
    max_selected: int = 1
    optional: bool = False
    hint: str = ""
    initial: tuple[str, ...] = ()
    type: Literal["choice"] = "choice"


@dataclass(frozen=True)
class PeopleField:
    """Pick people of the workspace (a user picker where the platform has one)."""

    name: str
    label: str
    max_selected: int
    optional: bool = True
    hint: str = ""
    initial: tuple[str, ...] = ()
    type: Literal["people"] = "people"


Field = TextField | ChoiceField | PeopleField


@dataclass(frozen=True)
class Form:
    """A set of fields answered at once, submitted as :class:`bot.events.FormSubmitted`."""

    form_id: str
    title: str
    submit_label: str
    fields: tuple[Field, ...]
    intro: tuple[Block, ...] = ()


def filled(form: Form, values: Mapping[str, str | tuple[str, ...]]) -> Form:
    """The form again, showing what was submitted (to correct what was wrong)."""

    def refill(item: Field) -> Field:
        value = values.get(item.name)
        if value is None:
            return item
        if isinstance(item, TextField):
            return replace(item, initial=value if isinstance(value, str) else ", ".join(value))
        chosen = (value,) if isinstance(value, str) else value
        return replace(item, initial=tuple(v for v in chosen if v))

    return replace(form, fields=tuple(refill(item) for item in form.fields))
