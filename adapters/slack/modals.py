"""Engine forms as Slack modals, and the values of a submitted modal.

A form is a modal whose ``callback_id`` is the engine's form id, an input block
per field (named by the field), every input element's ``action_id`` is
:data:`VALUE`; the text around it goes through the same escaping as messages.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from adapters.slack.render import (
    INPUT_LABEL,
    MODAL_BLOCKS,
    MODAL_TITLE,
    PLACEHOLDER,
    TEXT_INPUT_MAX,
    USER_ID,
    Json,
    block_elements,
    plain,
    select_element,
)
from bot import forms
from bot.events import FormValue

VALUE = "value"  # the action_id of every input element in a modal


def modal(form: forms.Form, private_metadata: str = "") -> Json:
    """A form as a modal view; its ``callback_id`` is the engine's form id."""
    intro = [b for block in form.intro for b in block_elements(block)]
    inputs = [_input(f) for f in form.fields]
    room = MODAL_BLOCKS - len(inputs)
    return {
        "type": "modal",
        "callback_id": form.form_id,
        "title": plain(form.title, MODAL_TITLE),
        "submit": plain(form.submit_label, MODAL_TITLE),
        "close": plain("Cancel", MODAL_TITLE),
        "private_metadata": private_metadata,
        "blocks": intro[: max(room, 0)] + inputs,
    }


def _input(item: forms.Field) -> Json:
    block: Json = {
        "type": "input",
        "block_id": item.name,
        "label": plain(item.label, INPUT_LABEL),
        "optional": item.optional,
        "element": _element(item),
    }
    if item.hint:
        block["hint"] = plain(item.hint, INPUT_LABEL)
    return block


def _element(item: forms.Field) -> Json:
    if isinstance(item, forms.TextField):
        element: Json = {
            "type": "plain_text_input",
            "action_id": VALUE,
            "multiline": item.multiline,
            "max_length": min(item.max_length, TEXT_INPUT_MAX),
        }
        if item.min_length:
            element["min_length"] = min(item.min_length, element["max_length"])
        if item.placeholder:
            element["placeholder"] = plain(item.placeholder, PLACEHOLDER)
        if item.initial:
            element["initial_value"] = item.initial[: element["max_length"]]
        return element
    if isinstance(item, forms.ChoiceField):
        return select_element(
            VALUE,
            item.options,
            multi=item.multi,
            max_selected=item.max_selected,
            initial=item.initial,
            placeholder="Choose…",
        )
    people: Json = {
        "type": "multi_users_select",
        "action_id": VALUE,
        "max_selected_items": max(1, item.max_selected),
        "placeholder": plain("Choose people", PLACEHOLDER),
    }
    initial = [u for u in item.initial if USER_ID.match(u)]
    if initial:
        people["initial_users"] = initial
    return people


def submitted_values(state: Mapping[str, Any]) -> dict[str, FormValue]:
    """The values of a submitted modal (``view.state.values``), by field name."""
    values: dict[str, FormValue] = {}
    for name, actions in state.items():
        element = actions.get(VALUE) if isinstance(actions, Mapping) else None
        if not isinstance(element, Mapping):
            continue
        values[name] = _value(element)
    return values


def _value(element: Mapping[str, Any]) -> FormValue:
    kind = element.get("type")
    if kind == "plain_text_input":
        return str(element.get("value") or "")
    if kind == "static_select":
        chosen = element.get("selected_option") or {}
        return (str(chosen["value"]),) if chosen.get("value") else ()
    if kind == "multi_static_select":
        return tuple(str(o.get("value", "")) for o in element.get("selected_options") or ())
    if kind == "multi_users_select":
        return tuple(str(u) for u in element.get("selected_users") or ())
    return ()
