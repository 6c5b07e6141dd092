"""Sending the outbox: claim what is due, hand it to its platform, record what happened.

Every message goes out through :class:`Courier`: scheduled ones when they fall
due, and replies as soon as the request path has queued them (it wakes the
courier). One sender per message, always: a claim is a lease, and a message is
only sent by the sender holding it.

- **Order and pace.** A conversation's messages go out oldest first, one sender
  at a time, at the pace its platform allows (a burst, then so many a second).
  A message waiting to be tried again after an error does not hold back the
  ones after it: one message the platform keeps refusing must not silence a
  person for a day.
- **Rate limits are not failures.** A message refused because its workspace is
  waiting out a Retry-After is not claimed at all; one the platform answers
  with 429 waits exactly as long as the platform says, and counts as a call,
  never as a failure.
- **Failures back off**, with jitter, up to minutes, never hours; a message is
  given up only after repeated failures over at least a day, or when the
  platform refuses it for good. The program's coordinators then hear of it.
- **Ambiguous answers** (a timeout, an error after the platform took the
  message) mark the message uncertain: before it is sent again, a platform that
  can look for it by its key does, so it is recorded rather than doubled.
"""

from __future__ import annotations

import logging
import random
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from bot.clock import Clock
from bot.outbox import Claimed, Failure, Retry, Sent
from bot.pacing import Pacing
from bot.platform import Delivered, Platform, Rejected, RetryLater, Scope, SendResult
from bot.ports import UnitOfWorkFactory

log = logging.getLogger(__name__)

LEASE = timedelta(minutes=5)
BATCH = 100
RECORD_EVERY = 20  # results written per transaction
MAX_PAUSE = 0.5  # seconds of pacing waited out in place; a longer wait gives the message back
BACKOFF_FIRST = timedelta(seconds=15)
BACKOFF_CAP = timedelta(minutes=15)
GIVE_UP_FAILURES = 5
GIVE_UP_AFTER = timedelta(days=1)

Job = Callable[[], None]
FanOut = Callable[[Sequence[Job]], None]


def one_by_one(jobs: Sequence[Job]) -> None:
    """Run the jobs in order (the default; a server runs them on a few threads).
    Every job runs, whatever the others do; then the first error is raised."""
    failure: Exception | None = None
    for job in jobs:
        try:
            job()
        except Exception as error:  # noqa: BLE001 - raised below, after the rest ran
            failure = failure or error
    if failure is not None:
        raise failure


def backoff(
    failures: int,
    jitter: float,
    first: timedelta = BACKOFF_FIRST,
    cap: timedelta = BACKOFF_CAP,
) -> timedelta:
    """How long to wait after the ``failures``-th failure: doubling from 15 s up to
    15 minutes, scattered over the upper half (``jitter`` in 0..1) so that
    messages that failed together do not all come back together."""
    doublings = min(max(failures - 1, 0), 20)  # the cap is reached long before
    delay: timedelta = min(cap, first * 2**doublings)
    return delay * (0.5 + 0.5 * jitter)


@dataclass
class _Ledger:
    """What happened to a batch, written a few results per transaction."""

    courier: Courier
    sent: list[Sent] = field(default_factory=list)
    retries: list[Retry] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    delivered: int = 0
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, entry: Sent | Retry | Failure) -> None:
        with self._lock:
            if isinstance(entry, Sent):
                self.sent.append(entry)
                self.delivered += 1
            elif isinstance(entry, Retry):
                self.retries.append(entry)
            else:
                self.failures.append(entry)
            full = len(self.sent) + len(self.retries) + len(self.failures) >= (
                self.courier.record_every
            )
        if full:
            self.flush()

    def flush(self) -> None:
        """Write what was recorded. If the write fails, the results are kept for the
        next flush: a message sent must not be forgotten (it would go out again)."""
        with self._lock:
            sent, retries, failures = self.sent, self.retries, self.failures
            if not (sent or retries or failures):
                return
            now, worker = self.courier.clock.now(), self.courier.worker
            try:
                with self.courier.uow() as uow:
                    uow.outbox.sent(sent, now, worker)
                    uow.outbox.retry(retries, now, worker)
                    uow.outbox.fail(failures, now, worker)
                    uow.commit()
            except Exception:
                log.error("recording %d results failed; kept for the next try", len(sent))
                raise
            self.sent, self.retries, self.failures = [], [], []


@dataclass
class Courier:
    """Sends what is due in the outbox, to every platform this process serves."""

    uow: UnitOfWorkFactory
    clock: Clock
    platforms: dict[str, Platform]
    worker: str
    lease: timedelta = LEASE
    batch: int = BATCH
    record_every: int = RECORD_EVERY
    sleep: Callable[[float], None] = time.sleep
    fan_out: FanOut = one_by_one
    jitter: Callable[[], float] = field(default_factory=lambda: random.Random().random)
    pacing: Pacing = field(default_factory=Pacing)
    backoff_first: timedelta = BACKOFF_FIRST
    backoff_cap: timedelta = BACKOFF_CAP
    stopping: bool = False  # shutting down: what is claimed goes back untried

    def stop(self) -> None:
        """Finish the batch in hand without sending more of it (shutdown)."""
        self.stopping = True

    def run_once(self) -> int:
        """Send one batch of what is due now; how many messages the platforms took."""
        now = self.clock.now()
        with self.uow() as uow:
            claimed = uow.outbox.claim(
                now,
                self.worker,
                self.lease,
                self.batch,
                list(self.platforms),
                self.pacing.held(now),
            )
            uow.commit()
        if not claimed:
            return 0
        ledger = _Ledger(self)
        # A slow platform must not outlast the lease (another sender would claim
        # the rest): what is left by then is given back untried.
        deadline = now + self.lease / 2
        groups = _by_conversation(claimed)
        try:
            self.fan_out([partial(self._conversation, group, deadline, ledger) for group in groups])
        finally:
            ledger.flush()  # whatever happened, what was sent is recorded
        return ledger.delivered

    def drain(self, rounds: int = 20) -> int:
        """Send batches until nothing due is left (at most ``rounds`` of them)."""
        total = 0
        for _ in range(rounds):
            sent = self.run_once()
            total += sent
            if sent == 0:
                break
        return total

    def next_due(self) -> datetime | None:
        """When the next message for these platforms falls due, if any is queued."""
        with self.uow() as uow:
            return uow.outbox.next_due(list(self.platforms))

    # --- one conversation, in order ------------------------------------------------------

    def _conversation(self, items: Sequence[Claimed], deadline: datetime, ledger: _Ledger) -> None:
        for n, item in enumerate(items):
            wait_until = self._turn(item, deadline)
            if wait_until is not None:
                self._give_back(items[n:], wait_until, ledger)
                return
            result = self._call(item)
            ledger.add(self._entry(item, result))
            if isinstance(result, RetryLater) and result.scope is not Scope.MESSAGE:
                # The conversation (or the workspace) must wait: so does the rest.
                self._give_back(items[n + 1 :], self._held_until(item, result), ledger)
                return

    def _turn(self, item: Claimed, deadline: datetime) -> datetime | None:
        """Wait for the conversation's turn; when to try instead, if not now."""
        now = self.clock.now()
        if now > deadline or self.stopping:
            return now
        held = self.pacing.held_until(item.workspace.id, now)
        if held is not None:
            return held
        platform = self.platforms[item.workspace.platform]
        key = (item.workspace.id, item.conversation)
        wait = self.pacing.wait(key, platform.capabilities, now)
        if wait > MAX_PAUSE:
            return now + timedelta(seconds=wait)
        if wait > 0:
            self.sleep(wait)
        self.pacing.took(key, platform.capabilities, self.clock.now())
        return None

    def _call(self, item: Claimed) -> SendResult:
        platform = self.platforms[item.workspace.platform]
        try:
            return platform.send(item.workspace, item.outbound, again=item.uncertain)
        except Exception as error:  # noqa: BLE001 - a platform's bug must not lose the message
            log.error("sending %s: %s", item.outbound.key, type(error).__name__)
            return RetryLater(type(error).__name__, ambiguous=True)

    def _entry(self, item: Claimed, result: SendResult) -> Sent | Retry | Failure:
        ws, key = item.workspace.id, item.outbound.key
        if isinstance(result, Delivered):
            return Sent(ws, key, result.platform_id)
        # The reason is the platform's error code, never the message's text.
        if isinstance(result, Rejected):
            log.warning("%s will not be delivered: %s", key, result.reason)
            return Failure(ws, key, result.reason)
        now = self.clock.now()
        if not result.failure:  # a rate limit: wait as long as asked, count nothing
            at = now + timedelta(seconds=result.seconds or self.backoff_first.total_seconds())
            self._hold(item, result.scope, at)
            return Retry(ws, key, at, result.reason, failed=False, ambiguous=result.ambiguous)
        failures = item.failures + 1
        first = item.first_failed_at or now
        if failures >= GIVE_UP_FAILURES and now - first >= GIVE_UP_AFTER:
            log.warning("%s given up after %d failures: %s", key, failures, result.reason)
            return Failure(ws, key, result.reason)
        log.info("%s failed (%d so far): %s", key, failures, result.reason)
        at = now + max(backoff(failures, self.jitter()), timedelta(seconds=result.seconds or 0))
        return Retry(ws, key, at, result.reason, ambiguous=result.ambiguous)

    def _held_until(self, item: Claimed, result: RetryLater) -> datetime:
        now = self.clock.now()
        if result.scope is Scope.WORKSPACE:
            return self.pacing.held_until(item.workspace.id, now) or now
        return now + timedelta(seconds=result.seconds or 0)

    def _hold(self, item: Claimed, scope: Scope, until: datetime) -> None:
        if scope is Scope.WORKSPACE:
            self.pacing.hold(item.workspace.id, until)
        elif scope is Scope.CONVERSATION:
            caps = self.platforms[item.workspace.platform].capabilities
            self.pacing.pause((item.workspace.id, item.conversation), caps, until)

    @staticmethod
    def _give_back(items: Sequence[Claimed], at: datetime, ledger: _Ledger) -> None:
        """Untried: no call was made, so nothing is counted."""
        for item in items:
            ledger.add(Retry(item.workspace.id, item.outbound.key, at, called=False, failed=False))


def _by_conversation(claimed: Sequence[Claimed]) -> list[list[Claimed]]:
    """The batch as one list per conversation, each in order, oldest first."""
    groups: dict[tuple[int, str], list[Claimed]] = {}
    for item in claimed:
        groups.setdefault((item.workspace.id, item.conversation), []).append(item)
    return list(groups.values())
