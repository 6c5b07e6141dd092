"""Matching's ports: rounds and their waitlists, matches, and partner requests."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, Protocol

from bot.model import Match, MatchStatus, Round, RoundStatus, Waiting


class Rounds(Protocol):
    """A program's matching rounds (a draft a coordinator reviews, then published)
    and who each round left waiting, and why."""

    def draft(self, program_id: int) -> Round | None:
        """The program's draft round, if a coordinator is reviewing one."""
        ...

    def latest_published(self, program_id: int) -> Round | None: ...

    def add(
        self,
        workspace_id: int,
        program_id: int,
        seed: int,
        exact: bool,
        now: datetime,
        scheduled_for: date | None = None,
    ) -> Round: ...

    def scheduled(self, program_id: int, day: date) -> Round | None:
        """The round the schedule ran for ``day``, if it did."""
        ...

    def set_status(self, round_id: int, status: RoundStatus, now: datetime) -> None: ...

    def mark_edited(self, round_id: int) -> None:
        """A coordinator changed the draft: it is no longer the solver's round."""
        ...

    def waiting(self, round_id: int) -> Sequence[Waiting]: ...

    def add_waiting(self, round_: Round, person_id: int, reason: str) -> None: ...

    def remove_waiting(self, round_id: int, person_id: int) -> None: ...


NewMember = tuple[int, str]  # person id, role


class Matches(Protocol):
    """Matches proposed in a round and, once published, their life: start,
    introduction, agreement, end."""

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
        """A proposed match in a draft round; its id."""
        ...

    def get(self, match_id: int) -> Match | None: ...

    def of_round(self, round_id: int) -> Sequence[Match]: ...

    def revise(
        self,
        match_id: int,
        score: float,
        reasons: Sequence[Mapping[str, Any]],
        members: Sequence[NewMember],
    ) -> None:
        """Replace a proposed match's members, score and reasons (a coordinator's swap)."""
        ...

    def delete(self, match_id: int) -> None: ...

    def set_status(
        self, match_id: int, status: MatchStatus, now: datetime, reason: str | None = None
    ) -> None: ...

    def of_person(self, person_id: int, statuses: Sequence[MatchStatus]) -> Sequence[Match]: ...

    def active(self, program_id: int) -> Sequence[Match]: ...

    def introduced(self, match_id: int, organiser_id: int, now: datetime) -> None: ...

    def agreed(self, match_id: int, person_id: int, now: datetime) -> bool:
        """Record that a member accepted the agreement; false if they had already."""
        ...

    def pairs_since(self, program_id: int, since: datetime) -> Sequence[tuple[str, str]]:
        """Handles of every two people matched (active or ended) in the program since then."""
        ...

    def forget_person(self, person_id: int, now: datetime) -> Sequence[int]:
        """Before erasing a person: end their live matches and scrub every match's
        reasons that name them. The ids of the matches that ended."""
        ...


class PartnerRequests(Protocol):
    """Who asked to be paired with whom in a program's next round."""

    def put(
        self, workspace_id: int, program_id: int, person_id: int, user_id: str, now: datetime
    ) -> None: ...

    def clear(self, program_id: int, person_id: int) -> None: ...

    def of_program(self, program_id: int) -> Mapping[int, str]:
        """Requested handle by requesting person id."""
        ...
