"""Sending the outbox: claim what is due, hand it to the platform, record the result.

Claims are leases: a sender that dies after claiming (or after sending but before
recording it) leaves the row to be claimed again when the lease runs out, so no
message is lost. Whether that can double a message depends on the platform: a
sender that can recognise a message it already delivered (by its idempotency key)
makes delivery exactly-once; the console sender can.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import timedelta
from typing import Protocol

from bot.clock import Clock
from bot.messages import Outbound
from bot.model import Workspace
from bot.ports import Claimed, Sent, UnitOfWorkFactory

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
BATCH = 100
GIVE_UP_AFTER = 8  # attempts
RECORD_EVERY = 20  # sends recorded per transaction


class SendError(Exception):
    """The platform did not take the message. ``retry_after`` (seconds) when it
    asked to be tried later; ``permanent`` when trying again cannot help."""

    def __init__(
        self, reason: str, *, retry_after: float | None = None, permanent: bool = False
    ) -> None:
        super().__init__(reason)
        self.retry_after = retry_after
        self.permanent = permanent


class Sender(Protocol):
    """Delivers messages to one platform."""

    def send(self, workspace: Workspace, outbound: Outbound, *, again: bool = False) -> str:
        """Deliver ``outbound``; the platform's id for it. Raises :class:`SendError`.

        ``again``: an earlier attempt may have reached the platform without being
        recorded (a crash between sending and recording). A platform that can tell
        (it keeps the message's key) returns that message's id instead of sending.
        """
        ...


@dataclass
class Dispatcher:
    uow: UnitOfWorkFactory
    clock: Clock
    senders: Mapping[str, Sender]
    worker: str
    lease: timedelta = LEASE
    batch: int = BATCH
    record_every: int = RECORD_EVERY

    def run_once(self) -> int:
        """Send everything due now (one batch); how many were sent."""
        with self.uow() as uow:
            claimed = uow.outbox.claim(self.clock.now(), self.worker, self.lease, self.batch)
            uow.commit()
        deadline = self.clock.now() + self.lease / 2
        total = 0
        # Recorded as sent a few at a time, in one transaction each: a crash before
        # that leaves them to be claimed again when the lease runs out, as a crash
        # after any single send would. A slow platform must not outlast the lease
        # (another instance would claim the rest): what is left then waits for it.
        for first in range(0, len(claimed), self.record_every):
            if self.clock.now() > deadline:
                break
            chunk = claimed[first : first + self.record_every]
            sent = [s for s in map(self._send, chunk) if s is not None]
            with self.uow() as uow:
                uow.outbox.mark_sent(sent, self.clock.now())
                uow.commit()
            total += len(sent)
        return total

    def _send(self, item: Claimed) -> Sent | None:
        sender = self.senders.get(item.workspace.platform)
        if sender is None:
            self._record_failure(
                item, SendError(f"no sender for {item.workspace.platform}", permanent=True)
            )
            return None
        try:
            platform_id = sender.send(item.workspace, item.outbound, again=item.maybe_sent)
        except SendError as error:
            self._record_failure(item, error)
            return None
        return Sent(item.workspace.id, item.outbound.key, platform_id)

    def _record_failure(self, item: Claimed, error: SendError) -> None:
        # The reason is the platform's error code, never the message's text.
        log.warning("sending %s failed (attempt %d): %s", item.outbound.key, item.attempts, error)
        with self.uow() as uow:
            if error.permanent or item.attempts >= GIVE_UP_AFTER:
                uow.outbox.fail(item.workspace.id, item.outbound.key, str(error))
            else:
                wait = error.retry_after or min(3600, 30 * 2**item.attempts)
                at = self.clock.now() + timedelta(seconds=wait)
                uow.outbox.retry(item.workspace.id, item.outbound.key, at, str(error))
            uow.commit()
