"""The storage port: one :class:`UnitOfWork` over every repository.

One unit of work spans one inbound event (or one scheduler step): the engine
reads and writes through its repositories and commits once, so an event's state
changes and the messages it produces land together or not at all. Each
repository's protocol lives beside the code that uses it (the directory, the
outbox, matching, the cadence...); this module only composes them.
"""

from __future__ import annotations

from collections.abc import Callable
from types import TracebackType
from typing import Protocol, Self

from bot.adjustment import ProgramChanges, ProgramSurveys
from bot.cadence.ports import Checkins, Goals, QuietPeriods, Training, Wrapups
from bot.dashboard_sessions import Dashboards
from bot.directory import Answers, Conversations, Enrolments, People, Programs, Workspaces
from bot.inbound import InboundQueue, Inbox
from bot.matching.ports import Matches, PartnerRequests, Rounds
from bot.outbox import Outbox
from bot.platform import Addresses, Installations, Mailbox
from bot.polls import Polls
from bot.recognition import Recognitions
from bot.report.facts import Reports


class UnitOfWork(Protocol):
    """One transaction over every repository."""

    @property
    def workspaces(self) -> Workspaces: ...

    @property
    def people(self) -> People: ...

    @property
    def programs(self) -> Programs: ...

    @property
    def enrolments(self) -> Enrolments: ...

    @property
    def answers(self) -> Answers: ...

    @property
    def conversations(self) -> Conversations: ...

    @property
    def inbox(self) -> Inbox: ...

    @property
    def outbox(self) -> Outbox: ...

    @property
    def rounds(self) -> Rounds: ...

    @property
    def matches(self) -> Matches: ...

    @property
    def requests(self) -> PartnerRequests: ...

    @property
    def checkins(self) -> Checkins: ...

    @property
    def goals(self) -> Goals: ...

    @property
    def wrapups(self) -> Wrapups: ...

    @property
    def quiet(self) -> QuietPeriods: ...

    @property
    def polls(self) -> Polls: ...

    @property
    def recognitions(self) -> Recognitions: ...

    @property
    def surveys(self) -> ProgramSurveys: ...

    @property
    def changes(self) -> ProgramChanges: ...

    @property
    def queue(self) -> InboundQueue: ...

    @property
    def training(self) -> Training: ...

    @property
    def installations(self) -> Installations: ...

    @property
    def mailbox(self) -> Mailbox: ...

    @property
    def addresses(self) -> Addresses: ...

    @property
    def reports(self) -> Reports: ...

    @property
    def dashboards(self) -> Dashboards: ...

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        """Roll back whatever was not committed."""
        ...

    def commit(self) -> None: ...


class Conflict(Exception):
    """A concurrent transaction got there first (e.g. the same event, twice)."""


class Unavailable(Exception):
    """The store could not be reached, or did not answer in time: nothing changed,
    and the same work can be tried again later."""


UnitOfWorkFactory = Callable[[], UnitOfWork]
