"""The report as a value: numbers, series and verdicts, with privacy applied."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from bot.report.metrics import METRICS, Metric, Unit, formatted


@dataclass(frozen=True)
class Figure:
    """One number. ``base`` is how many it was counted over (people who answered,
    check-ins asked); ``suppressed`` when too few answered to show it."""

    metric: str
    value: float | None
    base: int | None = None
    suppressed: bool = False

    @property
    def about(self) -> Metric:
        return METRICS[self.metric]

    @property
    def shown(self) -> str:
        """The value as people read it, or why it isn't shown."""
        if self.suppressed:
            return "hidden (too few answers)"
        return formatted(self.value, self.about.unit)


@dataclass(frozen=True)
class Point:
    label: str
    value: float | None
    base: int = 0
    suppressed: bool = False


@dataclass(frozen=True)
class Series:
    """A chart's data: named points in order."""

    name: str  # meeting_rate, funnel, ratings, goals
    title: str
    unit: Unit
    points: tuple[Point, ...]
    kind: str = "bars"  # bars or line
    suppressed: bool = False  # the whole series is hidden: too few answered
    note: str = ""
    # Labels of the points where the program changed how it runs (see Report.changes).
    markers: tuple[str, ...] = ()


class Outcome(StrEnum):
    MET = "met"
    NOT_MET = "not met"
    TOO_EARLY = "too early to tell"
    NOT_MEASURED = "not measured"


@dataclass(frozen=True)
class Verdict:
    label: str
    outcome: Outcome
    metric: str | None = None
    threshold: str = ""  # "at least 70%"
    value: str = ""  # "72%"
    why: str = ""  # for too early: what is missing


@dataclass(frozen=True)
class MatchLine:
    """One match, as a coordinator may see it: status only."""

    match_id: int
    names: tuple[str, ...]
    started: date
    status: str  # running, ended, not working, ...
    meetings: int  # cycles in which it met
    met_this_cycle: bool
    stalled: bool
    paused: bool  # a member is paused
    round_id: int | None = None  # the round that made it


@dataclass(frozen=True)
class WaitingLine:
    name: str
    since: date
    why: str


@dataclass(frozen=True)
class PersonLine:
    """One person in the report's scope, as a coordinator may see them: where they
    are in the program and how much they took part, never what they answered."""

    name: str
    status: str  # intake, active, paused, left
    joined: date
    surveyed: date | None  # the day they finished the intake survey
    matches: int  # matches they were in, in the report's scope
    meetings: int  # cycles in which one of their matches met


@dataclass(frozen=True)
class CycleRow:
    """One cadence period of the program, for the per-cycle export."""

    starts_on: date
    asked: int  # matches asked "did you meet?"
    met: int
    feedback_asked: int
    feedback_answered: int
    rating: float | None
    rating_suppressed: bool


@dataclass(frozen=True)
class ChangeMark:
    """A change to how the program runs, on the report's time line."""

    day: date
    description: str  # "cadence: every two weeks → every week"


@dataclass(frozen=True)
class Report:
    program: str  # slug
    name: str
    generated_at: datetime
    first_day: date
    last_day: date
    round_id: int | None
    min_group: int
    figures: tuple[Figure, ...]
    series: tuple[Series, ...]
    verdicts: tuple[Verdict, ...]
    matches: tuple[MatchLine, ...]
    waiting: tuple[WaitingLine, ...]
    cycles: tuple[CycleRow, ...]
    people: tuple[PersonLine, ...]
    comments: tuple[str, ...]  # shared wrap-up comments, only when enough were shared
    comments_shared: int
    changes: tuple[ChangeMark, ...] = ()  # in the window, oldest first
    # Shared program-survey comments, only as a list of at least MIN_COMMENTS.
    survey_comments: tuple[str, ...] = ()
    survey_comments_shared: int = 0

    def figure(self, metric: str) -> Figure:
        return next(f for f in self.figures if f.metric == metric)

    def chart(self, name: str) -> Series:
        return next(s for s in self.series if s.name == name)

    @property
    def scope(self) -> str:
        """What the report covers, in words."""
        span = f"{self.first_day:%-d %b %Y} to {self.last_day:%-d %b %Y}"
        return f"{span}, round {self.round_id}" if self.round_id else span
