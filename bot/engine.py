"""The engine's one entry point: an inbound event in, an :class:`Outcome` out.

Each event is handled in one unit of work: the event id is recorded (so a retry
is recognised), conversation state and answers change, and every reply is queued
in the outbox under an idempotency key, all in one transaction. If anything fails
the transaction rolls back, the person gets a short apology instead of a
traceback, and a retry of the same event starts from a clean slate.

Replies are sent by :class:`bot.delivery.Courier`, like every other message: the
adapter wakes it once the engine has answered.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from bot import forms
from bot import outbound as m
from bot.clock import Clock
from bot.events import Actor, Inbound
from bot.flows.home import home_view
from bot.logs import log_failure
from bot.model import Person, Workspace
from bot.platform import DEFAULT_CAPABILITIES, Capabilities
from bot.ports import Conflict, Unavailable, UnitOfWork, UnitOfWorkFactory
from bot.program.spec import folded_user_id
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

    ``messages`` are queued in the outbox already, due at once: the outbox sends
    them. ``form`` is a form to show in response (a modal, a dialog);
    ``form_errors`` rejects a submitted form, by field name. ``duplicate`` is
    true when the event id was seen before: nothing changed (whatever that
    first event queued is in the outbox still).
    """

    messages: tuple[m.Outbound, ...] = ()
    form: forms.Form | None = None
    form_errors: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    duplicate: bool = False
    # How the message whose button was pressed should look now (e.g. a poll's
    # tally), for platforms that update messages in place.
    replace: m.Message | None = None
    replace_version: int = 0  # newer versions win when presses finish out of order


class Engine:
    """Handles inbound events for every adapter (console, Slack, Teams)."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        clock: Clock,
        router: Router,
        capabilities: Mapping[str, Capabilities] | None = None,
        admins: Iterable[str] = (),
        public_url: str | None = None,
    ) -> None:
        self._uow = uow
        # Tandem's admins (platform user ids): they may add programs in chat.
        self.admins = frozenset(folded_user_id(a) for a in admins)
        self.public_url = public_url  # the web dashboard's base, when it is served
        self._clock = clock
        self.router = router
        self.capabilities = dict(capabilities or {})  # by platform name
        self._workspaces: dict[tuple[str, str], Workspace] = {}

    def handle(self, event: Inbound) -> Outcome:
        """Handle one inbound event; never raises for anything a person did.

        Raises :class:`bot.ports.Unavailable` when the store cannot be reached:
        nothing changed, and the caller may try the same event again later.
        """
        try:
            return self._handle_with_retries(event)
        except Unavailable:
            raise
        except Exception as error:  # noqa: BLE001 - the person gets an apology instead
            self._log_failure(event, error)
            key = f"{event.event_id}#error"
            apology = m.Message((m.para(_APOLOGY),), _APOLOGY, kind="error")
            outbound = m.Outbound(key, m.ToPerson(event.actor.user_id), apology)
            self._queue_apology(event, outbound)
            return Outcome((outbound,))

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

    def home(self, actor: Actor) -> m.Message:
        """The person's home (programs, match, next check-in, goals): a read, no event."""
        with self._uow() as uow:
            workspace = self._workspace(uow, actor)
            person = uow.people.find(workspace.id, actor.user_id)
            view = home_view(uow, workspace, person, self._clock.now())
            uow.commit()
            self._remember(workspace)
        return view

    def _handle(self, event: Inbound) -> Outcome:
        now = self._clock.now()
        with self._uow() as uow:
            workspace = self._workspace(uow, event.actor)
            name = _display_name(event.actor)
            person = uow.people.ensure(workspace.id, event.actor.user_id, name, now)
            if not uow.inbox.first_time(workspace.id, event.event_id, person.id, now):
                return Outcome(duplicate=True)
            turn = Turn(uow, now, event, workspace, person, self.router)
            turn.capabilities = self.capabilities.get(workspace.platform, DEFAULT_CAPABILITIES)
            turn.admins = self.admins
            turn.public_url = self.public_url
            self.router.dispatch(turn)
            if turn.form_errors:
                # A rejected form changes nothing, and its event id is not kept:
                # the same form sent again must be checked again, not taken as a
                # retry of one that was answered.
                return Outcome(form=turn.form, form_errors=MappingProxyType(dict(turn.form_errors)))
            # A reply whose key is queued already (the same prompt reached this person
            # another way) is not sent again.
            sent = [
                o
                for o in turn.out
                if uow.outbox.add(
                    workspace.id,
                    o,
                    event.event_id,
                    now,
                    now,
                    _mine(o, person),
                    keep=turn.persist and o.key not in turn.secret,
                )
            ]
            uow.commit()
            self._remember(workspace)
        return Outcome(
            tuple(sent),
            turn.form,
            MappingProxyType(turn.form_errors),
            replace=turn.replace,
            replace_version=turn.replace_version,
        )

    def _queue_apology(self, event: Inbound, outbound: m.Outbound) -> None:
        """The apology goes out like any reply; if even that cannot be stored, the
        adapter still has it in the outcome."""
        try:
            with self._uow() as uow:
                workspace = self._workspace(uow, event.actor)
                now = self._clock.now()
                uow.outbox.add(workspace.id, outbound, event.event_id, now, now)
                uow.commit()
        except Exception as error:  # noqa: BLE001 - the database itself may be the trouble
            log_failure(log, "queueing an apology", error)

    def _workspace(self, uow: UnitOfWork, actor: Actor) -> Workspace:
        known = self._workspaces.get((actor.platform, actor.workspace))
        return known or uow.workspaces.ensure(actor.platform, actor.workspace, self._clock.now())

    def _remember(self, workspace: Workspace) -> None:
        # Only after a commit: a workspace created by a transaction that rolled back
        # does not exist. Workspaces are never deleted while the engine runs.
        self._workspaces[(workspace.platform, workspace.external_id)] = workspace

    @staticmethod
    def _log_failure(event: Inbound, error: Exception) -> None:
        log_failure(log, f"handling {type(event).__name__} {event.event_id}", error)


def _mine(outbound: m.Outbound, person: Person) -> int | None:
    """The actor's person id, when a reply is for them (saves looking it up)."""
    return person.id if outbound.to == m.ToPerson(person.user_id) else None


def _display_name(actor: Actor) -> str:
    try:
        return one_line(clean(actor.name, max_chars=200))[:80] or actor.user_id
    except BadText:
        return actor.user_id
