"""Outbound messages: what the engine wants shown, in platform-neutral terms.

The model is deliberately structural. The engine never writes markup: bold text,
headings, mentions and lists are separate elements, so a renderer can escape every
string it receives (Slack mrkdwn, Adaptive Card text, a terminal) and nobody can
smuggle ``<!channel>`` or a fake mention through an answer they typed. Mentions
exist only as :class:`Mention` elements built from a platform user id.

Interactive elements (:class:`Buttons`, :class:`Select`) carry an ``action`` the
engine routes on when the person answers. A whole set of fields shown at once (a
Slack modal, a Teams task module) is a form: :mod:`bot.forms`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# --- inline spans ---------------------------------------------------------------


@dataclass(frozen=True)
class Plain:
    text: str
    type: Literal["plain"] = "plain"


@dataclass(frozen=True)
class Bold:
    text: str
    type: Literal["bold"] = "bold"


@dataclass(frozen=True)
class Mention:
    """A mention of a person, by the platform's user id."""

    user_id: str
    type: Literal["mention"] = "mention"


Span = Plain | Bold | Mention

# --- blocks -----------------------------------------------------------------------


@dataclass(frozen=True)
class Heading:
    text: str
    type: Literal["heading"] = "heading"


@dataclass(frozen=True)
class Paragraph:
    spans: tuple[Span, ...]
    type: Literal["paragraph"] = "paragraph"


@dataclass(frozen=True)
class Bullets:
    items: tuple[Paragraph, ...]
    type: Literal["bullets"] = "bullets"


@dataclass(frozen=True)
class Fact:
    label: str
    value: str


@dataclass(frozen=True)
class Facts:
    """Label/value pairs, e.g. a profile."""

    facts: tuple[Fact, ...]
    type: Literal["facts"] = "facts"


@dataclass(frozen=True)
class Note:
    """Small print: hints, context, how to answer."""

    text: str
    type: Literal["note"] = "note"


@dataclass(frozen=True)
class Divider:
    type: Literal["divider"] = "divider"


Style = Literal["primary", "danger"] | None


@dataclass(frozen=True)
class Option:
    value: str
    label: str
    style: Style = None


@dataclass(frozen=True)
class Buttons:
    """Pick one by pressing a button. ``opens_form``: pressing may show a form (a
    platform that opens forms only from a button, such as Teams' dialogs, needs to
    know before the press)."""

    action: str
    options: tuple[Option, ...]
    opens_form: bool = False
    type: Literal["buttons"] = "buttons"


@dataclass(frozen=True)
class Select:
    """Pick one (or several, when ``multi``) from a list."""

    action: str
    options: tuple[Option, ...]
    multi: bool = False
    min_selected: int = 1
    max_selected: int = 1
    placeholder: str = "Choose…"
    initial: tuple[str, ...] = ()
    type: Literal["select"] = "select"


@dataclass(frozen=True)
class Together:
    """A way for these people to talk among themselves outside Tandem: on a platform
    where Tandem cannot open their group conversation (Teams), each gets this, and
    the renderer offers to start a chat (``greeting`` its first words) and to
    propose a meeting (``topic`` its subject)."""

    user_ids: tuple[str, ...]
    topic: str
    greeting: str
    type: Literal["together"] = "together"


@dataclass(frozen=True)
class Chart:
    """Numbers to draw: each platform shows them as it can (an image where files can
    be sent, a table of bars where they cannot). ``values`` of None are gaps
    (nothing measured, or hidden for privacy: ``note`` says which)."""

    name: str
    title: str
    unit: str  # count, percent, rating, score, nps
    labels: tuple[str, ...]
    values: tuple[float | None, ...]
    kind: Literal["bars", "line"] = "bars"
    note: str = ""
    type: Literal["chart"] = "chart"


@dataclass(frozen=True)
class Code:
    """Text shown as it is, in a fixed-width font (a program's YAML)."""

    text: str
    type: Literal["code"] = "code"


@dataclass(frozen=True)
class File:
    """A text file for the reader (a CSV export), sent as a file where the platform
    can, written to disk by the console."""

    name: str  # a file name: letters, digits, dashes, one dot
    title: str
    content: str
    mime: str = "text/csv"
    type: Literal["file"] = "file"


Block = (
    Heading
    | Paragraph
    | Bullets
    | Facts
    | Note
    | Divider
    | Buttons
    | Select
    | Together
    | Chart
    | File
    | Code
)


@dataclass(frozen=True)
class Message:
    """One message: blocks plus a plain summary for notifications and logs.

    ``kind`` names what the message is for (``response``, ``intro``, ``checkin``...),
    so adapters, reports and the simulation log can tell messages apart without
    reading their text.
    """

    blocks: tuple[Block, ...]
    summary: str
    kind: str = "response"
    match: int | None = None  # the match it is about, for platforms and reports


# --- addressing -------------------------------------------------------------------


@dataclass(frozen=True)
class ToPerson:
    """A direct message to one person, by platform user id."""

    user_id: str
    type: Literal["person"] = "person"


@dataclass(frozen=True)
class ToGroup:
    """One message in a group conversation of several people (e.g. a match)."""

    user_ids: tuple[str, ...]
    type: Literal["group"] = "group"


@dataclass(frozen=True)
class ToChannel:
    """A message in a channel, by platform channel id."""

    channel: str
    type: Literal["channel"] = "channel"


Recipient = ToPerson | ToGroup | ToChannel


def users_of(recipient: Recipient) -> tuple[str, ...]:
    """The people a message reaches directly (none for a channel)."""
    if isinstance(recipient, ToPerson):
        return (recipient.user_id,)
    return recipient.user_ids if isinstance(recipient, ToGroup) else ()


def conversation_of(recipient: Recipient) -> str:
    """The conversation a message goes to: one key per DM, group or channel, so the
    outbox can keep each conversation's messages in order and pace them."""
    if isinstance(recipient, ToPerson):
        return f"person:{recipient.user_id}"
    if isinstance(recipient, ToGroup):
        return "group:" + ",".join(sorted(recipient.user_ids))
    return f"channel:{recipient.channel}"


@dataclass(frozen=True)
class Outbound:
    """A message to send exactly once: ``key`` is its idempotency key."""

    key: str
    to: Recipient
    message: Message


# --- small builders ---------------------------------------------------------------


def para(*parts: str | Span) -> Paragraph:
    """A paragraph from strings (plain text) and spans."""
    return Paragraph(tuple(Plain(p) if isinstance(p, str) else p for p in parts))


def bullets(*items: str | Paragraph) -> Bullets:
    return Bullets(tuple(para(i) if isinstance(i, str) else i for i in items))


def options(*pairs: tuple[str, str]) -> tuple[Option, ...]:
    return tuple(Option(value, label) for value, label in pairs)


def chart_lines(chart: Chart, width: int = 20) -> tuple[str, ...]:
    """A chart as lines of text bars ("Joined  ████████  12"), for a platform or a
    reader that shows no image."""
    known = [v for v in chart.values if v is not None]
    top = {"percent": 100.0, "rating": 5.0, "score": 10.0}.get(chart.unit, max(known, default=0))
    lines = []
    for label, value in zip(chart.labels, chart.values, strict=True):
        if value is None:
            lines.append(f"{label}: –")
            continue
        filled = round(width * max(value, 0) / top) if top > 0 else 0
        shown = f"{value:.0f}%" if chart.unit == "percent" else f"{value:,.1f}".removesuffix(".0")
        lines.append(f"{label}: {'█' * filled}{'░' * (width - filled)} {shown}")
    return tuple(lines)
