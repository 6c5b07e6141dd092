"""An invoke's answer, in the shapes Teams wants in the response: a dialog (the form
again, with what was wrong, or a word to close it), the pressed card as it should
look now, or a word that leaves the card be."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

from botbuilder.schema import AdaptiveCardInvokeResponse, Attachment
from botbuilder.schema.teams import (
    TaskModuleContinueResponse,
    TaskModuleMessageResponse,
    TaskModuleResponse,
    TaskModuleTaskInfo,
)

from adapters.teams.forms import form_card
from adapters.teams.render import CARD
from bot import outbound as m
from bot.engine import Outcome
from bot.events import Actor
from bot.model import Workspace
from bot.text import one_line

DIALOG = {"height": "large", "width": "medium"}
MESSAGE = "application/vnd.microsoft.activity.message"  # an answer that leaves the card be


@dataclass
class InvokeAnswer:
    """An invoke's answer, and what to do once it is sent."""

    body: dict[str, Any]
    actor: Actor | None = None  # whose email to learn, if Tandem has none yet
    addresses: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    shared: tuple[Workspace, str, m.Message, int] | None = None  # a shared card to update


def card_answer(card: dict[str, Any]) -> dict[str, Any]:
    """An ``adaptiveCard/action`` answer: the card as it should look now."""
    response: dict[str, Any] = AdaptiveCardInvokeResponse(
        status_code=200, type=CARD, value=card
    ).serialize()
    return response


def unchanged(said: str) -> dict[str, Any]:
    """An answer that leaves the card as it is, and says a word."""
    return {"statusCode": 200, "type": MESSAGE, "value": said[:200]}  # botbuilder wants a dict


def unknown_people(outcome: Outcome, unknown: Mapping[str, list[str]]) -> Outcome:
    """Colleagues Tandem does not know, refused in words for Teams (the engine's
    are for handles typed in the console)."""
    if not unknown or not outcome.form_errors:
        return outcome
    errors = dict(outcome.form_errors)
    for name, typed in unknown.items():
        if name in errors:
            errors[name] = _nobody(typed)
    return dataclasses.replace(outcome, form_errors=MappingProxyType(errors))


def _nobody(typed: list[str]) -> str:
    first = one_line(typed[0])[:60]
    if "@" not in first:
        return f"“{first}” isn't an email address: please name colleagues by their work email."
    more = f" (and {len(typed) - 1} more)" if len(typed) > 1 else ""
    return (
        f"I don't know anyone at {first}{more} in Tandem yet: only colleagues who have "
        "said hello to Tandem in Teams can be named here."
    )


def dialog_answer(
    outcome: Outcome, shown: Callable[[str], str], *, submitted: bool
) -> dict[str, Any]:
    """A dialog's answer: the form (again, with what was wrong), or a word to close it."""
    task: TaskModuleContinueResponse | TaskModuleMessageResponse
    if outcome.form is not None:
        content = form_card(outcome.form, outcome.form_errors, shown)
        card = Attachment(content_type=CARD, content=content)
        info = TaskModuleTaskInfo(title=outcome.form.title[:60], card=card, **DIALOG)
        task = TaskModuleContinueResponse(value=info)
    elif outcome.form_errors:
        task = TaskModuleMessageResponse(value=next(iter(outcome.form_errors.values())))
    else:
        said = outcome.messages[0].message.summary if outcome.messages else ""
        task = TaskModuleMessageResponse(value=(said or ("Saved." if submitted else "Done."))[:200])
    response: dict[str, Any] = TaskModuleResponse(task=task).serialize()
    return response
