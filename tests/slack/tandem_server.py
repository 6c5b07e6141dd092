"""Tandem's server on 127.0.0.1 with the Slack app mounted, on the tests' clock: started
and stopped, and settled the way ``tandem serve``'s workers would (the engine, then
the outbox). Requests reach it as Slack sends them (tests/slack/slack_requests.py)."""

from __future__ import annotations

import asyncio
import dataclasses
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
from aiohttp import web

from adapters.slack.config import SlackConfig
from adapters.slack.receiver import SlackReceiver
from bot.admin import bundled_programs, install_programs
from bot.clock import ManualClock
from bot.delivery import one_by_one
from fakes.slack import BOT_TOKEN, TEAM, FakeSlack
from tandem.bootstrap import App, build, prepare_database
from tandem.serve import SERVICE, Service, make_server
from tandem.settings import Settings
from tests.slack.slack_requests import SECRET, SlackRequests

START = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)  # a Monday
COORDINATOR = "U0COORD"
PACING_SECONDS = 3.0  # waits this short pass by themselves when a test settles
PROGRAM_CHANNEL = "C0PROGRAM"


@dataclass
class Pacing:
    """The outbox's pauses between messages: each recorded, and the test's clock
    moved on by it, instead of slept (tests never sleep)."""

    clock: ManualClock
    waits: list[float] = field(default_factory=list)

    def sleep(self, seconds: float) -> None:
        self.waits.append(round(seconds, 3))
        self.clock.advance(timedelta(seconds=seconds))


@dataclass
class Tandem(SlackRequests):
    """The running server and what a test needs to drive it."""

    app: App
    clock: ManualClock
    fake: FakeSlack
    url: str
    service: Service
    runner: web.AppRunner
    session: aiohttp.ClientSession
    pacing: Pacing
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    # --- time passing ----------------------------------------------------------------

    @property
    def receiver(self) -> SlackReceiver:
        receiver = self.service.handoff._receivers["slack"]
        assert isinstance(receiver, SlackReceiver)
        return receiver

    async def settle(self) -> int:
        """What the workers of ``tandem serve`` do after an ack: queued events to the
        engine, then the outbox, until nothing is left, letting the few seconds
        pass that a conversation's pacing asks for. In a thread, as the server runs
        them: the fake Slack shares this event loop."""
        await self.service.background.idle()
        done = await asyncio.to_thread(self.service.settle)
        waited = 0.0
        while (due := self.service.courier.next_due()) is not None and waited < PACING_SECONDS:
            # Due, but not claimable yet (a conversation's pace, a Retry-After):
            # a moment passes, then the outbox looks again.
            wait = min(max((due - self.clock.now()).total_seconds(), 0.0) or 1.0, PACING_SECONDS)
            if waited + wait > PACING_SECONDS:
                break
            self.pacing.sleep(wait)
            waited += wait
            done += await asyncio.to_thread(self.service.settle)
        return done

    async def beat(self) -> int:
        """One scheduler tick, then the outbox (as ``tandem serve`` does)."""
        await asyncio.to_thread(self.service.cadence.tick)
        return await self.settle()

    async def send_due(self) -> int:
        return await asyncio.to_thread(self.service.courier.drain)


async def start_tandem(
    tmp: Path, fake: FakeSlack, config: SlackConfig | None = None, *, socket_mode: bool = False
) -> Tandem:
    config = config or SlackConfig(signing_secret=SECRET, bot_token=BOT_TOKEN, api_url=fake.url)
    config = dataclasses.replace(config, socket_mode=socket_mode)
    settings = Settings(
        database_url=f"sqlite:///{tmp / 'slack.db'}", data_dir=tmp, platforms={"slack": config}
    )
    clock = ManualClock(START)
    app = build(settings, clock=clock, worker="test")
    prepare_database(app)
    programs = [
        spec.model_copy(update={"coordinators": (COORDINATOR,), "channel": PROGRAM_CHANNEL})
        for spec in bundled_programs()
    ]
    install_programs(app.uow, clock, "slack", TEAM, programs)
    pacing = Pacing(clock)
    # No scheduler and no workers: the test moves time and settles itself, and
    # conversations are sent one after another, so every run goes the same way.
    server = make_server(app, schedule=False, workers=False, sleep=pacing.sleep, fan_out=one_by_one)
    runner = web.AppRunner(server)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    session = aiohttp.ClientSession()
    return Tandem(
        app, clock, fake, f"http://127.0.0.1:{port}", server[SERVICE], runner, session, pacing
    )


async def stop_tandem(tandem: Tandem) -> None:
    await tandem.session.close()
    await tandem.runner.cleanup()
    tandem.app.close()
