"""Taking events in before the acknowledgement, handing them to the engine after it.

A platform wants its requests acknowledged at once (Slack: within 3 s). An
adapter's request path therefore only stores the event (:meth:`Handoff.accept`,
many requests per transaction under load) and acknowledges; a worker then hands
each stored event to the engine (:meth:`Handoff.run_once`), each person's events
in the order they came, and lets the adapter finish what only it can do: open a
form with the platform's short-lived trigger, update the message whose button
was pressed. A crash after the acknowledgement loses nothing: the event waits
in the queue and is handled once (the engine knows its id).
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any, Protocol

from bot.clock import Clock
from bot.codec import event_from_data, event_to_data
from bot.delivery import FanOut, one_by_one
from bot.engine import Engine, Outcome
from bot.events import CHAT, Inbound
from bot.inbound import NewEvent, Queued
from bot.logs import log_failure
from bot.model import Workspace
from bot.ports import Unavailable, UnitOfWork, UnitOfWorkFactory

log = logging.getLogger(__name__)
LEASE = timedelta(minutes=2)
BATCH = 50
GIVE_UP_AFTER = 10  # tries of an event while the store is away (each after a lease)


@dataclass(frozen=True)
class Received:
    """An event as its adapter took it in, with what the adapter needs to finish it
    (``context``: a trigger id, the message whose button was pressed...)."""

    event: Inbound
    context: Mapping[str, Any] = field(default_factory=dict)
    received_at: datetime | None = None


class Receiver(Protocol):
    """An adapter's part in handling an event that waited in the queue."""

    def prepare(self, received: Received, now: datetime) -> Inbound:
        """The event as the engine should see it now (for example, whether a form
        can still be opened, now that some time has passed)."""
        ...

    def finish(self, received: Received, event: Inbound, outcome: Outcome) -> None:
        """What only the adapter can do once the engine has answered (open the form,
        update the pressed message). Replies are the outbox's to send."""
        ...


class Handoff:
    """The queue between the platforms' acknowledgements and the engine."""

    def __init__(
        self,
        uow: UnitOfWorkFactory,
        engine: Engine,
        clock: Clock,
        worker: str,
        receivers: Mapping[str, Receiver],
        *,
        handled: Callable[[], None] = lambda: None,
        fan_out: FanOut = one_by_one,
        batch: int = BATCH,
    ) -> None:
        self._uow = uow
        self._engine = engine
        self._clock = clock
        self._worker = worker
        self._receivers = dict(receivers)
        self._handled = handled  # wakes the outbox: the replies are queued
        self._fan_out = fan_out
        self._batch = batch
        self._workspaces: dict[tuple[str, str], Workspace] = {}

    def accept(self, batch: Sequence[Received]) -> list[bool]:
        """Store events in one transaction; false for an event queued already (a
        platform's retry). Once this returns, the events are safe to acknowledge."""
        now = self._clock.now()
        fresh: dict[tuple[str, str], Workspace] = {}
        with self._uow() as uow:
            events = [self._new(uow, received, now, fresh) for received in batch]
            added = uow.queue.add(events, now)
            uow.commit()
        # Only after the commit: a workspace made by a transaction that rolled back
        # does not exist.
        self._workspaces.update(fresh)
        return added

    def _new(
        self,
        uow: UnitOfWork,
        received: Received,
        now: datetime,
        fresh: dict[tuple[str, str], Workspace],
    ) -> NewEvent:
        actor = received.event.actor
        key = (actor.platform, actor.workspace)
        workspace = self._workspaces.get(key) or fresh.get(key)
        if workspace is None:
            workspace = fresh[key] = uow.workspaces.ensure(actor.platform, actor.workspace, now)
        payload = {"event": event_to_data(received.event), "context": dict(received.context)}
        return NewEvent(workspace.id, received.event.event_id, actor.user_id, payload)

    def run_once(self) -> int:
        """Hand one batch of waiting events to the engine; how many were handled."""
        now = self._clock.now()
        with self._uow() as uow:
            claimed = uow.queue.claim(now, self._worker, LEASE, self._batch)
            uow.commit()
        if not claimed:
            return 0
        people: dict[tuple[int, str], list[Queued]] = {}
        for item in claimed:
            people.setdefault((item.workspace.id, item.user_id), []).append(item)
        finished: list[int] = []
        try:
            self._fan_out([partial(self._person, items, finished) for items in people.values()])
        finally:
            # The rest stays claimed: it is taken again when its lease runs out.
            with self._uow() as uow:
                uow.queue.done(finished)
                uow.commit()
        return len(finished)

    def drain(self, rounds: int = 20) -> int:
        total = 0
        for _ in range(rounds):
            handled = self.run_once()
            total += handled
            if handled == 0:
                break
        return total

    def _person(self, items: Sequence[Queued], finished: list[int]) -> None:
        for item in items:
            if not self._one(item):
                return  # the store is away: this person's later events wait too
            finished.append(item.id)

    def _one(self, item: Queued) -> bool:
        """Handle one queued event; false when it must be tried again later."""
        try:
            received = Received(
                event_from_data(item.payload.get("event") or {}),
                dict(item.payload.get("context") or {}),
                item.received_at,
            )
        except ValueError:
            log.error("queued event %d could not be read; dropped", item.id)
            return True
        receiver = self._receivers.get(item.workspace.platform)
        event = self._prepared(receiver, received)
        try:
            outcome = self._engine.handle(event)
        except Unavailable:
            if item.attempts < GIVE_UP_AFTER:
                return False
            log.error("event %s given up after %d tries", event.event_id, item.attempts)
            return True
        self._handled()
        if receiver is not None:
            try:
                receiver.finish(received, event, outcome)
            except Exception as error:  # noqa: BLE001 - the engine has it; the rest is a nicety
                log_failure(log, f"finishing {event.event_id}", error)
        return True

    def _prepared(self, receiver: Receiver | None, received: Received) -> Inbound:
        if receiver is None:
            return received.event
        try:
            return receiver.prepare(received, self._clock.now())
        except Exception as error:  # noqa: BLE001 - the event goes on, in plain chat
            log_failure(log, f"preparing {received.event.event_id}", error)
            return dataclasses.replace(received.event, surface=CHAT)
