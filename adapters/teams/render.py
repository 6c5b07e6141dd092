"""Engine messages as Adaptive Cards 1.5, for Teams (forms: :mod:`adapters.teams.forms`).

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
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from adapters.reports.charts import compact_png
from bot import outbound as m
from bot.text import pieces

Json = dict[str, Any]
CARD = "application/vnd.microsoft.card.adaptive"
SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
MAX_TEXT = 4000  # characters of one text element
BUTTON_TEXT = 50
BUTTONS_SHOWN = 6  # more options than this become a list
CHOICE = "choice"  # the input id of a list on a card
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
        body.extend(block_elements(block, people, entities))
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


def block_elements(block: m.Block, people: People, entities: list[Json]) -> Iterator[Json]:
    """A message block as card elements (a mention's entity is added to ``entities``)."""
    if isinstance(block, m.Heading):
        yield rich_text([text_run(block.text, size="Large", weight="Bolder")])
    elif isinstance(block, m.Paragraph):
        yield _paragraph(block, people, entities)
    elif isinstance(block, m.Bullets):
        for item in block.items:
            yield _paragraph(m.Paragraph((m.Plain("• "), *item.spans)), people, entities)
    elif isinstance(block, m.Facts):
        yield {"type": "Container", "items": [_fact(f) for f in block.facts]}
    elif isinstance(block, m.Note):
        yield rich_text([text_run(block.text, isSubtle=True, size="Small")])
    elif isinstance(block, m.Divider):
        yield {"type": "Container", "separator": True, "items": []}
    elif isinstance(block, m.Buttons):
        yield from _buttons(block)
    elif isinstance(block, m.Select):
        yield from _list(block)
    elif isinstance(block, m.Chart):
        # A card carries no image file of ours: the numbers, as text bars.
        yield rich_text([text_run(block.title, weight="Bolder")])
        for line in m.chart_lines(block):
            yield rich_text([text_run(line, fontType="Monospace")])
        if block.note:
            yield rich_text([text_run(block.note, isSubtle=True, size="Small")])
    elif isinstance(block, m.Code):
        for part in pieces(block.text, MAX_TEXT - 10):
            yield rich_text([text_run(part, fontType="Monospace")])
    elif isinstance(block, m.File):
        yield rich_text([text_run(f"File: {block.name}", isSubtle=True, size="Small")])
    else:
        yield from _together(block, people)


def _fact(fact: m.Fact) -> Json:
    """A label and its value side by side, as text Teams reads no markdown in."""
    label = rich_text([text_run(cut(fact.label, 200), weight="Bolder")])
    value = rich_text([text_run(fact.value or "—")])
    return {
        "type": "ColumnSet",
        "columns": [
            {"type": "Column", "width": 2, "items": [label]},
            {"type": "Column", "width": 3, "items": [value]},
        ],
    }


def text_run(text: str, **style: Any) -> Json:
    """Text shown as typed (no markdown, no tags), cut to a text element's limit."""
    return {"type": "TextRun", "text": cut(untagged(text)), **style}


def rich_text(inlines: list[Json]) -> Json:
    """A ``RichTextBlock`` of text runs (never empty)."""
    return {"type": "RichTextBlock", "inlines": inlines or [text_run(" ")]}


def _paragraph(paragraph: m.Paragraph, people: People, entities: list[Json]) -> Json:
    if not any(isinstance(span, m.Mention) for span in paragraph.spans):
        return rich_text(
            [_span_run(span) for span in paragraph.spans if isinstance(span, m.Plain | m.Bold)]
        )
    text = "".join(_span_markdown(span, people, entities) for span in paragraph.spans)
    # A paragraph is no list, whatever its first words (a zero-width space before them).
    return {"type": "TextBlock", "text": cut(_LIST.sub("\\1\u200b\\2\\3", text)), "wrap": True}


def _span_run(span: m.Plain | m.Bold) -> Json:
    return text_run(span.text, weight="Bolder") if isinstance(span, m.Bold) else text_run(span.text)


def _span_markdown(span: m.Span, people: People, entities: list[Json]) -> str:
    if isinstance(span, m.Bold):
        inner = markdown_safe(span.text).strip()
        return f"**{inner}**" if inner else ""
    if isinstance(span, m.Plain):
        return markdown_safe(span.text)
    found = people(span.user_id)
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
    found = [people(user) for user in block.user_ids]
    emails = [p.email for p in found if p is not None and p.email]
    if len(emails) < 2:  # the person's own and at least one other
        yield rich_text(
            [text_run("Find your partner in Teams and say hello to plan your first meeting.")]
        )
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
