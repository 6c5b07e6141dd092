"""The in-memory unit of work: every repository of :class:`bot.ports.UnitOfWork` over
one :class:`fakes.memory.tables.Transaction`."""

from __future__ import annotations

from types import TracebackType
from typing import TYPE_CHECKING, Self

from bot.ports import UnitOfWorkFactory
from fakes.memory.cadence import (
    MemoryCheckins,
    MemoryGoals,
    MemoryQuietPeriods,
    MemoryWrapups,
)
from fakes.memory.community import (
    MemoryDashboards,
    MemoryPolls,
    MemoryProgramChanges,
    MemoryProgramSurveys,
    MemoryRecognitions,
)
from fakes.memory.directory import (
    MemoryAnswers,
    MemoryConversations,
    MemoryEnrolments,
    MemoryPeople,
    MemoryPrograms,
    MemoryWorkspaces,
)
from fakes.memory.inbound import MemoryInboundQueue, MemoryInbox
from fakes.memory.matching import MemoryMatches, MemoryPartnerRequests, MemoryRounds
from fakes.memory.outbox import MemoryOutbox
from fakes.memory.platform import MemoryAddresses, MemoryInstallations, MemoryMailbox
from fakes.memory.reports import MemoryReports
from fakes.memory.tables import Database, Transaction
from fakes.memory.training import MemoryTraining


class MemoryUnitOfWork:
    """A :class:`bot.ports.UnitOfWork` over a :class:`Database` held in memory.

    As the SQL one: what is committed is seen by the next unit of work, and
    leaving the ``with`` block rolls back whatever was not.
    """

    def __init__(self, database: Database) -> None:
        self._database = database

    def __enter__(self) -> Self:
        self._tx = tx = Transaction(self._database)
        self.workspaces = MemoryWorkspaces(tx)
        self.people = MemoryPeople(tx)
        self.programs = MemoryPrograms(tx)
        self.enrolments = MemoryEnrolments(tx)
        self.answers = MemoryAnswers(tx)
        self.conversations = MemoryConversations(tx)
        self.inbox = MemoryInbox(tx)
        self.outbox = MemoryOutbox(tx)
        self.rounds = MemoryRounds(tx)
        self.matches = MemoryMatches(tx)
        self.requests = MemoryPartnerRequests(tx)
        self.checkins = MemoryCheckins(tx)
        self.goals = MemoryGoals(tx)
        self.wrapups = MemoryWrapups(tx)
        self.quiet = MemoryQuietPeriods(tx)
        self.polls = MemoryPolls(tx)
        self.recognitions = MemoryRecognitions(tx)
        self.surveys = MemoryProgramSurveys(tx)
        self.changes = MemoryProgramChanges(tx)
        self.queue = MemoryInboundQueue(tx)
        self.installations = MemoryInstallations(tx)
        self.mailbox = MemoryMailbox(tx)
        self.addresses = MemoryAddresses(tx)
        self.reports = MemoryReports(tx)
        self.dashboards = MemoryDashboards(tx)
        self.training = MemoryTraining(tx)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._tx.rollback()

    def commit(self) -> None:
        self._tx.commit()


class MemoryStore:
    """One in-memory database, and units of work over it: call it for a new one
    (it is a :data:`bot.ports.UnitOfWorkFactory`)."""

    def __init__(self) -> None:
        self.database = Database()

    def __call__(self) -> MemoryUnitOfWork:
        return MemoryUnitOfWork(self.database)


if TYPE_CHECKING:  # mypy proves the fake implements every port
    _conforms: UnitOfWorkFactory = MemoryStore()
