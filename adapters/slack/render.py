"""Engine messages as Slack Block Kit (forms, as modals, are :mod:`adapters.slack.modals`).

Every string the engine hands over is escaped here (``&``, ``<``, ``>``), so text
that people typed can never become ``<!channel>`` or a fake mention; a mention is
only ever built from a :class:`bot.outbound.Mention`, and only when it holds a
real Slack user id. Block Kit's limits are applied here too (text lengths, block
and element counts), so long input is cut, never rejected by Slack.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

from bot import outbound as m
from bot.text import pieces

Json = dict[str, Any]

# Block Kit limits (https://api.slack.com/reference/block-kit).
SECTION_TEXT = 3000
HEADER_TEXT = 150
FIELD_TEXT = 2000
FIELDS_PER_SECTION = 10
CONTEXT_TEXT = 2000
BUTTON_TEXT = 75
BUTTON_VALUE = 2000
ELEMENTS_PER_ACTIONS = 25
OPTION_TEXT = 75
OPTION_VALUE = 150
OPTIONS = 100
MESSAGE_BLOCKS = 50
MODAL_BLOCKS = 100
MODAL_TITLE = 24
INPUT_LABEL = 2000
PLACEHOLDER = 150
TEXT_INPUT_MAX = 3000
FALLBACK_TEXT = 3000

USER_ID = re.compile(r"^[UW][A-Z0-9]{2,30}$")
_BUTTON_SEPARATOR = "#"  # action_id of a button: "<engine action>#<n>"


def escape(text: str) -> str:
    """Slack's three control characters, escaped (mrkdwn and plain text alike)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def cut(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[: limit - 1] + "…"


def plain(text: str, limit: int) -> Json:
    # plain_text is shown as typed; only length needs care (Slack escapes it).
    return {"type": "plain_text", "text": cut(text, limit) or " ", "emoji": True}


def _mrkdwn(text: str, limit: int) -> Json:
    return {"type": "mrkdwn", "text": cut(text, limit) or " ", "verbatim": True}


def span(item: m.Span) -> str:
    if isinstance(item, m.Mention):
        return f"<@{item.user_id}>" if USER_ID.match(item.user_id) else escape(f"@{item.user_id}")
    if isinstance(item, m.Bold):
        # Asterisks inside would end the bold early; they are only formatting.
        # Slack only sees bold when the asterisks touch the words, so spaces go outside.
        inner = escape(item.text).replace("*", "")
        core = inner.strip()
        if not core:
            return inner
        lead, trail = inner[: len(inner) - len(inner.lstrip())], inner[len(inner.rstrip()) :]
        return f"{lead}*{core}*{trail}"
    return escape(item.text)


def paragraph(item: m.Paragraph) -> str:
    return "".join(span(s) for s in item.spans)


# --- messages ---------------------------------------------------------------------


def message_blocks(message: m.Message) -> list[Json]:
    """The Block Kit blocks for a chat message (at most 50). Each actions block's
    ``block_id`` starts with the message's kind, so a press says what it was on."""
    blocks = [b for block in message.blocks for b in block_elements(block)]
    actions = (b for b in blocks if b["type"] == "actions")
    for number, block in enumerate(actions):
        block["block_id"] = f"{message.kind[:200]}.{number}"
    if len(blocks) > MESSAGE_BLOCKS:
        blocks = [*blocks[: MESSAGE_BLOCKS - 1], _context("(shortened: more than fits)")]
    return blocks


def fallback_text(message: m.Message) -> str:
    """The notification text (``text`` of chat.postMessage)."""
    return cut(escape(message.summary), FALLBACK_TEXT) or "Tandem"


def block_elements(block: m.Block) -> Iterator[Json]:
    """A message block as Block Kit blocks."""
    if isinstance(block, m.Heading):
        yield {"type": "header", "text": plain(block.text, HEADER_TEXT)}
    elif isinstance(block, m.Paragraph):
        yield _section(paragraph(block))
    elif isinstance(block, m.Bullets):
        yield _section("\n".join(f"• {paragraph(p)}" for p in block.items))
    elif isinstance(block, m.Facts):
        yield from _facts(block)
    elif isinstance(block, m.Note):
        yield _context(block.text)
    elif isinstance(block, m.Divider):
        yield {"type": "divider"}
    elif isinstance(block, m.Buttons):
        yield from _buttons(block)
    elif isinstance(block, m.Together):
        # Slack opens the group DM itself; should this come anyway, point at it.
        people = ", ".join(span(m.Mention(user)) for user in block.user_ids)  # escaped
        text = f"Start a group DM with {people} to plan your first meeting."
        yield {"type": "context", "elements": [_mrkdwn(text, CONTEXT_TEXT)]}
    elif isinstance(block, m.Chart):
        yield _section(f"*{escape(block.title)}*")
        yield _section("\n".join(escape(line) for line in m.chart_lines(block)) or "–")
        if block.note:
            yield _context(block.note)
    elif isinstance(block, m.Code):
        # A section holds 3,000 characters: a long text takes several.
        for part in pieces(escape(block.text), SECTION_TEXT - 8):
            yield _section(f"```{part}```")
    elif isinstance(block, m.File):
        yield _context(f"File: {block.name}")
    else:
        yield _select_block(block)


def _section(text: str) -> Json:
    return {"type": "section", "text": _mrkdwn(text, SECTION_TEXT)}


def _context(text: str) -> Json:
    return {"type": "context", "elements": [_mrkdwn(escape(text), CONTEXT_TEXT)]}


def _facts(block: m.Facts) -> Iterator[Json]:
    facts = list(block.facts)
    for start in range(0, len(facts), FIELDS_PER_SECTION):
        fields = [
            _mrkdwn(f"*{escape(f.label)}*\n{escape(f.value) or '—'}", FIELD_TEXT)
            for f in facts[start : start + FIELDS_PER_SECTION]
        ]
        yield {"type": "section", "fields": fields}


def _buttons(block: m.Buttons) -> Iterator[Json]:
    buttons = [
        {
            "type": "button",
            "action_id": f"{block.action}{_BUTTON_SEPARATOR}{n}",
            "text": plain(option.label, BUTTON_TEXT),
            "value": option.value[:BUTTON_VALUE],
            **({"style": option.style} if option.style else {}),
        }
        for n, option in enumerate(block.options)
    ]
    for start in range(0, len(buttons), ELEMENTS_PER_ACTIONS):
        yield {"type": "actions", "elements": buttons[start : start + ELEMENTS_PER_ACTIONS]}


def _options(options: Sequence[m.Option]) -> list[Json]:
    return [
        {"text": plain(o.label, OPTION_TEXT), "value": o.value[:OPTION_VALUE]}
        for o in options[:OPTIONS]
    ]


def select_element(
    action: str,
    options: Sequence[m.Option],
    *,
    multi: bool,
    max_selected: int,
    initial: Sequence[str],
    placeholder: str,
) -> Json:
    """A select menu (one choice or several), as an action or as a modal's input."""
    choices = _options(options)
    chosen = [c for c in choices if c["value"] in set(initial)]
    element: Json = {
        "type": "multi_static_select" if multi else "static_select",
        "action_id": action,
        "placeholder": plain(placeholder, PLACEHOLDER),
        "options": choices,
    }
    if multi:
        element["max_selected_items"] = max(1, min(max_selected, len(choices)))
        if chosen:
            element["initial_options"] = chosen
    elif chosen:
        element["initial_option"] = chosen[0]
    return element


def _select_block(block: m.Select) -> Json:
    element = select_element(
        block.action,
        block.options,
        multi=block.multi,
        max_selected=block.max_selected,
        initial=block.initial,
        placeholder=block.placeholder,
    )
    return {"type": "actions", "elements": [element]}


def kind_of(block_id: str) -> str:
    """The kind of message a pressed button was on (see :func:`message_blocks`)."""
    return block_id.partition(".")[0]


def engine_action(action_id: str) -> str:
    """The engine's action for a Slack ``action_id`` (buttons carry an index)."""
    return action_id.rpartition(_BUTTON_SEPARATOR)[0] or action_id


def home_view(message: m.Message) -> Json:
    """A message as the App Home tab (``views.publish``)."""
    blocks = [b for block in message.blocks for b in block_elements(block)]
    return {"type": "home", "blocks": blocks[:MODAL_BLOCKS]}
