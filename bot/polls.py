"""The polls' port: questions asked in a program's channel, counted, never listed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from bot.model import Poll


class Polls(Protocol):
    """Questions asked in a program's channel; only counts per option leave it."""

    def add(
        self,
        workspace_id: int,
        program_id: int,
        question: str,
        options: Sequence[str],
        now: datetime,
    ) -> Poll: ...

    def get(self, poll_id: int) -> Poll | None: ...

    def answer(self, poll: Poll, person_id: int, option: int, now: datetime) -> int:
        """Record (or change) this person's answer: one per person. The poll's new
        version (it goes up with every answer)."""
        ...

    def counts(self, poll_id: int) -> list[int]:
        """Answers per option, in the poll's option order."""
        ...
