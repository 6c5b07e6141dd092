"""The outbox's port: messages to deliver exactly once, and what a sender records
of each."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from bot.model import Workspace
from bot.outbound import Message, Outbound


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

    def redact(self, workspace_id: int, user_id: str, traces: Sequence[str]) -> int:
        """Tandem's own copies of messages that name someone erased (their ``user_id``
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
