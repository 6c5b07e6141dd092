"""In-memory polls, kudos and spotlights, program surveys, program changes and the
dashboard's sign-ins (store/polls.py, store/recognition.py, store/dashboards.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from bot.adjustment import ProgramChange, ProgramSurvey, Stage
from bot.dashboard_sessions import Holder
from bot.model import Poll
from bot.recognition import Kind, Recognition
from fakes.memory.tables import Row, Transaction


def _poll(r: Row) -> Poll:
    return Poll(r["id"], r["program_id"], r["question"], tuple(r["options"]), r["created_at"])


class MemoryPolls:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    def add(
        self,
        workspace_id: int,
        program_id: int,
        question: str,
        options: Sequence[str],
        now: datetime,
    ) -> Poll:
        row = self._tx.insert(
            "polls",
            workspace_id=workspace_id,
            program_id=program_id,
            question=question,
            options=list(options),
            created_at=now,
            version=0,
        )
        return _poll(row)

    def get(self, poll_id: int) -> Poll | None:
        row = self._tx.get("polls", poll_id)
        return _poll(row) if row else None

    def answer(self, poll: Poll, person_id: int, option: int, now: datetime) -> int:
        row = self._tx.get("polls", poll.id)
        version = 0
        if row is not None:
            version = row["version"] + 1
            self._tx.update("polls", poll.id, version=version)
        answer = self._tx.first("poll_answers", poll_id=poll.id, person_id=person_id)
        if answer is not None:
            self._tx.update("poll_answers", answer["id"], option=option, answered_at=now)
            return version
        self._tx.insert(
            "poll_answers",
            workspace_id=None if row is None else row["workspace_id"],
            poll_id=poll.id,
            person_id=person_id,
            option=option,
            answered_at=now,
        )
        return version

    def counts(self, poll_id: int) -> list[int]:
        poll = self.get(poll_id)
        if poll is None:
            return []
        found = [0] * len(poll.options)
        for r in self._tx.rows("poll_answers", poll_id=poll_id):
            if 0 <= r["option"] < len(found):
                found[r["option"]] += 1
        return found


def _recognition(r: Row) -> Recognition:
    return Recognition(
        r["id"],
        r["workspace_id"],
        r["program_id"],
        Kind(r["kind"]),
        r["author_id"],
        r["first_id"],
        r["second_id"],
        r["words"],
        r["created_at"],
        r["author_ok"],
        r["first_ok"],
        r["second_ok"],
        r["posted_at"],
    )


class MemoryRecognitions:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    def add(
        self,
        workspace_id: int,
        program_id: int,
        kind: Kind,
        author_id: int,
        first_id: int,
        second_id: int | None,
        words: str,
        now: datetime,
    ) -> Recognition:
        row = self._tx.insert(
            "recognitions",
            workspace_id=workspace_id,
            program_id=program_id,
            kind=kind.value,
            author_id=author_id,
            first_id=first_id,
            second_id=second_id,
            words=words,
            created_at=now,
            author_ok=None,
            first_ok=None,
            second_ok=None,
            posted_at=None,
        )
        return _recognition(row)

    def get(self, recognition_id: int) -> Recognition | None:
        row = self._tx.get("recognitions", recognition_id)
        return _recognition(row) if row else None

    def consent(self, recognition_id: int, person_id: int, ok: bool) -> Recognition | None:
        found = self.get(recognition_id)
        if found is None or person_id not in found.consents():
            return None
        changes: dict[str, Any] = {}
        if found.kind is Kind.KUDOS and found.author_id == person_id:
            changes["author_ok"] = ok
        if found.first_id == person_id:
            changes["first_ok"] = ok
        if found.kind is Kind.SPOTLIGHT and found.second_id == person_id:
            changes["second_ok"] = ok
        return _recognition(self._tx.update("recognitions", recognition_id, **changes))

    def posted(self, recognition_id: int, now: datetime) -> bool:
        row = self._tx.get("recognitions", recognition_id)
        if row is None or row["posted_at"] is not None:
            return False
        self._tx.update("recognitions", recognition_id, posted_at=now)
        return True

    def sent_since(self, program_id: int, author_id: int, since: datetime) -> int:
        found = self._tx.rows(
            "recognitions", program_id=program_id, author_id=author_id, kind=Kind.KUDOS.value
        )
        return sum(1 for r in found if r["created_at"] >= since)

    def written_by(self, person_id: int) -> Sequence[str]:
        found = self._tx.rows("recognitions", author_id=person_id, kind=Kind.KUDOS.value)
        return [r["words"] for r in found]


def _survey(r: Row) -> ProgramSurvey:
    return ProgramSurvey(
        r["id"],
        r["program_id"],
        r["person_id"],
        Stage(r["stage"]),
        r["created_at"],
        r["growth"],
        r["supported"],
        r["recommend"],
        r["comment"],
        r["shared"],
        r["answered_at"],
    )


class MemoryProgramSurveys:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    def start(
        self, workspace_id: int, program_id: int, person_id: int, stage: Stage, now: datetime
    ) -> ProgramSurvey | None:
        key = {"program_id": program_id, "person_id": person_id, "stage": stage.value}
        if self._tx.first("program_surveys", **key) is not None:
            return None
        row = self._tx.insert(
            "program_surveys",
            workspace_id=workspace_id,
            created_at=now,
            growth=None,
            supported=None,
            recommend=None,
            comment=None,
            shared=False,
            answered_at=None,
            **key,
        )
        return _survey(row)

    def asked(self, program_id: int) -> Sequence[tuple[int, Stage]]:
        found = self._tx.rows("program_surveys", program_id=program_id)
        return [(int(r["person_id"]), Stage(r["stage"])) for r in found]

    def get(self, survey_id: int) -> ProgramSurvey | None:
        row = self._tx.get("program_surveys", survey_id)
        return _survey(row) if row else None

    def save(self, survey: ProgramSurvey) -> None:
        if self._tx.get("program_surveys", survey.id) is None:
            return
        self._tx.update(
            "program_surveys",
            survey.id,
            growth=survey.growth,
            supported=survey.supported,
            recommend=survey.recommend,
            comment=survey.comment,
            shared=survey.shared,
            answered_at=survey.answered_at,
        )

    def comments_of(self, person_id: int) -> Sequence[str]:
        found = self._tx.rows("program_surveys", person_id=person_id)
        return [r["comment"] for r in found if r["comment"]]


class MemoryProgramChanges:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    def of_program(self, program_id: int) -> Sequence[ProgramChange]:
        found = sorted(self._tx.rows("program_changes", program_id=program_id), key=_changed_at)
        return [
            ProgramChange(r["program_id"], r["changed_at"], r["what"], r["before"], r["after"])
            for r in found
        ]


def _changed_at(row: Row) -> datetime:
    changed: datetime = row["changed_at"]
    return changed


_KEEP = timedelta(days=1)  # spent or expired rows linger this long, then go


class MemoryDashboards:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    def _add(self, table: str, secret: str, holder: Holder, now: datetime, **values: Any) -> None:
        self._tx.delete_where(table, lambda r: r["expires_at"] < now - _KEEP)
        self._tx.insert(
            table,
            workspace_id=holder.workspace_id,
            person_id=holder.person_id,
            created_at=now,
            **{secret: values.pop("hash")},
            **values,
        )

    def add_link(
        self, holder: Holder, token_hash: str, now: datetime, expires_at: datetime
    ) -> None:
        self._add(
            "dashboard_links", "token_hash", holder, now,
            hash=token_hash, expires_at=expires_at, used_at=None,
        )  # fmt: skip

    def spend_link(self, token_hash: str, now: datetime) -> Holder | None:
        row = self._tx.first("dashboard_links", token_hash=token_hash)
        if row is None or row["used_at"] is not None or row["expires_at"] <= now:
            return None
        self._tx.update("dashboard_links", row["id"], used_at=now)
        return Holder(row["workspace_id"], row["person_id"])

    def add_session(
        self, holder: Holder, session_hash: str, now: datetime, expires_at: datetime
    ) -> None:
        self._add(
            "dashboard_sessions", "session_hash", holder, now,
            hash=session_hash, expires_at=expires_at, ended_at=None,
        )  # fmt: skip

    def session(self, session_hash: str, now: datetime) -> Holder | None:
        row = self._tx.first("dashboard_sessions", session_hash=session_hash)
        if row is None or row["ended_at"] is not None or row["expires_at"] <= now:
            return None
        return Holder(row["workspace_id"], row["person_id"])

    def end_session(self, session_hash: str, now: datetime) -> None:
        row = self._tx.first("dashboard_sessions", session_hash=session_hash)
        if row is not None and row["ended_at"] is None:
            self._tx.update("dashboard_sessions", row["id"], ended_at=now)
