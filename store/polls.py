"""Polls in a program's channel, and the answers to them (counted, never listed)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from bot.model import Poll
from store.tables import PollAnswerRow, PollRow


def _poll(row: PollRow) -> Poll:
    return Poll(row.id, row.program_id, row.question, tuple(row.options["options"]), row.created_at)


class SqlPolls:
    def __init__(self, session: Session) -> None:
        self._s = session

    def add(
        self,
        workspace_id: int,
        program_id: int,
        question: str,
        options: Sequence[str],
        now: datetime,
    ) -> Poll:
        row = PollRow(
            workspace_id=workspace_id,
            program_id=program_id,
            question=question,
            options={"options": list(options)},
            created_at=now,
        )
        self._s.add(row)
        self._s.flush()
        return _poll(row)

    def get(self, poll_id: int) -> Poll | None:
        row = self._s.get(PollRow, poll_id)
        return _poll(row) if row else None

    def answer(self, poll: Poll, person_id: int, option: int, now: datetime) -> int:
        # The poll's row first: it orders concurrent answers to one poll.
        version = int(
            self._s.scalar(
                update(PollRow)
                .where(PollRow.id == poll.id)
                .values(version=PollRow.version + 1)
                .returning(PollRow.version)
            )
            or 0
        )
        changed = self._s.execute(
            update(PollAnswerRow)
            .where(PollAnswerRow.poll_id == poll.id, PollAnswerRow.person_id == person_id)
            .values(option=option, answered_at=now)
        )
        if getattr(changed, "rowcount", 0):
            return version
        workspace = self._s.scalar(select(PollRow.workspace_id).where(PollRow.id == poll.id))
        self._s.add(
            PollAnswerRow(
                workspace_id=workspace,
                poll_id=poll.id,
                person_id=person_id,
                option=option,
                answered_at=now,
            )
        )
        self._s.flush()  # a second answer racing this one fails here, and is retried
        return version

    def counts(self, poll_id: int) -> list[int]:
        poll = self.get(poll_id)
        if poll is None:
            return []
        rows = self._s.execute(
            select(PollAnswerRow.option, func.count())
            .where(PollAnswerRow.poll_id == poll_id)
            .group_by(PollAnswerRow.option)
        ).all()
        found = {int(row[0]): int(row[1]) for row in rows}
        return [int(found.get(n, 0)) for n in range(len(poll.options))]
