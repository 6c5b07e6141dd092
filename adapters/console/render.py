"""Messages as plain terminal text. Options are numbered so people can answer by number."""

from __future__ import annotations

import textwrap
import unicodedata
from collections.abc import Callable, Mapping

from bot import forms
from bot import outbound as m

WIDTH = 78


def safe(text: str) -> str:
    """Terminal escaping: no control characters (no ANSI escapes, no bells)."""
    return "".join(c if c == "\n" or unicodedata.category(c) != "Cc" else "?" for c in text)


def render(message: m.Message, saved: Mapping[int, str] | None = None) -> str:
    """The message as text; ``saved`` says where its charts and files were written
    (by block position: see :mod:`adapters.console.attachments`)."""
    saved = saved or {}
    return "\n".join(
        _with_saved(block, saved[i]) if i in saved else _block(block)
        for i, block in enumerate(message.blocks)
    )


def _with_saved(block: m.Block, where: str) -> str:
    if isinstance(block, m.File):
        return f"  [file: {safe(block.name)}] {_saved_at(where)}"
    return f"{_block(block)}\n  [chart: {_saved_at(where)}]"


def _saved_at(where: str) -> str:
    return safe(where) if where.startswith("not saved") else f"saved to {safe(where)}"


def render_form(form: forms.Form) -> str:
    """Forms are not used in the console; shown for completeness in transcripts."""
    labels = "\n".join(f"  - {safe(f.label)}" for f in form.fields)
    return f"[form: {safe(form.title)}]\n{labels}"


def _spans(paragraph: m.Paragraph) -> str:
    return "".join(_span(span) for span in paragraph.spans)


def _span(span: m.Span) -> str:
    if isinstance(span, m.Mention):
        return f"@{safe(span.user_id)}"
    return safe(span.text)


def _wrap(text: str, indent: str = "", first: str | None = None) -> str:
    return "\n".join(
        textwrap.fill(
            line,
            WIDTH,
            initial_indent=first if first is not None else indent,
            subsequent_indent=indent,
            break_on_hyphens=False,
            break_long_words=False,
        )
        or first
        or indent
        for line in text.split("\n")
    )


def _numbered(options: tuple[m.Option, ...]) -> str:
    """Numbered options: on one line when they fit, else in columns, down then across."""
    items = [f"[{n}] {safe(o.label)}" for n, o in enumerate(options, start=1)]
    if sum(len(i) for i in items) + 2 * len(items) <= WIDTH - 2:
        return "  " + "  ".join(items)
    width = max(len(i) for i in items) + 2
    columns = max(1, (WIDTH - 2) // width) if len(items) > 7 else 1
    rows = -(-len(items) // columns)
    lines = (
        "".join(
            items[r + c * rows].ljust(width) for c in range(columns) if r + c * rows < len(items)
        )
        for r in range(rows)
    )
    return "\n".join(f"  {line.rstrip()}" for line in lines)


def _facts(block: m.Facts) -> str:
    return "\n".join(
        _wrap(f"{safe(f.label)}: {safe(f.value)}", "      ", "  ") for f in block.facts
    )


_RENDERERS: dict[type, Callable[..., str]] = {
    m.Heading: lambda b: f"== {safe(b.text)} ==",
    m.Paragraph: lambda b: _wrap(_spans(b)),
    m.Bullets: lambda b: "\n".join(_wrap(_spans(i), "    ", "  - ") for i in b.items),
    m.Facts: _facts,
    m.Note: lambda b: _wrap(f"({safe(b.text)})", "  ", "  "),
    m.Divider: lambda b: "-" * 20,
    m.Buttons: lambda b: _numbered(b.options),
    m.Select: lambda b: _numbered(b.options),
    m.Together: lambda b: _wrap(
        f"(Start a chat with {', '.join('@' + safe(u) for u in b.user_ids)} to plan your first "
        "meeting.)",
        "  ",
        "  ",
    ),
    m.Chart: lambda b: "\n".join(
        [f"-- {safe(b.title)} --", *(f"  {safe(line)}" for line in m.chart_lines(b))]
        + ([f"  ({safe(b.note)})"] if b.note else [])
    ),
    m.Code: lambda b: "\n".join(f"    {safe(line)}" for line in b.text.splitlines()),
    m.File: lambda b: f"  [file: {safe(b.name)}]",
}


def _block(block: m.Block) -> str:
    return _RENDERERS[type(block)](block)
