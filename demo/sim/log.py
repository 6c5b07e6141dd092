"""``messages.jsonl``: one line per message per recipient, one per answer."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import IO, Any

from adapters.console.render import render
from bot import outbound as m


class MessageLog:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._out: IO[str] = path.open("w", encoding="utf-8")
        self.lines = 0
        # A group message reaches each member in turn: rendered once, not per member.
        self._last: tuple[m.Message, str] | None = None

    def sent(
        self, at: datetime, to: str, tz: str, outbound: m.Outbound, *, scheduled: bool
    ) -> None:
        """``scheduled``: Tandem started it (delivered by the outbox), as opposed to a
        reply to something the person just did."""
        self._write(
            {
                "at": _iso(at),
                "to": to,
                "tz": tz,
                "kind": outbound.message.kind,
                "match": outbound.message.match,
                "key": outbound.key,
                "via": "schedule" if scheduled else "reply",
                "text": self._render(outbound.message),
            }
        )

    def _render(self, message: m.Message) -> str:
        if self._last is None or self._last[0] is not message:
            self._last = (message, render(message))
        return self._last[1]

    def reply(self, at: datetime, person: str, answering: m.Message | None, text: str) -> None:
        self._write(
            {
                "at": _iso(at),
                "from": person,
                "kind": "reply",
                "match": answering.match if answering else None,
                "answering": answering.kind if answering else None,
                "text": text,
            }
        )

    def _write(self, line: dict[str, Any]) -> None:
        self._out.write(json.dumps(line, ensure_ascii=False) + "\n")
        self.lines += 1

    def close(self) -> None:
        self._out.close()


def _iso(at: datetime) -> str:
    return at.isoformat().replace("+00:00", "Z")
