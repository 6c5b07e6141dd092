"""The engine's one entry point: an inbound event in, an :class:`Outcome` out.

Each event is handled in one unit of work: the event id is recorded (so a retry
is recognised), conversation state and answers change, and every reply is queued
in the outbox under an idempotency key, all in one transaction. If anything fails
the transaction rolls back, the person gets a short apology instead of a
traceback, and a retry of the same event starts from a clean slate.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType

from bot import messages as m
from bot.clock import Clock
from bot.events import Actor, Inbound
from bot.model import Workspace
from bot.ports import Conflict, UnitOfWork, UnitOfWorkFactory
from bot.router import Router
from bot.text import BadText, clean, one_line
from bot.turn import Turn

log = logging.getLogger(__name__)

_ATTEMPTS = 3
_APOLOGY = (
    "Sorry, something went wrong on my side and I couldn't do that. "
    "Nothing you told me before was lost; please try again in a minute."
)


@dataclass(frozen=True)
class Outcome:
    """What an adapter must do after an event.

    ``messages`` are queued in the outbox already; the adapter sends them and
    reports each with :meth:`Engine.delivered`. ``form`` is a form to show in
    response (a modal); ``form_errors`` rejects a submitted form, by field name.
    ``duplicate`` is true when the event id was seen before: nothing changed, and
    ``messages`` holds whatever that first event queued that is still unsent.
    """

    messages: tuple[m.Outbound, ...] = ()
    form: m.Form | None = None
    form_errors: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    duplicate: bool = False


class Engine:
    """Handles inbound events for every adapter (console, Slack, Teams)."""

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock, router: Router) -> None:
        self._uow = uow
        self._clock = clock
        self.router = router

    def handle(self, event: Inbound) -> Outcome:
        """Handle one inbound event; never raises for anything a person did."""
        try:
            return self._handle_with_retries(event)
        except Exception as error:  # noqa: BLE001 - the person gets an apology instead
            self._log_failure(event, error)
            key = f"{event.event_id}#error"
            apology = m.Message((m.para(_APOLOGY),), _APOLOGY, kind="error")
            return Outcome((m.Outbound(key, m.ToPerson(event.actor.user), apology),))

    def _handle_with_retries(self, event: Inbound) -> Outcome:
        # A conflict means a concurrent transaction changed the same rows (on
        # PostgreSQL: two instances, or two events of one person at once). The
        # transaction rolled back whole, so running it again is safe; if the other
        # one was this very event, the retry finds it recorded and replays it.
        for _ in range(_ATTEMPTS - 1):
            try:
                return self._handle(event)
            except Conflict:
                continue
        return self._handle(event)

    def pending(self, actor: Actor) -> list[m.Outbound]:
        """Messages queued for this person and not yet delivered, oldest first."""
        with self._uow() as uow:
            workspace = self._workspace(uow, actor)
            return list(uow.outbox.pending_for(workspace.id, actor.user))

    def delivered(self, actor: Actor, keys: Sequence[str], platform_id: str = "") -> None:
        """Record that the messages with these keys reached the platform."""
        with self._uow() as uow:
            workspace = self._workspace(uow, actor)
            for key in keys:
                uow.outbox.mark_sent(workspace.id, key, self._clock.now(), platform_id)
            uow.commit()

    def _handle(self, event: Inbound) -> Outcome:
        now = self._clock.now()
        with self._uow() as uow:
            workspace = self._workspace(uow, event.actor)
            name = _display_name(event.actor)
            person = uow.people.ensure(workspace.id, event.actor.user, name, now)
            if not uow.inbox.first_time(workspace.id, event.event_id, person.id, now):
                pending = uow.outbox.pending_from(workspace.id, event.event_id)
                return Outcome(tuple(pending), duplicate=True)
            turn = Turn(uow, now, event, workspace, person, self.router)
            self.router.dispatch(turn)
            if turn.persist:
                for outbound in turn.out:
                    uow.outbox.add(workspace.id, outbound, event.event_id, now)
            uow.commit()
        return Outcome(tuple(turn.out), turn.form, MappingProxyType(turn.form_errors))

    def _workspace(self, uow: UnitOfWork, actor: Actor) -> Workspace:
        return uow.workspaces.ensure(actor.platform, actor.workspace, self._clock.now())

    @staticmethod
    def _log_failure(event: Inbound, error: Exception) -> None:
        # The exception's message may quote what the person typed; log only its
        # type and where it happened.
        where = "".join(traceback.format_tb(error.__traceback__))
        log.error(
            "handling %s %s failed with %s\n%s",
            type(event).__name__,
            event.event_id,
            type(error).__name__,
            where,
        )


def _display_name(actor: Actor) -> str:
    try:
        return one_line(clean(actor.name, max_chars=200))[:80] or actor.user
    except BadText:
        return actor.user
