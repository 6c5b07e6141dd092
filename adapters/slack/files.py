"""A message's charts and files, as Slack file uploads.

Each :class:`bot.outbound.Chart` goes up as a PNG and each :class:`bot.outbound.File`
as its text, after the message itself, one share per file: a file shared stays
shared whatever happens to the next. Every upload's file name carries a short
hash of the message's outbox key and the block's place in it
(``funnel-3f9a1c2be0.png``), so that once a send is tried again, a file already
shared into the conversation is recognised in its history and not shared twice.
"""

from __future__ import annotations

import hashlib
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from adapters.reports import charts
from bot import outbound as m

MAX_BYTES = 5 * 1024 * 1024  # one file; Slack takes far more, a chat report needs less
ALT_TEXT = 1000  # characters of a chart's alt text, Slack's limit
_TAG = 10  # hex digits of the key's hash in a file name
_DRAWING = threading.Lock()  # one chart drawn at a time: bounded memory with many senders


@dataclass(frozen=True)
class Upload:
    """One file to share: its name (tagged with the message's key), its title, its bytes."""

    filename: str
    title: str
    data: bytes
    alt_txt: str | None = None

    def arguments(self) -> dict[str, Any]:
        """As ``files_upload_v2``'s arguments for one file."""
        found: dict[str, Any] = {"filename": self.filename, "title": self.title}
        found["content"] = self.data
        if self.alt_txt:
            found["alt_txt"] = self.alt_txt
        return found


def uploads(outbound: m.Outbound) -> list[Upload]:
    """The message's charts (drawn) and files, in the order of its blocks."""
    found = []
    for place, block in enumerate(outbound.message.blocks):
        if isinstance(block, m.Chart):
            with _DRAWING:
                data = charts.png(block)
            name = tagged(f"{block.name}.png", outbound.key, place)
            found.append(Upload(name, block.title, data, alt_text(block)))
        elif isinstance(block, m.File):
            name = tagged(block.name, outbound.key, place)
            found.append(Upload(name, block.title, block.content.encode("utf-8")))
    return found


def too_large(files: Iterable[Upload]) -> str | None:
    """Why these cannot be sent, in a coordinator's words (None: they can)."""
    for upload in files:
        if len(upload.data) > MAX_BYTES:
            size, limit = len(upload.data) / 1_000_000, MAX_BYTES / 1_000_000
            return f"the file {upload.title!r} is {size:.1f} MB; Slack gets at most {limit:.1f} MB"
    return None


def tagged(name: str, key: str, place: int) -> str:
    """``name`` with a short hash of the outbox key and the block's place before its
    extension: the same file of the same message has the same name every time."""
    parts = re.fullmatch(r"(.*)\.([A-Za-z0-9]{1,8})", name)
    stem, extension = (parts[1], parts[2]) if parts else (name, "txt")
    stem = re.sub(r"[^A-Za-z0-9_-]+", "-", stem).strip("-")[:60] or "file"
    tag = hashlib.sha256(f"{key}\x00{place}".encode()).hexdigest()[:_TAG]
    return f"{stem}-{tag}.{extension}"


def alt_text(chart: m.Chart) -> str:
    """What a chart shows, for a screen reader: its title, then each label's value."""
    values = (
        f"{label} {'–' if value is None else f'{value:g}'}"
        for label, value in zip(chart.labels, chart.values, strict=True)
    )
    return f"{chart.title}: {'; '.join(values)}"[:ALT_TEXT]


def shared_names(messages: Iterable[Mapping[str, Any]]) -> set[str]:
    """The names of the files shared in these messages (a conversation's history)."""
    return {
        str(file.get("name"))
        for message in messages
        for file in message.get("files") or ()
        if isinstance(file, Mapping) and file.get("name")
    }
