"""Engine messages and forms as Adaptive Cards 1.5, for Teams.

Text is set in ``RichTextBlock``/``TextRun``, where Teams reads no markdown:
what a person typed is shown as typed, never as formatting. Label/value pairs
are rows of those too, not a ``FactSet`` (whose values Teams reads as markdown).
Only a paragraph with a mention needs a ``TextBlock`` (where mentions live): its
text can hold no tag, and the few characters that could form Teams' markdown
there (emphasis, a link, a list) are set so that they cannot, without the
backslashes Teams' mobile clients would show as typed. A mention is built only from
an address Tandem stored for that person (their Teams id and name), never from
text. Buttons are ``Action.Execute`` (the card is replaced in place once
answered); a button that may open a form is an ``Action.Submit`` for a dialog
(``task/fetch``), the only way Teams opens one.
"""

from __future__ import annotations

import base64
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from adapters.reports.charts import compact_png
from bot import forms
from bot import outbound as m
from bot.events import FormValue
from bot.text import pieces

Json = dict[str, Any]
CARD = "application/vnd.microsoft.card.adaptive"
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
MAX_TEXT = 4000  # characters of one text element
BUTTON_TEXT = 50
BUTTONS_SHOWN = 6  # more options than this become a list
CHOICE = "choice"  # the input id of a list on a card
NOBODY = "?"  # before a colleague's name nobody in Tandem answers to (no handle starts so)
MAX_PEOPLE = 60  # names read from one people field (the engine allows at most 50)
_NOBODY_WORDS = {"none", "nobody", "no one", "-", "n/a"}
_LIST = re.compile(r"^(\s*)([-+*]|\d+[.)])(\s)")  # what would start a list in Teams


@dataclass(frozen=True)
class Someone:
    """A person as Teams knows them, from their stored address."""

    teams_id: str  # 29:...
    name: str
    email: str = ""


People = Callable[[str], Someone | None]  # a person's Tandem handle -> their address


def attachment(card: Json) -> Json:
    return {"contentType": CARD, "content": card}


def cut(text: str, limit: int = MAX_TEXT) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def untagged(text: str) -> str:
    """Text that can hold no tag (a typed ``<at>`` is no mention)."""
    return text.replace("<", "‹").replace(">", "›")


def markdown_safe(text: str) -> str:
    """Text for a ``TextBlock``, where Teams reads markdown: it can form no emphasis,
    link or list, and hold no tag. Only what could form markdown in Teams changes,
    to characters that look the same; nothing is backslash-escaped, because Teams'
    mobile clients show the backslashes."""
    text = untagged(" ".join(text.splitlines()))
    text = text.replace("*", "\u2217").replace("_", "\uff3f")  # ∗ and ＿: no emphasis
    return text.replace("](", "]\u200b(")  # a zero-width space: no link


def message_card(message: m.Message, people: People) -> Json:
    """The card for a message, with its mentions' entities."""
    entities: list[Json] = []
    # One chart as a picture (a card holds about 28 KB); every chart also as bars.
    pictured = next((b for b in message.blocks if isinstance(b, m.Chart)), None)
    body: list[Json] = []
    for block in message.blocks:
        if block is pictured and isinstance(block, m.Chart):
            body.append(_picture(block))
        body.extend(_block(block, people, entities))
    card: Json = {"type": "AdaptiveCard", "$schema": SCHEMA, "version": "1.5", "body": body}
    card["fallbackText"] = cut(untagged(message.summary), 300)
    msteams: Json = {"width": "Full"}
    if entities:
        msteams["entities"] = entities
    card["msteams"] = msteams
    return card


def _picture(chart: m.Chart) -> Json:
    data = base64.b64encode(compact_png(chart)).decode("ascii")
    words = f"{chart.title}: " + "; ".join(m.chart_lines(chart, width=0))
    return {
        "type": "Image",
        "url": f"data:image/png;base64,{data}",
        "altText": cut(untagged(words), 1000),
        "size": "Stretch",
    }


def answered(message: m.Message, label: str, people: People) -> Json:
    """The card of a message once its buttons are answered: they give way to the answer."""
    kept = tuple(b for b in message.blocks if not isinstance(b, m.Buttons | m.Select))
    shown = m.Message((*kept, m.Note(f"You chose: {label}")), message.summary, message.kind)
    return message_card(shown, people)


def _block(block: m.Block, people: People, entities: list[Json]) -> Iterator[Json]:
    if isinstance(block, m.Heading):
        yield _rich([_run(block.text, size="Large", weight="Bolder")])
    elif isinstance(block, m.Paragraph):
        yield _paragraph(block, people, entities)
    elif isinstance(block, m.Bullets):
        for item in block.items:
            yield _paragraph(m.Paragraph((m.Plain("• "), *item.spans)), people, entities)
    elif isinstance(block, m.Facts):
        yield {"type": "Container", "items": [_fact(f) for f in block.facts]}
    elif isinstance(block, m.Note):
        yield _rich([_run(block.text, isSubtle=True, size="Small")])
    elif isinstance(block, m.Divider):
        yield {"type": "Container", "separator": True, "items": []}
    elif isinstance(block, m.Buttons):
        yield from _buttons(block)
    elif isinstance(block, m.Select):
        yield from _list(block)
    elif isinstance(block, m.Chart):
        # A card carries no image file of ours: the numbers, as text bars.
        yield _rich([_run(block.title, weight="Bolder")])
        for line in m.chart_lines(block):
            yield _rich([_run(line, fontType="Monospace")])
        if block.note:
            yield _rich([_run(block.note, isSubtle=True, size="Small")])
    elif isinstance(block, m.Code):
        for part in pieces(block.text, MAX_TEXT - 10):
            yield _rich([_run(part, fontType="Monospace")])
    elif isinstance(block, m.File):
        yield _rich([_run(f"File: {block.name}", isSubtle=True, size="Small")])
    else:
        yield from _together(block, people)


def _fact(fact: m.Fact) -> Json:
    """A label and its value side by side, as text Teams reads no markdown in."""
    label = _rich([_run(cut(fact.label, 200), weight="Bolder")])
    value = _rich([_run(fact.value or "—")])
    return {
        "type": "ColumnSet",
        "columns": [
            {"type": "Column", "width": 2, "items": [label]},
            {"type": "Column", "width": 3, "items": [value]},
        ],
    }


def _run(text: str, **style: Any) -> Json:
    return {"type": "TextRun", "text": cut(untagged(text)), **style}


def _rich(inlines: list[Json]) -> Json:
    return {"type": "RichTextBlock", "inlines": inlines or [_run(" ")]}


def _paragraph(paragraph: m.Paragraph, people: People, entities: list[Json]) -> Json:
    if not any(isinstance(span, m.Mention) for span in paragraph.spans):
        return _rich(
            [_span_run(span) for span in paragraph.spans if isinstance(span, m.Plain | m.Bold)]
        )
    text = "".join(_span_markdown(span, people, entities) for span in paragraph.spans)
    # A paragraph is no list, whatever its first words (a zero-width space before them).
    return {"type": "TextBlock", "text": cut(_LIST.sub("\\1\u200b\\2\\3", text)), "wrap": True}


def _span_run(span: m.Plain | m.Bold) -> Json:
    return _run(span.text, weight="Bolder") if isinstance(span, m.Bold) else _run(span.text)


def _span_markdown(span: m.Span, people: People, entities: list[Json]) -> str:
    if isinstance(span, m.Bold):
        inner = markdown_safe(span.text).strip()
        return f"**{inner}**" if inner else ""
    if isinstance(span, m.Plain):
        return markdown_safe(span.text)
    found = people(span.user)
    if found is None:  # no address: their name is not known to Teams from us
        return "someone"
    name = markdown_safe(found.name)[:100].strip() or "someone"
    tag = f"<at>{name}</at>"
    entities.append(
        {"type": "mention", "text": tag, "mentioned": {"id": found.teams_id, "name": name}}
    )
    return tag


def _style(option: m.Option) -> Json:
    styles = {"primary": "positive", "danger": "destructive"}
    return {"style": styles[option.style]} if option.style in styles else {}


def _buttons(block: m.Buttons) -> Iterator[Json]:
    if len(block.options) > BUTTONS_SHOWN:
        yield from _list(m.Select(block.action, block.options))
        return
    actions = [_action(block, option) for option in block.options]
    yield {"type": "ActionSet", "actions": actions}


def _action(block: m.Buttons, option: m.Option) -> Json:
    title = cut(option.label, BUTTON_TEXT)
    data = {"action": block.action, "value": option.value}
    if block.opens_form:  # Teams opens a dialog only for a submit that asks for one
        msteams = {"type": "task/fetch"}
        return {"type": "Action.Submit", "title": title, "data": {**data, "msteams": msteams}}
    return {
        "type": "Action.Execute",
        "title": title,
        "verb": block.action,
        "data": data,
        **_style(option),
    }


def _list(block: m.Select) -> Iterator[Json]:
    choices = [{"title": cut(o.label, 200), "value": o.value} for o in block.options[:100]]
    yield {
        "type": "Input.ChoiceSet",
        "id": CHOICE,
        "choices": choices,
        "isMultiSelect": block.multi,
        "style": "compact",
        "placeholder": cut(block.placeholder, 100),
        **({"value": ",".join(block.initial)} if block.initial else {}),
    }
    yield {
        "type": "ActionSet",
        "actions": [
            {
                "type": "Action.Execute",
                "title": "OK",
                "verb": block.action,
                "data": {"action": block.action},
            }
        ],
    }


def _together(block: m.Together, people: People) -> Iterator[Json]:
    """Deep links that open a group chat, and a meeting, with the others: a bot
    cannot create a group chat itself. Links need their email addresses."""
    found = [people(user) for user in block.users]
    emails = [p.email for p in found if p is not None and p.email]
    if len(emails) < 2:  # the person's own and at least one other
        yield _rich([_run("Find your partner in Teams and say hello to plan your first meeting.")])
        return
    chat = "https://teams.microsoft.com/l/chat/0/0?" + urlencode(
        {"users": ",".join(emails), "topicName": block.topic[:100], "message": block.greeting[:200]}
    )
    meeting = "https://teams.microsoft.com/l/meeting/new?" + urlencode(
        {"subject": f"{block.topic[:80]}: first meeting", "attendees": ",".join(emails)}
    )
    yield {
        "type": "ActionSet",
        "actions": [
            {"type": "Action.OpenUrl", "title": "Chat with your partner", "url": chat},
            {"type": "Action.OpenUrl", "title": "Propose a meeting", "url": meeting},
        ],
    }


# --- forms, as dialogs ------------------------------------------------------------------


def form_card(
    form: forms.Form,
    errors: Mapping[str, str] | None = None,
    shown: Callable[[str], str] = lambda handle: handle,
) -> Json:
    """A dialog's card for a form: a field per input, what was wrong above a field.
    ``shown`` says how a colleague known by their handle is shown in a people
    field: by the email they are named by."""
    errors = errors or {}
    body: list[Json] = [e for block in form.intro for e in _block(block, lambda _: None, [])]
    if "_" in errors:
        body.append(_rich([_run(errors["_"], color="Attention", weight="Bolder")]))
    kinds: dict[str, str] = {}
    for field in form.fields:
        if field.name in errors:
            body.append(_rich([_run(errors[field.name], color="Attention")]))
        body.append(_input(field, shown))
        kinds[field.name] = _kind(field)
        if field.hint:
            body.append(_rich([_run(field.hint, isSubtle=True, size="Small")]))
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
