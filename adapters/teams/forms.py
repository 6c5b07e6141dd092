"""Forms as Teams dialogs, and reading what cards and dialogs send back.

A form is an Adaptive Card in a dialog (``task/fetch``), a field per input, with
what was wrong above its field. What comes back is read for the engine: a list
chosen is a tuple, colleagues named by email are their Tandem handles, a button's
or a list's values are the options chosen.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from adapters.teams.render import (
    BUTTON_TEXT,
    CHOICE,
    SCHEMA,
    Json,
    block_elements,
    cut,
    rich_text,
    text_run,
)
from bot import forms
from bot import outbound as m
from bot.events import FormValue

NOBODY = "?"  # before a colleague's name nobody in Tandem answers to (no handle starts so)
MAX_PEOPLE = 60  # names read from one people field (the engine allows at most 50)
_NOBODY_WORDS = {"none", "nobody", "no one", "-", "n/a"}


def form_card(
    form: forms.Form,
    errors: Mapping[str, str] | None = None,
    shown: Callable[[str], str] = lambda handle: handle,
) -> Json:
    """A dialog's card for a form: a field per input, what was wrong above a field.
    ``shown`` says how a colleague known by their handle is shown in a people
    field: by the email they are named by."""
    errors = errors or {}
    body: list[Json] = [
        e for block in form.intro for e in block_elements(block, lambda _: None, [])
    ]
    if "_" in errors:
        body.append(rich_text([text_run(errors["_"], color="Attention", weight="Bolder")]))
    kinds: dict[str, str] = {}
    for field in form.fields:
        if field.name in errors:
            body.append(rich_text([text_run(errors[field.name], color="Attention")]))
        body.append(_input(field, shown))
        kinds[field.name] = _kind(field)
        if field.hint:
            body.append(rich_text([text_run(field.hint, isSubtle=True, size="Small")]))
    submit = {
        "type": "Action.Submit",
        "title": cut(form.submit_label, BUTTON_TEXT),
        "data": {"form": form.form_id, "kinds": kinds},
    }
    return {
        "type": "AdaptiveCard",
        "$schema": SCHEMA,
        "version": "1.5",
        "body": body,
        "actions": [submit],
    }


def _kind(field: forms.Field) -> str:
    if isinstance(field, forms.ChoiceField):
        return "multi" if field.multi else "choice"
    return "people" if isinstance(field, forms.PeopleField) else "text"


def _input(field: forms.Field, shown: Callable[[str], str]) -> Json:
    common: Json = {
        "id": field.name,
        "label": cut(field.label, 300),
        "isRequired": not field.optional,
    }
    if isinstance(field, forms.TextField):
        return {
            "type": "Input.Text",
            **common,
            "isMultiline": field.multiline,
            "maxLength": field.max_length,
            **({"placeholder": cut(field.placeholder, 100)} if field.placeholder else {}),
            **({"value": field.initial} if field.initial else {}),
        }
    if isinstance(field, forms.ChoiceField):
        return {
            "type": "Input.ChoiceSet",
            **common,
            "choices": [{"title": cut(o.label, 200), "value": o.value} for o in field.options],
            "isMultiSelect": field.multi,
            "style": "expanded" if len(field.options) <= 5 else "compact",
            **({"value": ",".join(field.initial)} if field.initial else {}),
        }
    named = [v.removeprefix(NOBODY) if v.startswith(NOBODY) else shown(v) for v in field.initial]
    return {
        "type": "Input.Text",
        **common,
        "placeholder": "Work emails of colleagues who use Tandem, separated by commas",
        **({"value": ", ".join(named)} if named else {}),
    }


def form_values(
    data: Mapping[str, Any], resolve: Callable[[str], str | None]
) -> dict[str, FormValue]:
    """What a dialog submitted, as the engine wants it: a list chosen is a tuple, and
    people named by email are their Tandem handles. Someone Tandem does not know
    is :data:`NOBODY` and what was typed, which no handle is: the engine refuses
    it, and :func:`unresolved` says whom."""
    found = data.get("kinds")
    kinds: Mapping[str, Any] = found if isinstance(found, Mapping) else {}
    values: dict[str, FormValue] = {}
    for name, kind in kinds.items():
        raw = str(data.get(name, "") or "")[:10_000]
        if kind == "multi":
            values[name] = tuple(v for v in raw.split(",") if v)
        elif kind == "people":
            if raw.strip().casefold() in _NOBODY_WORDS:
                values[name] = ()
                continue
            named = [v for v in re.split(r"[,;\s]+", raw) if v][:MAX_PEOPLE]
            values[name] = tuple(resolve(v) or f"{NOBODY}{v[:200]}" for v in named)
        else:
            values[name] = raw
    return values


def unresolved(values: Mapping[str, FormValue]) -> dict[str, list[str]]:
    """The colleagues named in a dialog whom Tandem does not know, by field."""
    found: dict[str, list[str]] = {}
    for name, value in values.items():
        if isinstance(value, tuple):
            unknown = [v.removeprefix(NOBODY) for v in value if v.startswith(NOBODY)]
            if unknown:
                found[name] = unknown
    return found


def chosen(data: Mapping[str, Any]) -> tuple[str, ...]:
    """The option values a card's button or list sent."""
    if "value" in data:
        return (str(data["value"])[:200],)
    raw = str(data.get(CHOICE, "") or "")[:2000]
    return tuple(v for v in raw.split(",") if v)


def labels(message: m.Message | None, action: str, values: Sequence[str]) -> str:
    """The labels of the chosen options, for "You chose: ..."."""
    options = {
        o.value: o.label
        for block in (message.blocks if message else ())
        if isinstance(block, m.Buttons | m.Select) and block.action == action
        for o in block.options
    }
    return ", ".join(options.get(v, v) for v in values)[:200]
