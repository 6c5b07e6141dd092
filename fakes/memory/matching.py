"""In-memory rounds, matches, the waitlist and partner requests (store/matching.py)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any

from bot.matching.ports import NewMember
from bot.model import Match, MatchStatus, Member, Round, RoundStatus, Waiting
from fakes.memory.tables import Row, Transaction, as_json


def _round(row: Row) -> Round:
    return Round(
        row["id"],
        row["workspace_id"],
        row["program_id"],
        RoundStatus(row["status"]),
        row["seed"],
        row["exact"],
        row["created_at"],
        row["published_at"],
        row["edited"],
        row["scheduled_for"],
    )


class MemoryRounds:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    def _latest(self, program_id: int, status: RoundStatus) -> Round | None:
        found = list(self._tx.rows("rounds", program_id=program_id, status=status.value))
        return _round(found[-1]) if found else None

    def draft(self, program_id: int) -> Round | None:
        return self._latest(program_id, RoundStatus.DRAFT)

    def latest_published(self, program_id: int) -> Round | None:
        return self._latest(program_id, RoundStatus.PUBLISHED)

    def add(
        self,
        workspace_id: int,
        program_id: int,
        seed: int,
        exact: bool,
        now: datetime,
        scheduled_for: date | None = None,
    ) -> Round:
        row = self._tx.insert(
            "rounds",
            workspace_id=workspace_id,
            program_id=program_id,
            status=RoundStatus.DRAFT.value,
            seed=seed,
            exact=exact,
            edited=False,
            scheduled_for=scheduled_for,
            created_at=now,
            published_at=None,
        )
        return _round(row)

    def scheduled(self, program_id: int, day: date) -> Round | None:
        row = self._tx.first("rounds", program_id=program_id, scheduled_for=day)
        return _round(row) if row else None

    def mark_edited(self, round_id: int) -> None:
        self._tx.update("rounds", round_id, edited=True)

    def set_status(self, round_id: int, status: RoundStatus, now: datetime) -> None:
        changes: dict[str, Any] = {"status": status.value}
        if status is RoundStatus.PUBLISHED:
            changes["published_at"] = now
        self._tx.update("rounds", round_id, **changes)

    def waiting(self, round_id: int) -> Sequence[Waiting]:
        found = []
        for w in self._tx.rows("waitlist", round_id=round_id):
            person = self._tx.one("people", w["person_id"])
            found.append(
                Waiting(w["person_id"], person["user_id"], person["display_name"], w["reason"])
            )
        return found

    def add_waiting(self, round_: Round, person_id: int, reason: str) -> None:
        self._tx.insert(
            "waitlist",
            workspace_id=round_.workspace_id,
            round_id=round_.id,
            person_id=person_id,
            reason=reason,
        )

    def remove_waiting(self, round_id: int, person_id: int) -> None:
        self._tx.delete_where(
            "waitlist", lambda r: r["round_id"] == round_id and r["person_id"] == person_id
        )


class MemoryMatches:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    def add(
        self,
        round_: Round,
        kind: str,
        score: float,
        reasons: Sequence[Mapping[str, Any]],
        members: Sequence[NewMember],
        now: datetime,
        topic: str | None = None,
    ) -> int:
        row = self._tx.insert(
            "matches",
            workspace_id=round_.workspace_id,
            program_id=round_.program_id,
            round_id=round_.id,
            status=MatchStatus.PROPOSED.value,
            kind=kind,
            topic=topic,
            score=score,
            reasons=as_json([dict(r) for r in reasons]),
            created_at=now,
            started_at=None,
            introduced_at=None,
            organiser_id=None,
            ended_at=None,
            end_reason=None,
        )
        self._set_members(row, members)
        return int(row["id"])

    def _set_members(self, row: Row, members: Sequence[NewMember]) -> None:
        self._tx.delete_where("match_members", lambda r: r["match_id"] == row["id"])
        for n, (person, role) in enumerate(members):
            self._tx.insert(
                "match_members",
                workspace_id=row["workspace_id"],
                match_id=row["id"],
                person_id=person,
                role=role,
                position=n,
                agreed_at=None,
            )

    def _match(self, row: Row) -> Match:
        members = sorted(self._tx.rows("match_members", match_id=row["id"]), key=_position)
        people = [self._tx.one("people", mm["person_id"]) for mm in members]
        return Match(
            row["id"],
            row["workspace_id"],
            row["program_id"],
            row["round_id"],
            MatchStatus(row["status"]),
            row["kind"],
            row["score"],
            tuple(as_json(row["reasons"])),
            tuple(
                Member(p["id"], p["user_id"], p["display_name"], mm["role"], mm["agreed_at"])
                for mm, p in zip(members, people, strict=True)
            ),
            row["created_at"],
            row["topic"],
            row["started_at"],
            row["ended_at"],
            row["end_reason"],
            row["introduced_at"],
            row["organiser_id"],
        )

    def get(self, match_id: int) -> Match | None:
        row = self._tx.get("matches", match_id)
        return self._match(row) if row else None

    def of_round(self, round_id: int) -> Sequence[Match]:
        return [self._match(r) for r in self._tx.rows("matches", round_id=round_id)]

    def revise(
        self,
        match_id: int,
        score: float,
        reasons: Sequence[Mapping[str, Any]],
        members: Sequence[NewMember],
    ) -> None:
        reasons_data = as_json([dict(r) for r in reasons])
        row = self._tx.update("matches", match_id, score=score, reasons=reasons_data)
        self._set_members(row, members)

    def delete(self, match_id: int) -> None:
        self._tx.delete("matches", match_id)

    def set_status(
        self, match_id: int, status: MatchStatus, now: datetime, reason: str | None = None
    ) -> None:
        changes: dict[str, Any] = {"status": status.value}
        if status is MatchStatus.ACTIVE:
            changes["started_at"] = now
        if status is MatchStatus.ENDED:
            changes.update(ended_at=now, end_reason=reason)
        self._tx.update("matches", match_id, **changes)

    def of_person(self, person_id: int, statuses: Sequence[MatchStatus]) -> Sequence[Match]:
        wanted = {s.value for s in statuses}
        ids = {r["match_id"] for r in self._tx.rows("match_members", person_id=person_id)}
        return [
            self._match(r)
            for r in self._tx.table("matches").values()
            if r["id"] in ids and r["status"] in wanted
        ]

    def active(self, program_id: int) -> Sequence[Match]:
        found = self._tx.rows("matches", program_id=program_id, status=MatchStatus.ACTIVE.value)
        return [self._match(r) for r in found]

    def introduced(self, match_id: int, organiser_id: int, now: datetime) -> None:
        self._tx.update("matches", match_id, introduced_at=now, organiser_id=organiser_id)

    def agreed(self, match_id: int, person_id: int, now: datetime) -> bool:
        row = self._tx.first("match_members", match_id=match_id, person_id=person_id)
        if row is None or row["agreed_at"] is not None:
            return False
        self._tx.update("match_members", row["id"], agreed_at=now)
        return True

    def pairs_since(self, program_id: int, since: datetime) -> Sequence[tuple[str, str]]:
        live = (MatchStatus.ACTIVE.value, MatchStatus.ENDED.value)
        pairs = []
        for match in self._tx.rows("matches", program_id=program_id):
            if match["created_at"] < since or match["status"] not in live:
                continue
            members = [
                mm["person_id"] for mm in self._tx.rows("match_members", match_id=match["id"])
            ]
            user_ids = {p: self._tx.one("people", p)["user_id"] for p in members}
            pairs += [(user_ids[a], user_ids[b]) for a in members for b in members if b > a]
        return pairs

    def forget_person(self, person_id: int, now: datetime) -> Sequence[int]:
        live = {MatchStatus.ACTIVE.value, MatchStatus.PROPOSED.value}
        ended = []
        for mm in list(self._tx.rows("match_members", person_id=person_id)):
            row = self._tx.one("matches", mm["match_id"])
            changes: dict[str, Any] = {"reasons": []}  # they name the person
            if row["status"] in live:
                changes.update(status=MatchStatus.ENDED.value, ended_at=now, end_reason="erased")
                ended.append(row["id"])
            self._tx.update("matches", row["id"], **changes)
        return ended


def _position(row: Row) -> int:
    return int(row["position"])


class MemoryPartnerRequests:
    def __init__(self, tx: Transaction) -> None:
        self._tx = tx

    def put(
        self, workspace_id: int, program_id: int, person_id: int, user_id: str, now: datetime
    ) -> None:
        self.clear(program_id, person_id)
        self._tx.insert(
            "partner_requests",
            workspace_id=workspace_id,
            program_id=program_id,
            person_id=person_id,
            requested=user_id,
            created_at=now,
        )

    def clear(self, program_id: int, person_id: int) -> None:
        self._tx.delete_where(
            "partner_requests",
            lambda r: r["program_id"] == program_id and r["person_id"] == person_id,
        )

    def of_program(self, program_id: int) -> Mapping[int, str]:
        found = self._tx.rows("partner_requests", program_id=program_id)
        return {r["person_id"]: r["requested"] for r in found}
