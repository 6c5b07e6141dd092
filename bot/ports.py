"""Ports: what the engine needs from storage, as Protocols the store implements.

One :class:`UnitOfWork` spans one inbound event (or one scheduler step): the engine
reads and writes through its repositories and commits once, so an event's state
changes and the messages it produces land together or not at all.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from enum import StrEnum
from types import TracebackType
from typing import Any, Protocol, Self

from bot.adjustment import ProgramChanges, ProgramSurveys
from bot.model import (
    Answer,
    Checkin,
    Conversation,
    ConversationKey,
    Enrolment,
    Feedback,
    Goal,
    GoalStatus,
    LessonProgress,
    Match,
    MatchStatus,
    Person,
    Poll,
    Program,
    QuietPeriod,
    Round,
    RoundStatus,
    Status,
    Waiting,
    Workspace,
    Wrapup,
)
from bot.outbound import Message, Outbound
from bot.program.spec import ProgramSpec
from bot.recognition import Recognitions
from bot.report.facts import Reports
from bot.survey.question import AnswerValue


class Workspaces(Protocol):
    def ensure(self, platform: str, external_id: str, now: datetime) -> Workspace:
        """The workspace with these platform ids, created on first sight."""
        ...

    def get(self, workspace_id: int) -> Workspace: ...


class People(Protocol):
    def ensure(self, workspace_id: int, external_id: str, name: str, now: datetime) -> Person:
        """The person with this platform id, created on first sight; refreshes the name."""
        ...

    def find(self, workspace_id: int, external_id: str) -> Person | None: ...

    def get(self, person_id: int) -> Person: ...

    def erase(self, person_id: int) -> None:
        """Delete the person and every row that is about them."""
        ...


class Programs(Protocol):
    def all(self, workspace_id: int) -> Sequence[Program]: ...

    def get(self, workspace_id: int, slug: str) -> Program | None: ...

    def by_id(self, program_id: int) -> Program: ...

    def put(self, workspace_id: int, spec: ProgramSpec, now: datetime) -> Program:
        """Add the program, or replace the definition of the one with its slug."""
        ...

    def every(self) -> Sequence[Program]:
        """Every program in every workspace (for the scheduler)."""
        ...

    def lock(self, program_id: int) -> None:
        """Hold the program's row until commit: one instance works on it at a time."""
        ...


class Enrolments(Protocol):
    def get(self, program_id: int, person_id: int) -> Enrolment | None: ...

    def of_person(self, person_id: int) -> Sequence[Enrolment]: ...

    def in_program(self, program_id: int, statuses: Sequence[Status] = ()) -> Sequence[Enrolment]:
        """Enrolments of a program, optionally only those with the given statuses."""
        ...

    def add(
        self, workspace_id: int, program_id: int, person_id: int, now: datetime
    ) -> Enrolment: ...

    def save(self, enrolment: Enrolment) -> None: ...


class Answers(Protocol):
    def of(self, enrolment_id: int) -> dict[str, AnswerValue | None]: ...

    def in_program(
        self, program_id: int, keys: Sequence[str]
    ) -> dict[int, dict[str, AnswerValue | None]]:
        """The answers to ``keys`` of every enrolment in a program, by enrolment id
        (one query, for work that walks the whole program)."""
        ...

    def put(self, enrolment: Enrolment, key: str, value: AnswerValue | None, now: datetime) -> None:
        """Store an answer, replacing an earlier answer to the same question."""
        ...


class Conversations(Protocol):
    def load(self, key: ConversationKey) -> Conversation | None:
        """The stored state, locked against concurrent changes until commit."""
        ...

    def save(self, key: ConversationKey, conversation: Conversation, now: datetime) -> None: ...

    def clear(self, key: ConversationKey) -> None: ...


class Inbox(Protocol):
    def first_time(self, workspace_id: int, event_id: str, person_id: int, now: datetime) -> bool:
        """Record an inbound event id; false if it was recorded before."""
        ...


@dataclass(frozen=True)
class Claimed:
    """An outbox message a sender has claimed (holds a lease on), with where it goes."""

    workspace: Workspace
    outbound: Outbound
    conversation: str
    attempts: int = 0  # calls made to the platform before this one
    failures: int = 0  # of those, errors (rate limits are not failures)
    first_failed_at: datetime | None = None
    # An earlier call may have reached the platform unrecorded: the platform is
    # asked to look for it before posting again, where it can.
    uncertain: bool = False


@dataclass(frozen=True)
class Sent:
    """An outbox message the platform took, and the platform's id for it."""

    workspace_id: int
    key: str
    platform_id: str = ""


@dataclass(frozen=True)
class Retry:
    """An outbox message to send again at ``at``.

    ``called``: a call reached the platform (it counts as an attempt); ``failed``:
    that call was an error, not a rate limit (it counts towards giving up);
    ``ambiguous``: the platform may have taken it all the same.
    """

    workspace_id: int
    key: str
    at: datetime
    error: str = ""
    called: bool = True
    failed: bool = True
    ambiguous: bool = False


@dataclass(frozen=True)
class Failure:
    """An outbox message that will not be sent: the platform refused it for good."""

    workspace_id: int
    key: str
    error: str


@dataclass(frozen=True)
class Undelivered:
    """A program's message that failed for good, not yet told to its coordinators."""

    id: int
    kind: str
    person_id: int | None
    recipient: tuple[str, ...]  # the platform ids of the people it was for
    error: str


class Outbox(Protocol):
    """Messages to deliver exactly once: queued with the state change that caused
    them, claimed by one sender at a time (a lease), and recorded as sent, to be
    retried, or failed."""

    def add(
        self,
        workspace_id: int,
        outbound: Outbound,
        source: str | None,
        now: datetime,
        not_before: datetime | None = None,
        person_id: int | None = None,
        *,
        program_id: int | None = None,
        keep: bool = True,
    ) -> bool:
        """Queue a message (not to be sent before ``not_before``); false, and nothing
        changed, if a message with its key is already queued. ``person_id`` is the
        direct recipient's, when the caller knows it (it saves a lookup); a message
        not to ``keep`` is deleted once sent."""
        ...

    def status(self, workspace_id: int, key: str) -> str | None:
        """The status of the message with this key (``pending``, ``sent``,
        ``failed``), or None if none was queued (or it was taken back)."""
        ...

    def claim(
        self,
        now: datetime,
        worker: str,
        lease: timedelta,
        limit: int,
        platforms: Sequence[str],
        held: Sequence[int] = (),
    ) -> Sequence[Claimed]:
        """Due messages for these platforms, now held by ``worker`` for ``lease``.

        Oldest first; never a message of a workspace in ``held`` (waiting out a
        rate limit), nor one whose conversation has a message held by a sender
        (a conversation's messages go out in order, one sender at a time). A
        message whose earlier lease ran out comes back ``uncertain``."""
        ...

    def sent(self, sent: Sequence[Sent], now: datetime, worker: str | None = None) -> None:
        """Record that these messages reached their platform. With ``worker``, only
        messages that worker holds (a sender whose lease ran out records nothing);
        without, only messages nobody holds (a reply its adapter delivered)."""
        ...

    def retry(self, retries: Sequence[Retry], now: datetime, worker: str | None = None) -> None:
        """Give these messages back to the queue, due again at their ``at`` (held by
        ``worker``, as for :meth:`sent`)."""
        ...

    def fail(self, failures: Sequence[Failure], now: datetime, worker: str | None = None) -> None:
        """The platform refused these for good (held by ``worker``, as for :meth:`sent`)."""
        ...

    def count_for(
        self, person_id: int, kinds: Sequence[str], start: datetime, end: datetime
    ) -> int:
        """Scheduled (not reply) direct messages of these kinds to this person,
        planned for start..end."""
        ...

    def next_due(self, platforms: Sequence[str]) -> datetime | None:
        """When the earliest unsent message for these platforms is due, if any."""
        ...

    def withdraw_match(self, match_id: int, kinds: Sequence[str]) -> Sequence[str]:
        """Take back the match's messages of these kinds that have not been sent
        (as :meth:`withdraw`); their keys."""
        ...

    def redact(self, workspace_id: int, handle: str, traces: Sequence[str]) -> int:
        """Tandem's own copies of messages that name someone erased (their ``handle``
        or any of the ``traces``: their name, what they wrote): one not sent yet is
        dropped, since what it says is moot; a sent one keeps only that it was sent.
        Nobody's recipients name them any more. How many copies changed."""
        ...

    def withdraw(self, workspace_id: int, keys: Sequence[str]) -> int:
        """Take back messages that have not been sent, because what they ask is
        settled; how many were taken back. A message a sender holds, or one that
        may have reached its platform already, stays."""
        ...

    def by_platform_id(self, workspace_id: int, platform_id: str) -> Message | None:
        """A message sent, found by the platform's id for it (a button was pressed on
        it, and the platform says only which message)."""
        ...

    def undelivered(self, program_id: int) -> Sequence[Undelivered]:
        """The program's messages that failed for good and were not reported yet."""
        ...

    def reported(self, ids: Sequence[int], now: datetime) -> None:
        """Their failures were told to the coordinators."""
        ...


# --- the inbound queue ------------------------------------------------------------


@dataclass(frozen=True)
class Queued:
    """An inbound event taken in before its acknowledgement, as stored."""

    id: int
    workspace: Workspace
    user: str
    payload: Mapping[str, Any]
    received_at: datetime
    attempts: int = 0


@dataclass(frozen=True)
class NewEvent:
    """An inbound event to queue: whose, and what (the payload is plain JSON data)."""

    workspace_id: int
    event_id: str
    user: str
    payload: Mapping[str, Any]


class InboundQueue(Protocol):
    """Events acknowledged to their platform and waiting for the engine."""

    def add(self, events: Sequence[NewEvent], now: datetime) -> list[bool]:
        """Queue events, in one statement; for each, false (and nothing changed) if
        its id is queued already."""
        ...

    def claim(self, now: datetime, worker: str, lease: timedelta, limit: int) -> Sequence[Queued]:
        """The oldest waiting events, held by ``worker`` for ``lease``; never an event
        of a person whose earlier event another worker is handling."""
        ...

    def done(self, ids: Sequence[int]) -> None:
        """The engine has these events (their effects are committed): forget them."""
        ...


# --- what platforms keep with us ---------------------------------------------------


@dataclass(frozen=True)
class Installation:
    """Tandem installed in one workspace of a platform, and what lets it act there."""

    platform: str
    workspace: str  # the platform's id of the workspace (a Slack team id)
    token: str
    bot_user_id: str
    installer: str
    installed_at: datetime
    details: Mapping[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:  # the token never reaches a log
        return f"Installation(platform={self.platform!r}, workspace={self.workspace!r})"


class Installations(Protocol):
    def save(self, installation: Installation) -> None:
        """Store an install; a second install of the same workspace replaces it."""
        ...

    def find(self, platform: str, workspace: str) -> Installation | None: ...

    def remove(self, platform: str, workspace: str) -> bool:
        """Forget the workspace's install (its token); whether there was one."""
        ...


class Addresses(Protocol):
    """Where a platform reaches a person or a channel (a Teams conversation reference:
    its service URL, conversation id, the person's ids there). Refreshed on every
    request from them; erased with the person."""

    def put(self, workspace_id: int, key: str, data: Mapping[str, str], now: datetime) -> None:
        """Store (or refresh, merging the given fields) the address of ``key`` (a
        person's platform id, or a channel's)."""
        ...

    def get(self, workspace_id: int, key: str) -> Mapping[str, str] | None: ...

    def find(self, workspace_id: int, field: str, value: str) -> str | None:
        """The key whose address has ``field`` equal to ``value`` (case-insensitive),
        e.g. the person with this email address."""
        ...

    def forget(self, workspace_id: int, key: str) -> None: ...


class Mailbox(Protocol):
    """The console platform's inboxes: what each person's terminal has still to show."""

    def deliver(self, workspace_id: int, outbound: Outbound, now: datetime) -> int:
        """Put the message in the inbox of everyone it is for (once per key); how
        many inboxes have it (a person erased has none)."""
        ...

    def last_shown(self, workspace_id: int, user: str) -> Message | None:
        """The most recent message this person has seen (what is on their screen)."""
        ...

    def take_unread(
        self, workspace_id: int, user: str, now: datetime
    ) -> Sequence[tuple[str, Message]]:
        """This person's messages not shown yet (key, message), oldest first; they
        count as shown from now on."""
        ...

    def redact(self, workspace_id: int, traces: Sequence[str]) -> int:
        """Other people's inbox copies that name someone erased (any of ``traces``)
        keep only that a message was there; how many changed."""
        ...


class Rounds(Protocol):
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


class Checkins(Protocol):
    """ "Did you meet?" per member per cycle, and the private feedback that follows."""

    def add(
        self, match: Match, person_id: int, cycle: int, due_on: date, now: datetime
    ) -> Checkin | None:
        """A new check-in; ``None`` if this member already has one for the cycle."""
        ...

    def get(self, checkin_id: int) -> Checkin | None: ...

    def of_match(self, match_id: int) -> Sequence[Checkin]: ...

    def of_program(self, program_id: int, since: date) -> Sequence[Checkin]:
        """A program's check-ins due on or after ``since``, oldest first (one query)."""
        ...

    def answer(self, checkin_id: int, answer: Answer, now: datetime) -> None: ...

    def reminded(self, checkin_id: int, now: datetime) -> None: ...

    def feedback(self, match: Match, person_id: int, cycle: int, now: datetime) -> Feedback:
        """This member's feedback for the cycle, started if it wasn't."""
        ...

    def feedback_by_id(self, feedback_id: int) -> Feedback | None: ...

    def save_feedback(self, feedback: Feedback) -> None: ...

    def feedback_of(self, program_id: int) -> Sequence[Feedback]: ...


class Goals(Protocol):
    def of(self, match_id: int, person_id: int) -> Sequence[Goal]: ...

    def add(self, match: Match, person_id: int, text: str, now: datetime) -> Goal: ...

    def set_status(self, goal_id: int, status: GoalStatus, now: datetime) -> None: ...

    def of_program(self, program_id: int) -> Sequence[Goal]: ...

    def milestone(self, match: Match, person_id: int, day: int, now: datetime) -> bool:
        """Record that the day-N milestone was asked; false if it was already."""
        ...

    def milestones_asked(self, match_id: int) -> Sequence[tuple[int, int]]:
        """(person id, day) of every milestone asked in a match."""
        ...

    def milestones_of_program(self, program_id: int) -> Sequence[tuple[int, int, int]]:
        """(match id, person id, day) of every milestone asked in a program."""
        ...


class Wrapups(Protocol):
    def start(self, match: Match, person_id: int, now: datetime) -> bool:
        """Record that the wrap-up was sent; false if it was already."""
        ...

    def get(self, match_id: int, person_id: int) -> Wrapup | None: ...

    def save(self, wrapup: Wrapup) -> None: ...

    def of_program(self, program_id: int) -> Sequence[Wrapup]: ...


class QuietPeriods(Protocol):
    def of_program(self, program_id: int) -> Sequence[QuietPeriod]: ...

    def add(
        self,
        workspace_id: int,
        program_id: int,
        starts_on: date,
        ends_on: date,
        note: str,
        now: datetime,
    ) -> QuietPeriod: ...

    def remove(self, period_id: int) -> None: ...


class PartnerRequests(Protocol):
    def put(
        self, workspace_id: int, program_id: int, person_id: int, handle: str, now: datetime
    ) -> None: ...

    def clear(self, program_id: int, person_id: int) -> None: ...

    def of_program(self, program_id: int) -> Mapping[int, str]:
        """Requested handle by requesting person id."""
        ...


class Polls(Protocol):
    def add(
        self,
        workspace_id: int,
        program_id: int,
        question: str,
        options: Sequence[str],
        now: datetime,
    ) -> Poll: ...

    def get(self, poll_id: int) -> Poll | None: ...

    def answer(self, poll: Poll, person_id: int, option: int, now: datetime) -> int:
        """Record (or change) this person's answer: one per person. The poll's new
        version (it goes up with every answer)."""
        ...

    def counts(self, poll_id: int) -> list[int]:
        """Answers per option, in the poll's option order."""
        ...


# --- the coordinators' dashboard -----------------------------------------------------


@dataclass(frozen=True)
class Holder:
    """Whose a sign-in link or a browser session is."""

    workspace_id: int
    person_id: int


class Dashboards(Protocol):
    """Sign-in links and browser sessions of the web dashboard, kept as hashes only
    (a copy of the database gives nobody a way in)."""

    def add_link(
        self, holder: Holder, token_hash: str, now: datetime, expires_at: datetime
    ) -> None: ...

    def spend_link(self, token_hash: str, now: datetime) -> Holder | None:
        """Use up the link, atomically: whose it was, or None when it is unknown,
        expired or used already (of two opening it at once, one gets it)."""
        ...

    def add_session(
        self, holder: Holder, session_hash: str, now: datetime, expires_at: datetime
    ) -> None: ...

    def session(self, session_hash: str, now: datetime) -> Holder | None:
        """Whose the session is, while it has not expired nor been ended."""
        ...

    def end_session(self, session_hash: str, now: datetime) -> None: ...


class Training(Protocol):
    """The mentor training's progress, per person and lesson."""

    def of(self, person_id: int) -> Sequence[LessonProgress]: ...

    def of_people(self, person_ids: Sequence[int]) -> Mapping[int, Sequence[LessonProgress]]:
        """Progress by person id (people with none are left out)."""
        ...

    def sent(self, workspace_id: int, person_id: int, lesson: str, now: datetime) -> None:
        """Tandem sent this lesson (a second time changes nothing)."""
        ...

    def done(self, workspace_id: int, person_id: int, lesson: str, now: datetime) -> bool:
        """The person marked the lesson done; false if they had already."""
        ...


# --- a chat platform -------------------------------------------------------------


@dataclass(frozen=True)
class Capabilities:
    """What a platform can do, for the engine and the outbox to adapt to."""

    group_conversations: bool  # can open one conversation of several people (Slack: a group DM)
    forms: bool  # can show a whole form at once (a Slack modal, a Teams dialog)
    update_in_place: bool  # a sent message can be replaced (buttons give way to the answer)
    finds_sent: bool  # can find a message it may have sent before a crash, by its key
    max_text: int  # characters in one text element
    max_options: int  # options in one select
    burst: int = 3  # messages one conversation takes at once,
    per_second: float = 1.0  # then this many a second
    workspace_per_second: float | None = None  # for a whole workspace, where the platform says


# What the engine assumes of a platform it was told nothing about.
DEFAULT_CAPABILITIES = Capabilities(
    group_conversations=True,
    forms=False,
    update_in_place=False,
    finds_sent=False,
    max_text=3000,
    max_options=100,
)


@dataclass(frozen=True)
class Delivered:
    """The platform took the message; its id for it (kept, to update it in place)."""

    platform_id: str = ""


class Scope(StrEnum):
    """What must wait after a refusal: the message, its conversation, or the workspace."""

    MESSAGE = "message"
    CONVERSATION = "conversation"
    WORKSPACE = "workspace"


@dataclass(frozen=True)
class RetryLater:
    """Not now. ``seconds`` is the platform's Retry-After (None: back off);
    ``failure`` is false for a rate limit (waiting is all it takes) and true for an
    error; ``ambiguous`` when the platform may have taken the message all the same
    (a timeout, an error after posting)."""

    reason: str
    seconds: float | None = None
    scope: Scope = Scope.MESSAGE
    failure: bool = True
    ambiguous: bool = False


@dataclass(frozen=True)
class Rejected:
    """The platform refused the message for good (a channel gone, a user deactivated,
    Tandem uninstalled); ``reason`` says so in a few plain words."""

    reason: str


SendResult = Delivered | RetryLater | Rejected


class Platform(Protocol):
    """A chat platform Tandem delivers to: what each adapter implements for the outbox.

    Calls block (the outbox runs them on its own threads) and never raise for
    anything the platform answers: every outcome is a :data:`SendResult`.
    """

    @property
    def name(self) -> str:
        """The platform's name, as workspaces are stored (``slack``, ``console``)."""
        ...

    @property
    def capabilities(self) -> Capabilities: ...

    def send(self, workspace: Workspace, outbound: Outbound, *, again: bool = False) -> SendResult:
        """Deliver ``outbound`` to the person, group or channel it is addressed to.

        ``again``: an earlier call may have reached the platform unrecorded. A
        platform that ``finds_sent`` looks for the message by its key first and
        answers with that message's id instead of posting it twice.
        """
        ...

    def update(self, workspace: Workspace, platform_id: str, message: Message) -> SendResult:
        """Replace a message sent earlier (``platform_id`` from its :class:`Delivered`)."""
        ...


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
