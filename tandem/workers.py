"""The machinery of ``tandem serve``: bounded pools, workers that wake, and the
writer that stores the requests of a moment in one transaction.

Each kind of blocking work has a pool of its own, so none waits behind another;
nothing here knows what the work is.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Coroutine, Sequence
from concurrent.futures import Future, ThreadPoolExecutor, wait
from datetime import datetime
from typing import Any, TypeVar

from aiohttp import web

from bot.delivery import Job
from bot.handoff import Handoff, Received
from bot.logs import log_failure

log = logging.getLogger(__name__)
T = TypeVar("T")
IDLE_SECONDS = 5.0  # a worker with nothing to do looks again after this long anyway


class Pool:
    """A bounded pool of threads for one kind of blocking work."""

    def __init__(
        self, name: str, threads: int, initializer: Callable[[], None] | None = None
    ) -> None:
        self._executor = ThreadPoolExecutor(
            threads, thread_name_prefix=name, initializer=initializer
        )

    async def __call__(self, call: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._executor, call, *args)

    def fan_out(self, jobs: Sequence[Job]) -> None:
        """Run the jobs on the pool and wait for all (from another thread); then
        raise the first error, if any: no job is left running unawaited."""
        futures: list[Future[None]] = [self._executor.submit(job) for job in jobs]
        wait(futures)
        for future in futures:
            future.result()

    async def close(self, *, drop_waiting: bool = False) -> None:
        """Let the work in hand finish (off the event loop); with ``drop_waiting``,
        work not started yet is dropped."""
        await asyncio.to_thread(self._executor.shutdown, True, cancel_futures=drop_waiting)


class Worker:
    """Runs a blocking job on a thread of its own whenever woken, one run at a time.

    The job returns when it wants to run next (None: when woken, or after
    :data:`IDLE_SECONDS` at the latest).
    """

    def __init__(self, name: str, job: Callable[[], datetime | None], now: Callable[[], datetime]):
        self._name = name
        self._job = job
        self._now = now
        self._pool = Pool(name, 1)
        self._event: asyncio.Event | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[None] | None = None

    def wake(self) -> None:
        """Run soon (safe from any thread)."""
        if self._loop is not None and self._event is not None:
            self._loop.call_soon_threadsafe(self._event.set)

    async def start(self, _: web.Application | None = None) -> None:
        self._loop = asyncio.get_running_loop()
        self._event = asyncio.Event()
        self._event.set()  # look at once on start
        self._task = asyncio.create_task(self._run(), name=self._name)

    async def stop(self, _: web.Application | None = None) -> None:
        """Stop looking; a run under way finishes first."""
        if self._task is not None:
            self._task.cancel()
        await self._pool.close()

    async def _run(self) -> None:
        assert self._event is not None
        timeout = IDLE_SECONDS
        while True:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._event.wait(), timeout)
            self._event.clear()
            try:
                due = await self._pool(self._job)
            except Exception as error:  # noqa: BLE001 - the next run tries again
                log_failure(log, f"the {self._name} worker", error)
                due = None
            wait = IDLE_SECONDS if due is None else (due - self._now()).total_seconds()
            timeout = min(max(wait, 0.0), IDLE_SECONDS)


class Taker:
    """Stores events for the request path, the requests of a moment in one
    transaction: while one batch is being written, the next one gathers."""

    BATCH = 500  # events per transaction at most (and per statement)

    def __init__(self, handoff: Handoff, pool: Pool, wake: Callable[[], None]) -> None:
        self._handoff = handoff
        self._pool = pool
        self._wake = wake
        self._waiting: list[tuple[Received, asyncio.Future[bool]]] = []
        self._writing: asyncio.Task[None] | None = None

    async def __call__(self, received: Received) -> bool:
        """Store the event; true once it is stored (false: it was already)."""
        future: asyncio.Future[bool] = asyncio.get_running_loop().create_future()
        self._waiting.append((received, future))
        if self._writing is None:
            self._writing = asyncio.create_task(self._write())
        return await future

    async def _write(self) -> None:
        try:
            while self._waiting:
                batch, self._waiting = self._waiting[: self.BATCH], self._waiting[self.BATCH :]
                try:
                    added = await self._pool(self._handoff.accept, [r for r, _ in batch])
                except Exception as error:  # noqa: BLE001 - every waiting request hears of it
                    for _, future in batch:
                        future.set_exception(error)
                    continue
                for (_, future), fresh in zip(batch, added, strict=True):
                    future.set_result(fresh)
                self._wake()
        finally:
            self._writing = None


class Background:
    """Work after an ack that needs no queue (an App Home refresh): kept, so the
    tasks are not collected, and at most :data:`MOST` at a time. Past that, more
    is dropped: it is a nicety, and a flood must not pile it up."""

    MOST = 200

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[None]] = set()

    def __call__(self, work: Coroutine[Any, Any, None]) -> None:
        if len(self._tasks) >= self.MOST:
            work.close()
            log.info("work after an ack dropped: %d pending", len(self._tasks))
            return
        task = asyncio.ensure_future(self._guarded(work))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    @staticmethod
    async def _guarded(work: Coroutine[Any, Any, None]) -> None:
        try:
            await work
        except Exception as error:  # noqa: BLE001 - a nicety; the next one may work
            log_failure(log, "work after an ack", error)

    async def idle(self) -> None:
        """Until every task started so far has finished."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks))
