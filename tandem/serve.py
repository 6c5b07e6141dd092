"""``tandem serve``: the long-running process.

One aiohttp server (``PORT``, default 3000) with ``/healthz`` and each platform's
routes, and the work around it, each part on a bounded pool of its own threads
so that none waits behind another:

- **the request path**: an adapter stores the event in the inbound queue (the
  requests of a moment share one transaction) and acknowledges at once;
- **the handoff**: a worker hands queued events to the engine, each person's in
  the order they came, and wakes the outbox;
- **the outbox**: a courier sends what is due, woken at once for replies and at
  the next due time for scheduled messages;
- **the scheduler** (APScheduler) only decides *when* to look: one cadence tick
  per interval, never overlapping itself, runs missed while down collapsed
  into one.

``/healthz`` answers from the event loop, with a database check that never
takes more than a second, whatever else runs.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial
from typing import Any

from aiohttp import web
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from adapters.dashboard.app import register as mount_dashboard
from adapters.wiring import Server
from bot.cadence.due import Cadence
from bot.dashboard import Dashboard
from bot.delivery import Courier
from bot.handoff import Handoff
from bot.logs import log_failure
from store.database import first_in_line, health_probe, is_sqlite
from tandem.bootstrap import App
from tandem.workers import Background, Pool, Taker, Worker

log = logging.getLogger(__name__)
JOB = "cadence"
SCHEDULER = web.AppKey("scheduler", AsyncIOScheduler)
HEALTH_SECONDS = 1.0
SEND_THREADS = 8  # conversations sent to at once (platform calls wait on the network)


class Health:
    """``/healthz``: the database answers within a second, or it is unhealthy."""

    def __init__(self, database_url: str) -> None:
        self._probe, self._close = health_probe(database_url)
        self._pool = Pool("health", 1)
        self._running: asyncio.Future[None] | None = None

    async def close(self, _: web.Application) -> None:
        await self._pool.close(drop_waiting=True)
        self._close()

    async def respond(self, request: web.Request) -> web.Response:
        if self._running is None or self._running.done():
            # One check at a time: a slow database does not pile checks up.
            self._running = asyncio.ensure_future(self._pool(self._probe))
        try:
            await asyncio.wait_for(asyncio.shield(self._running), HEALTH_SECONDS)
        except TimeoutError:
            return web.json_response({"status": "unavailable", "database": "slow"}, status=503)
        except Exception:  # noqa: BLE001 - any failure means "not healthy"
            return web.json_response(
                {"status": "unavailable", "database": "unreachable"}, status=503
            )
        return web.json_response({"status": "ok", "database": "ok"})


@dataclass
class Service:
    """Everything ``tandem serve`` runs besides the HTTP server itself."""

    app: App
    courier: Courier
    handoff: Handoff
    cadence: Cadence
    pools: dict[str, Pool] = field(default_factory=dict)
    workers: dict[str, Worker] = field(default_factory=dict)
    background: Background = field(default_factory=Background)
    _stuck: int = 0  # looks in a row that found due messages and claimed none

    def tick(self) -> None:
        """One look at what is due in every program; then the outbox sends it."""
        self.cadence.tick()
        self.wake_courier()

    def wake_courier(self) -> None:
        if "courier" in self.workers:
            self.workers["courier"].wake()

    def settle(self, rounds: int = 50) -> int:
        """Handle what is queued and send what is due, until nothing is left (tests
        drive this themselves instead of running the workers)."""
        total = 0
        for _ in range(rounds):
            done = self.handoff.drain() + self.courier.drain()
            total += done
            if done == 0:
                break
        return total

    def send_due(self) -> datetime | None:
        """The courier worker's job: send what is due; when to look next.

        Something due that could not be claimed (its workspace waits out a
        Retry-After, another sender holds its conversation) is looked at again
        after a pause that grows while nothing moves, never in a tight loop.
        """
        sent = self.courier.drain()
        due = self.courier.next_due()
        now = self.app.clock.now()
        if sent or due is None or due > now:
            self._stuck = 0
            return due
        self._stuck = min(self._stuck + 1, 5)
        return now + timedelta(seconds=0.25 * 2**self._stuck)

    def take_queued(self) -> datetime | None:
        """The handoff worker's job: hand what is queued to the engine; look again at
        once while there was something (more may have come meanwhile)."""
        return self.app.clock.now() if self.handoff.drain() else None


SERVICE = web.AppKey("service", Service)


def service(app: App, **courier_options: Any) -> Service:
    """The workers' parts, with bounded pools (not started)."""
    pools = {
        # What an acknowledgement waits for goes first to the database.
        "acks": Pool("acks", 4, first_in_line),  # blocking calls before an ack
        "accept": Pool("accept", 1, first_in_line),  # storing events, a batch at a time
        "after": Pool("after", 4),  # blocking calls of work after an ack
        "send": Pool("send", SEND_THREADS),
        # SQLite has one writer at a time: more threads would only queue for it.
        "handoff": Pool("handoff", 1 if is_sqlite(app.settings.database_url) else 4),
        "tick": Pool("tick", 1),
        "web": Pool("web", 4),  # the dashboard's pages
    }
    workers: dict[str, Worker] = {}

    def wake_courier() -> None:
        if "courier" in workers:
            workers["courier"].wake()

    courier_options.setdefault("fan_out", pools["send"].fan_out)
    handoff = app.handoff(handled=wake_courier, fan_out=pools["handoff"].fan_out)
    svc = Service(
        app,
        app.courier(**courier_options),
        handoff,
        Cadence(app.uow, app.clock, app.capabilities),
        pools,
        workers,
    )
    workers["courier"] = Worker("courier", svc.send_due, app.clock.now)
    workers["handoff"] = Worker("handoff", svc.take_queued, app.clock.now)
    return svc


def make_server(
    app: App, *, schedule: bool = True, workers: bool = True, **courier_options: Any
) -> web.Application:
    """The server: /healthz, each platform's routes, the workers and (unless
    ``schedule`` is false, as in tests that move time themselves) the scheduler.
    Tests that drive delivery themselves pass ``workers=False`` and call
    :meth:`Service.settle`."""
    svc = service(app, **courier_options)
    server = web.Application()
    server[SERVICE] = svc
    health = Health(app.settings.database_url)
    server.router.add_get("/healthz", health.respond)
    server.on_cleanup.append(health.close)
    taker = Taker(svc.handoff, svc.pools["accept"], svc.workers["handoff"].wake)
    wiring = Server(
        app.core,
        taker,
        svc.wake_courier,
        svc.pools["acks"],
        svc.background,
        svc.pools["after"],
    )
    for name, platform in app.platforms.items():
        app.adapter(name).register(server, app.configs[name], platform, wiring)
    public_url = app.settings.public_url or ""
    mount_dashboard(
        server,
        Dashboard(app.uow, app.clock),
        svc.pools["web"],
        app.clock,
        secure=public_url.startswith("https://"),
    )
    if workers:
        for worker in svc.workers.values():
            server.on_startup.append(worker.start)
    server[SCHEDULER] = _scheduler(svc, app.settings.tick_seconds)
    if schedule:
        server.on_startup.append(partial(_start_scheduler, server[SCHEDULER], app))
        server.on_cleanup.append(partial(_stop_scheduler, server[SCHEDULER]))

    async def close_pools(_: web.Application) -> None:
        # Shutting down: what the courier holds goes back untried, what is being
        # sent is recorded, then the pools close (requests not started are dropped).
        svc.courier.stop()
        for worker in svc.workers.values():
            await worker.stop()
        for name, pool in svc.pools.items():
            await pool.close(drop_waiting=name in {"acks", "after"})

    server.on_cleanup.append(close_pools)
    return server


def _scheduler(svc: Service, tick_seconds: float) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone="UTC")

    async def tick() -> None:
        try:
            await svc.pools["tick"](svc.tick)
        except Exception as error:  # noqa: BLE001 - the next tick tries again
            log_failure(log, "a scheduled tick", error)

    scheduler.add_job(
        tick,
        "interval",
        seconds=tick_seconds,
        id=JOB,
        max_instances=1,
        coalesce=True,
        misfire_grace_time=None,
        next_run_time=None,
    )
    return scheduler


async def _start_scheduler(scheduler: AsyncIOScheduler, app: App, _: web.Application) -> None:
    scheduler.start()
    scheduler.modify_job(JOB, next_run_time=app.clock.now())  # look at once on start


async def _stop_scheduler(scheduler: AsyncIOScheduler, _: web.Application) -> None:
    scheduler.shutdown(wait=False)
