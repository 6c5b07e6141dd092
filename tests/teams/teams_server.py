"""Tandem's server on 127.0.0.1 with the Teams app mounted, on the tests' clock, with
the fake key server, login authority and Bot Connector around it: started, stopped
and settled. Activities reach it as the Bot Framework sends them
(tests/teams/bot_framework.py)."""

from __future__ import annotations

import asyncio
import itertools
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import aiohttp
from aiohttp import web

from adapters.teams.app import TEAMS, Teams
from adapters.teams.config import TeamsConfig
from bot.admin import bundled_programs, install_programs
from bot.clock import ManualClock
from bot.delivery import one_by_one
from fakes.teams import FakeConnector
from fakes.teams_keys import KeyServer
from fakes.teams_login import LoginAuthority
from tandem.bootstrap import App, build, prepare_database
from tandem.serve import SERVICE, Service, make_server
from tandem.settings import Settings
from tests.teams.bot_framework import APP_ID, CORA, TENANT, BotFramework

START = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)  # a Monday
CHANNEL = "19:program-channel@thread.tacv2"


@dataclass
class Pacing:
    clock: ManualClock
    waits: list[float] = field(default_factory=list)

    def sleep(self, seconds: float) -> None:
        self.waits.append(round(seconds, 3))
        self.clock.advance(timedelta(seconds=seconds))

    async def wait(self, seconds: float) -> None:
        """The same, for what waits on the event loop (a Retry-After there)."""
        self.sleep(seconds)


@dataclass
class TeamsTandem(BotFramework):
    """The running server, the fakes around it, and Teams' side of the talk."""

    app: App
    clock: ManualClock
    keys: KeyServer
    login: LoginAuthority
    connector: FakeConnector
    url: str
    service: Service
    runner: web.AppRunner
    session: aiohttp.ClientSession
    pacing: Pacing
    route: Teams
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    # --- time passing ----------------------------------------------------------------------

    async def settle(self) -> int:
        await self.service.background.idle()
        done = await asyncio.to_thread(self.service.settle)
        waited = 0.0
        while (due := self.service.courier.next_due()) is not None and waited < 5:
            wait = min(max((due - self.clock.now()).total_seconds(), 0.0) or 1.0, 5.0)
            self.pacing.sleep(wait)
            waited += wait
            done += await asyncio.to_thread(self.service.settle)
        return done

    async def beat(self) -> int:
        await asyncio.to_thread(self.service.cadence.tick)
        return await self.settle()


async def start_teams(
    tmp: Path, keys: KeyServer, login: LoginAuthority, connector: FakeConnector
) -> TeamsTandem:
    config = TeamsConfig(APP_ID, "bot-secret", openid_url=keys.url, login_url=login.url)
    settings = Settings(
        database_url=f"sqlite:///{tmp / 'teams.db'}", data_dir=tmp, platforms={"teams": config}
    )
    clock = ManualClock(START)
    app = build(settings, clock=clock, worker="test")
    prepare_database(app)
    programs = [
        spec.model_copy(update={"coordinators": (CORA.aad,), "channel": CHANNEL})
        for spec in bundled_programs()
    ]
    install_programs(app.uow, clock, "teams", TENANT, programs)
    pacing = Pacing(clock)
    server = make_server(app, schedule=False, workers=False, sleep=pacing.sleep, fan_out=one_by_one)
    runner = web.AppRunner(server)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    route = server[TEAMS]
    route.shared.wait = pacing.wait  # a Retry-After moves the clock, as for the outbox
    return TeamsTandem(
        app,
        clock,
        keys,
        login,
        connector,
        f"http://127.0.0.1:{port}",
        server[SERVICE],
        runner,
        aiohttp.ClientSession(),
        pacing,
        route,
    )


async def stop_teams(tandem: TeamsTandem) -> None:
    await tandem.session.close()
    await tandem.runner.cleanup()
    tandem.app.close()
