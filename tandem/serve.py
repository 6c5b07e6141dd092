"""``tandem serve``: the long-running process.

An aiohttp server (``PORT``, default 3000; the Slack and Teams adapters mount
here) and an APScheduler job that only decides *when* to look: each run does one
cadence tick (what is due comes from the database) and then sends the outbox
until nothing due is left. Both run in a worker thread, so a slow database never
blocks the server; the job never overlaps itself, and runs missed while the
process was busy or down collapse into one.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
from dataclasses import dataclass
from typing import Any

from aiohttp import web
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler
from sqlalchemy import text

from adapters.console.sender import ConsoleSender
from adapters.slack.app import build_bolt, mount
from adapters.slack.bridge import SlackBridge
from adapters.slack.config import SlackConfig
from adapters.slack.inbound import PLATFORM as SLACK
from adapters.slack.outbound import SlackSender
from bot.cadence.due import Cadence
from bot.dispatch import Dispatcher, Sender
from bot.logs import log_failure
from tandem.bootstrap import App

log = logging.getLogger(__name__)
JOB = "cadence"
APP = web.AppKey("tandem", App)
SCHEDULER = web.AppKey("scheduler", AsyncIOScheduler)
BRIDGE = web.AppKey("slack", SlackBridge)
_DRAIN_ROUNDS = 20  # batches per run at most; the next run takes the rest


@dataclass
class Heart:
    """One beat of the program: what is due, then sending it."""

    app: App
    senders: dict[str, Sender]
    worker: str

    def beat(self) -> int:
        Cadence(self.app.uow, self.app.clock).tick()
        dispatcher = Dispatcher(self.app.uow, self.app.clock, self.senders, self.worker)
        sent = 0
        for _ in range(_DRAIN_ROUNDS):
            batch = dispatcher.run_once()
            sent += batch
            if batch == 0:
                break
        return sent


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}"


def senders_for(app: App) -> dict[str, Sender]:
    """Every platform this process can deliver to."""
    senders: dict[str, Sender] = {"console": ConsoleSender(app.mailbox, app.clock)}
    if app.settings.slack is not None:
        senders[SLACK] = slack_sender(app, app.settings.slack)
    return senders


def slack_sender(app: App, config: SlackConfig, **pacing: Any) -> SlackSender:
    """The Slack sender: the one bot token, or each workspace's from its install
    (``pacing``: ``sleep``/``monotonic`` for tests)."""
    token, installs = config.bot_token, app.installations
    if config.oauth:
        return SlackSender(lambda team: installs.token(SLACK, team), config.api_url, **pacing)
    return SlackSender(lambda team: token or None, config.api_url, **pacing)


def make_server(
    app: App, heart: Heart, tick_seconds: float, *, schedule: bool = True
) -> web.Application:
    """The server: /healthz, the Slack app when configured, and (unless ``schedule``
    is false, as in tests that move time themselves) the scheduler."""
    server = web.Application()
    server[APP] = app
    server.router.add_get("/healthz", _healthz)
    scheduler = AsyncIOScheduler(timezone="UTC")

    async def run_beat() -> None:
        try:
            await asyncio.get_running_loop().run_in_executor(None, heart.beat)
        except Exception as error:  # noqa: BLE001 - the next beat tries again
            log_failure(log, "a scheduled beat", error)

    scheduler.add_job(
        run_beat,
        "interval",
        seconds=tick_seconds,
        id=JOB,
        max_instances=1,
        coalesce=True,
        misfire_grace_time=None,
        next_run_time=None,
    )

    async def start(_: web.Application) -> None:
        scheduler.start()
        scheduler.modify_job(JOB, next_run_time=app.clock.now())  # look at once on start

    async def stop(_: web.Application) -> None:
        scheduler.shutdown(wait=False)

    if schedule:
        server.on_startup.append(start)
        server.on_cleanup.append(stop)
    server[SCHEDULER] = scheduler
    if app.settings.slack is not None:
        _slack(server, app, app.settings.slack, heart.senders.get(SLACK))
    return server


def _slack(server: web.Application, app: App, config: SlackConfig, sender: Sender | None) -> None:
    """Mount the Slack app: over HTTP at /slack/events, or over Socket Mode."""
    bridge = SlackBridge(
        app.engine,
        sender if isinstance(sender, SlackSender) else slack_sender(app, config),
        config.api_url,
    )
    bolt = build_bolt(bridge, config, app.installations)
    server[BRIDGE] = bridge
    if not app.settings.socket_mode:
        mount(server, bolt, config.signing_secret)
        return
    handler = AsyncSocketModeHandler(bolt, config.app_token)

    async def connect(_: web.Application) -> None:
        await handler.connect_async()  # type: ignore[no-untyped-call]

    async def disconnect(_: web.Application) -> None:
        await handler.close_async()  # type: ignore[no-untyped-call]

    server.on_startup.append(connect)
    server.on_cleanup.append(disconnect)


async def _healthz(request: web.Request) -> web.Response:
    app = request.app[APP]

    def check() -> None:
        with app.database.connect() as connection:
            connection.execute(text("SELECT 1"))

    try:
        await asyncio.get_running_loop().run_in_executor(None, check)
    except Exception:  # noqa: BLE001 - any failure means "not healthy"
        return web.json_response({"status": "unavailable", "database": "unreachable"}, status=503)
    return web.json_response({"status": "ok", "database": "ok"})
