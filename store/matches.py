"""Repositories for matches, their members, and partner requests."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, delete, select
from sqlalchemy.orm import Session, aliased

from bot.matching.ports import NewMember
from bot.model import Match, MatchStatus, Member, Round
from store.sql import table_of
from store.tables import (
    MatchMemberRow,
    MatchRow,
    PartnerRequestRow,
    PersonRow,
)

_MATCHES, _MEMBERS, _PEOPLE = table_of(MatchRow), table_of(MatchMemberRow), table_of(PersonRow)

_MATCH_WHOLE = (
    select(
        _MATCHES,
        _MEMBERS.c.person_id.label("m_person"),
        _MEMBERS.c.role.label("m_role"),
        _MEMBERS.c.agreed_at.label("m_agreed"),
        _PEOPLE.c.user_id.label("m_user_id"),
        _PEOPLE.c.display_name.label("m_name"),
    )
    .outerjoin(_MEMBERS, _MEMBERS.c.match_id == _MATCHES.c.id)
    .outerjoin(_PEOPLE, _PEOPLE.c.id == _MEMBERS.c.person_id)
    .where(_MATCHES.c.id == bindparam("id"))
    .order_by(_MEMBERS.c.position)
)
_MEMBERS_OF_MATCHES = (
    select(
        _MEMBERS.c.match_id,
        _MEMBERS.c.person_id,
        _MEMBERS.c.role,
        _MEMBERS.c.agreed_at,
        _PEOPLE.c.user_id,
        _PEOPLE.c.display_name,
    )
    .join(_PEOPLE, _PEOPLE.c.id == _MEMBERS.c.person_id)
    .where(_MEMBERS.c.match_id.in_(bindparam("ids", expanding=True)))
    .order_by(_MEMBERS.c.match_id, _MEMBERS.c.position)
)

# A person's matches: read at every answer about a match.
_OF_PERSON = (
    select(_MATCHES)
    .join(_MEMBERS, _MEMBERS.c.match_id == _MATCHES.c.id)
    .where(
        _MEMBERS.c.person_id == bindparam("person_id"),
        _MATCHES.c.status.in_(bindparam("statuses", expanding=True)),
    )
    .order_by(_MATCHES.c.id)
)


def _match(r: Any, members: Sequence[Member]) -> Match:
    return Match(
        r.id,
        r.workspace_id,
        r.program_id,
        r.round_id,
        MatchStatus(r.status),
        r.kind,
        r.score,
        tuple(r.reasons),
        tuple(members),
        r.created_at,
        r.topic,
        r.started_at,
        r.ended_at,
        r.end_reason,
        r.introduced_at,
        r.organiser_id,
    )


class SqlMatches:
    def __init__(self, session: Session) -> None:
        self._s = session

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
        row = MatchRow(
            workspace_id=round_.workspace_id,
            program_id=round_.program_id,
            round_id=round_.id,
            status=MatchStatus.PROPOSED.value,
            kind=kind,
            topic=topic,
            score=score,
            reasons=[dict(r) for r in reasons],
            created_at=now,
        )
        self._s.add(row)
        self._s.flush()
        self._set_members(row, members)
        return row.id

    def _set_members(self, row: MatchRow, members: Sequence[NewMember]) -> None:
        self._s.execute(delete(MatchMemberRow).filter_by(match_id=row.id))
        self._s.add_all(
            MatchMemberRow(
                workspace_id=row.workspace_id,
                match_id=row.id,
                person_id=person,
                role=role,
                position=n,
            )
            for n, (person, role) in enumerate(members)
        )
        self._s.flush()

    def _load(self, rows: Sequence[Any]) -> list[Match]:
        if not rows:
            return []
        members: dict[int, list[Member]] = {}
        found = self._s.execute(_MEMBERS_OF_MATCHES, {"ids": [r.id for r in rows]})
        for row in found:
            members.setdefault(row.match_id, []).append(
                Member(row.person_id, row.user_id, row.display_name, row.role, row.agreed_at)
            )
        return [_match(r, members.get(r.id, ())) for r in rows]

    def get(self, match_id: int) -> Match | None:
        self._s.flush()  # Core reads see this transaction's ORM changes only once flushed
        # One query for the match and its members: answers look up a match each time.
        rows = self._s.execute(_MATCH_WHOLE, {"id": match_id}).all()
        if not rows:
            return None
        members = [
            Member(r.m_person, r.m_user_id, r.m_name, r.m_role, r.m_agreed)
            for r in rows
            if r.m_person is not None
        ]
        return _match(rows[0], members)

    def of_round(self, round_id: int) -> Sequence[Match]:
        self._s.flush()
        query = select(_MATCHES).where(_MATCHES.c.round_id == round_id).order_by(_MATCHES.c.id)
        return self._load(self._s.execute(query).all())

    def revise(
        self,
        match_id: int,
        score: float,
        reasons: Sequence[Mapping[str, Any]],
        members: Sequence[NewMember],
    ) -> None:
        row = self._s.get_one(MatchRow, match_id)
        row.score, row.reasons = score, [dict(r) for r in reasons]
        self._set_members(row, members)

    def delete(self, match_id: int) -> None:
        self._s.execute(delete(MatchRow).filter_by(id=match_id))

    def set_status(
        self, match_id: int, status: MatchStatus, now: datetime, reason: str | None = None
    ) -> None:
        row = self._s.get_one(MatchRow, match_id)
        row.status = status.value
        if status is MatchStatus.ACTIVE:
            row.started_at = now
        if status is MatchStatus.ENDED:
            row.ended_at, row.end_reason = now, reason

    def of_person(self, person_id: int, statuses: Sequence[MatchStatus]) -> Sequence[Match]:
        self._s.flush()  # a Core read: the ORM's changes to matches must be written first
        found = self._s.execute(
            _OF_PERSON, {"person_id": person_id, "statuses": [s.value for s in statuses]}
        )
        return self._load(found.all())

    def active(self, program_id: int) -> Sequence[Match]:
        self._s.flush()
        query = (
            select(_MATCHES)
            .where(
                _MATCHES.c.program_id == program_id, _MATCHES.c.status == MatchStatus.ACTIVE.value
            )
            .order_by(_MATCHES.c.id)
        )
        return self._load(self._s.execute(query).all())

    def introduced(self, match_id: int, organiser_id: int, now: datetime) -> None:
        row = self._s.get_one(MatchRow, match_id)
        row.introduced_at, row.organiser_id = now, organiser_id

    def agreed(self, match_id: int, person_id: int, now: datetime) -> bool:
        row = self._s.scalars(
            select(MatchMemberRow).filter_by(match_id=match_id, person_id=person_id)
        ).first()
        if row is None or row.agreed_at is not None:
            return False
        row.agreed_at = now
        return True

    def pairs_since(self, program_id: int, since: datetime) -> Sequence[tuple[str, str]]:
        first, second = aliased(MatchMemberRow), aliased(MatchMemberRow)
        one, other = aliased(PersonRow), aliased(PersonRow)
        query = (
            select(one.user_id, other.user_id)
            .select_from(MatchRow)
            .join(first, first.match_id == MatchRow.id)
            .join(second, (second.match_id == MatchRow.id) & (second.person_id > first.person_id))
            .join(one, one.id == first.person_id)
            .join(other, other.id == second.person_id)
            .where(
                MatchRow.program_id == program_id,
                MatchRow.created_at >= since,
                MatchRow.status.in_([MatchStatus.ACTIVE.value, MatchStatus.ENDED.value]),
            )
        )
        return [(a, b) for a, b in self._s.execute(query)]

    def forget_person(self, person_id: int, now: datetime) -> Sequence[int]:
        query = (
            select(MatchRow)
            .join(MatchMemberRow, MatchMemberRow.match_id == MatchRow.id)
            .where(MatchMemberRow.person_id == person_id)
        )
        live = {MatchStatus.ACTIVE.value, MatchStatus.PROPOSED.value}
        ended = []
        for row in self._s.scalars(query):
            row.reasons = []  # they name the person
            if row.status in live:
                row.status, row.ended_at, row.end_reason = MatchStatus.ENDED.value, now, "erased"
                ended.append(row.id)
        self._s.flush()
        return ended


class SqlPartnerRequests:
    def __init__(self, session: Session) -> None:
        self._s = session

    def put(
        self, workspace_id: int, program_id: int, person_id: int, user_id: str, now: datetime
    ) -> None:
        self.clear(program_id, person_id)
        self._s.add(
            PartnerRequestRow(
                workspace_id=workspace_id,
                program_id=program_id,
                person_id=person_id,
                requested=user_id,
                created_at=now,
            )
        )
        self._s.flush()

    def clear(self, program_id: int, person_id: int) -> None:
        self._s.execute(
            delete(PartnerRequestRow).filter_by(program_id=program_id, person_id=person_id)
        )

    def of_program(self, program_id: int) -> Mapping[int, str]:
        query = select(PartnerRequestRow).filter_by(program_id=program_id)
        return {row.person_id: row.requested for row in self._s.scalars(query)}
