"""What the schedule looks at in one program, read once: an immutable snapshot.

The planners in :mod:`bot.cadence.agenda` are pure functions of a
:class:`Snapshot` and the time. A tick reads the snapshot once, and reads it
again (:meth:`Snapshot.reloaded`) after a stage that introduced or ended matches
or paused people, so the next stage plans from what is stored now. Nothing else
a stage writes is read back by a later stage in the same tick.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import cached_property

from bot.adjustment import Stage
from bot.model import Checkin, Enrolment, Match, Program
from bot.ports import UnitOfWork
from bot.program.spec import ProgramSpec

# How far back (in cycles) a tick reads check-ins: the current cycle, the two
# before it for stalls, the last three closed ones for silences.
RECENT_CYCLES = 5


@dataclass(frozen=True)
class Snapshot:
    """One program's live state as the schedule sees it at the start of a stage."""

    program: Program
    active: tuple[Match, ...]  # live matches, by id
    # Check-ins of the last few cycles, oldest first. Read once per tick: the only
    # ones added during a tick are this cycle's, unanswered, which no later stage
    # looks at.
    asked: tuple[Checkin, ...]
    enrolments: Mapping[int, Enrolment]  # by person
    milestones: frozenset[tuple[int, int, int]] = frozenset()  # (match, person, day) asked
    surveyed: Mapping[int, frozenset[Stage]] = field(default_factory=dict)  # by person

    @classmethod
    def load(cls, uow: UnitOfWork, program: Program, now: datetime) -> Snapshot:
        """Read what every planner needs, in a few queries (not a few per match)."""
        since = now.date() - timedelta(days=7 * program.spec.cadence_weeks * RECENT_CYCLES)
        surveyed: dict[int, set[Stage]] = {}
        for person_id, stage in uow.surveys.asked(program.id):
            surveyed.setdefault(person_id, set()).add(stage)
        return cls(
            program,
            tuple(uow.matches.active(program.id)),
            tuple(uow.checkins.of_program(program.id, since)),
            _enrolments(uow, program),
            frozenset(uow.goals.milestones_of_program(program.id)),
            {person: frozenset(stages) for person, stages in surveyed.items()},
        )

    def reloaded(self, uow: UnitOfWork) -> Snapshot:
        """The same snapshot with the matches and enrolments read again."""
        return replace(
            self,
            active=tuple(uow.matches.active(self.program.id)),
            enrolments=_enrolments(uow, self.program),
        )

    @property
    def spec(self) -> ProgramSpec:
        return self.program.spec

    @cached_property
    def _asked_by_match(self) -> Mapping[int, tuple[Checkin, ...]]:
        found: dict[int, list[Checkin]] = {}
        for item in self.asked:
            found.setdefault(item.match_id, []).append(item)
        return {match_id: tuple(items) for match_id, items in found.items()}

    def asked_in(self, match_id: int) -> tuple[Checkin, ...]:
        """A match's recent check-ins, oldest first."""
        return self._asked_by_match.get(match_id, ())

    def enrolment(self, person_id: int) -> Enrolment | None:
        return self.enrolments.get(person_id)

    def taking_part(self, person_id: int, now: datetime) -> bool:
        """Enrolled, and neither left nor on a break."""
        enrolment = self.enrolment(person_id)
        return enrolment is not None and enrolment.is_participating(now)


def _enrolments(uow: UnitOfWork, program: Program) -> Mapping[int, Enrolment]:
    return {e.person_id: e for e in uow.enrolments.in_program(program.id)}
