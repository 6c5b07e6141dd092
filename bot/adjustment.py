"""The adjustment loop: program surveys, and the changes a coordinator makes.

Participants answer a short program survey after 30 days, mid-program and near
the end of a match; the report aggregates the answers (above the program's
minimum group only). When a coordinator changes how the program runs (cadence,
meeting length, format, duration), the change is recorded with its date, so the
report can mark it on its time line and before and after can be compared.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Protocol

from bot.program.spec import ProgramSpec


class Stage(StrEnum):
    """When a program survey is asked, counted from the start of a match."""

    DAY_30 = "day30"
    MIDPOINT = "midpoint"
    END = "end"


STAGE_WORDS = {
    Stage.DAY_30: "after 30 days",
    Stage.MIDPOINT: "mid-program",
    Stage.END: "at the end",
}


@dataclass(frozen=True)
class ProgramSurvey:
    """One participant's program survey at one stage: scores and an optional comment."""

    id: int
    program_id: int
    person_id: int
    stage: Stage
    asked_at: datetime
    growth: int | None = None  # 1-5
    supported: int | None = None  # 1-5
    recommend: int | None = None  # 0-10
    comment: str | None = None
    shared: bool = False  # the writer let the coordinators read ``comment``
    answered_at: datetime | None = None


class ProgramSurveys(Protocol):
    def start(
        self, workspace_id: int, program_id: int, person_id: int, stage: Stage, now: datetime
    ) -> ProgramSurvey | None:
        """A new survey; ``None`` if this stage was asked of this person already."""
        ...

    def asked(self, program_id: int) -> Sequence[tuple[int, Stage]]:
        """(person id, stage) of every survey asked in the program."""
        ...

    def get(self, survey_id: int) -> ProgramSurvey | None: ...

    def save(self, survey: ProgramSurvey) -> None: ...

    def comments_of(self, person_id: int) -> Sequence[str]: ...


@dataclass(frozen=True)
class ProgramChange:
    """A coordinator changed how the program runs: what, from, to, when."""

    program_id: int
    changed_at: datetime
    what: str  # "cadence", "meeting length", "format", "duration"
    before: str
    after: str

    @property
    def day(self) -> date:
        return self.changed_at.date()

    @property
    def described(self) -> str:
        return f"{self.what}: {self.before} → {self.after}"


class ProgramChanges(Protocol):
    def of_program(self, program_id: int) -> Sequence[ProgramChange]:
        """Recorded when a program is put again with a different way of running
        (see the store's ``Programs.put``), oldest first."""
        ...


# What a change to a program is, in words: the fields that change how it runs.
_WATCHED = (
    ("cadence", lambda s: s.cadence_words),
    ("meeting length", lambda s: f"{s.meeting_minutes} minutes"),
    ("format", lambda s: s.format.value.replace("_", " ")),
    ("duration", lambda s: f"{s.duration_months} months"),
)


def changes_between(before: ProgramSpec, after: ProgramSpec) -> list[tuple[str, str, str]]:
    """(what, from, to) for each way the program runs differently now."""
    found = []
    for what, shown in _WATCHED:
        old, new = shown(before), shown(after)
        if old != new:
            found.append((what, old, new))
    return found
