"""The console's device for attachments: a terminal cannot show a picture or hand
over a file, so charts and files in a message are saved on disk and the chat
prints where.

Each person's files go to ``<root>/<person>/<name>``; both parts are reduced to
letters, digits, dots, dashes and underscores, so no chart or file name can reach
outside that folder (no ``..``, no ``/``, no hidden files).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from bot import outbound as m

Attachment = m.Chart | m.File
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
_MAX_NAME = 100


def safe_name(text: str, fallback: str = "file") -> str:
    """``text`` as one harmless path part: no separators, no leading dots."""
    name = _UNSAFE.sub("-", text).strip(".-")[:_MAX_NAME].strip(".-")
    return re.sub(r"\.{2,}", ".", name) or fallback


class Attachments:
    """Saves a message's charts (as PNG) and files (as they are) for one person."""

    def __init__(self, root: Path, draw: Callable[[m.Chart], bytes] | None = None) -> None:
        self.root = root
        self._draw = draw

    def save(self, person: str, message: m.Message) -> dict[int, str]:
        """Where each chart or file of ``message`` was saved (or why it was not),
        by the block's position in the message."""
        return {
            index: self._saved(person, block)
            for index, block in enumerate(message.blocks)
            if isinstance(block, m.Chart | m.File)
        }

    def path_for(self, person: str, block: Attachment) -> Path:
        folder = self.root / safe_name(person, "someone")
        if isinstance(block, m.Chart):
            return folder / f"{safe_name(block.name, 'chart')}.png"
        return folder / safe_name(block.name)

    def _saved(self, person: str, block: Attachment) -> str:
        path = self.path_for(person, block)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            content = self.draw(block) if isinstance(block, m.Chart) else block.content.encode()
            path.write_bytes(content)
        except OSError as error:
            return f"not saved: {error.strerror or error}"
        return str(path)

    def draw(self, chart: m.Chart) -> bytes:
        if self._draw is None:
            from adapters.reports.charts import png  # matplotlib: only once a chart comes

            self._draw = png
        return self._draw(chart)
