"""The unit of work: one session, one transaction, every repository."""

from __future__ import annotations

from types import TracebackType
from typing import Self

from sqlalchemy import Engine
from sqlalchemy.exc import DBAPIError, IntegrityError, InterfaceError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from bot.ports import Conflict, Unavailable
from store.addresses import SqlAddresses
from store.checkins import SqlCheckins
from store.console import SqlMailbox
from store.conversations import SqlConversations, SqlInbox
from store.dashboards import SqlDashboards
from store.directory import SqlPeople, SqlPrograms, SqlWorkspaces
from store.enrolment import SqlAnswers, SqlEnrolments
from store.goals import SqlGoals, SqlWrapups
from store.installations import SqlInstallations
from store.matches import SqlMatches, SqlPartnerRequests
from store.outbox import SqlOutbox
from store.polls import SqlPolls
from store.queue import SqlInboundQueue
from store.quiet import SqlQuietPeriods
from store.recognition import SqlProgramChanges, SqlProgramSurveys, SqlRecognitions
from store.reports import SqlReports
from store.rounds import SqlRounds
from store.training import SqlTraining

# PostgreSQL SQLSTATEs that mean "another transaction got in the way; try again".
_RETRYABLE = {"40001", "40P01"}


def _is_unavailable(error: BaseException | None) -> bool:
    """The database is down, unreachable or too busy: not this work's fault."""
    return isinstance(error, OperationalError | InterfaceError | TimeoutError)


def _is_conflict(error: BaseException | None) -> bool:
    if isinstance(error, IntegrityError):
        return True
    if isinstance(error, DBAPIError):
        return getattr(error.orig, "sqlstate", None) in _RETRYABLE
    return False


class SqlUnitOfWork:
    """A :class:`bot.ports.UnitOfWork` over one SQLAlchemy session."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    def __enter__(self) -> Self:
        self.session = self._sessions()
        s = self.session
        self.workspaces = SqlWorkspaces(s)
        self.people = SqlPeople(s)
        self.programs = SqlPrograms(s)
        self.enrolments = SqlEnrolments(s)
        self.answers = SqlAnswers(s)
        self.conversations = SqlConversations(s)
        self.inbox = SqlInbox(s)
        self.outbox = SqlOutbox(s)
        self.rounds = SqlRounds(s)
        self.matches = SqlMatches(s)
        self.requests = SqlPartnerRequests(s)
        self.checkins = SqlCheckins(s)
        self.goals = SqlGoals(s)
        self.wrapups = SqlWrapups(s)
        self.quiet = SqlQuietPeriods(s)
        self.polls = SqlPolls(s)
        self.recognitions = SqlRecognitions(s)
        self.surveys = SqlProgramSurveys(s)
        self.changes = SqlProgramChanges(s)
        self.queue = SqlInboundQueue(s)
        self.installations = SqlInstallations(s)
        self.mailbox = SqlMailbox(s)
        self.addresses = SqlAddresses(s)
        self.reports = SqlReports(s)
        self.dashboards = SqlDashboards(s)
        self.training = SqlTraining(s)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.session.rollback()
        self.session.close()
        if _is_conflict(exc):
            raise Conflict(type(exc).__name__) from exc
        if _is_unavailable(exc):
            raise Unavailable(type(exc).__name__) from exc

    def commit(self) -> None:
        self.session.commit()


def unit_of_work_factory(engine: Engine) -> sessionmaker[Session]:
    return sessionmaker(engine, expire_on_commit=False)
