"""Slack, as the composition root sees it: settings, the sender, the routes."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Mapping
from functools import partial
from typing import Any

from aiohttp import web
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler

from adapters.slack.app import BOLT_LOG, build_bolt
from adapters.slack.config import SlackConfig
from adapters.slack.installations import Tokens, stored_token
from adapters.slack.platform import PLATFORM, SlackPlatform
from adapters.slack.receiver import SlackReceiver
from adapters.slack.routes import mount
from adapters.wiring import Core, Server
from bot.platform import Platform

log = logging.getLogger(__name__)


class SlackAdapter:
    """The Slack app: :class:`adapters.wiring.Adapter` for Slack."""

    name = PLATFORM

    def configure(self, env: Mapping[str, str], *, socket_mode: bool = False) -> SlackConfig | None:
        return SlackConfig.from_env(env, socket_mode=socket_mode)

    def platform(self, config: Any, core: Core) -> SlackPlatform:
        assert isinstance(config, SlackConfig)
        if config.oauth:
            tokens = Tokens(partial(stored_token, core.uow))
        else:
            token = config.bot_token
            tokens = Tokens(lambda team: token or None, seconds=float("inf"))
        return SlackPlatform(tokens, config.api_url)

    def receiver(self, config: Any, platform: Platform, core: Core) -> SlackReceiver:
        assert isinstance(platform, SlackPlatform)
        return SlackReceiver(platform, core.engine)

    def register(
        self, app: web.Application, config: Any, platform: Platform, server: Server
    ) -> None:
        """Over HTTP at /slack/events (and /slack/install with OAuth), or over Socket Mode."""
        assert isinstance(config, SlackConfig) and isinstance(platform, SlackPlatform)
        receiver = self.receiver(config, platform, server.core)
        bolt = build_bolt(config, server, receiver, platform.tokens)
        if not config.socket_mode:
            mount(app, bolt, config.signing_secret)
            return
        link = SocketLink(lambda: AsyncSocketModeHandler(bolt, config.app_token, logger=BOLT_LOG))

        async def connect(_: web.Application) -> None:
            link.start()

        async def disconnect(_: web.Application) -> None:
            await link.stop()

        app.on_startup.append(connect)
        app.on_cleanup.append(disconnect)


class SocketLink:
    """Tandem's Socket Mode connection, kept in the background: Slack unreachable
    at start is a line in the log and another try later, never a crash, and the
    server (``/healthz``, other platforms) runs meanwhile."""

    FIRST_WAIT, LONGEST_WAIT = 5.0, 300.0

    def __init__(self, make: Callable[[], AsyncSocketModeHandler]) -> None:
        self._make = make  # called inside the running loop: its session needs one
        self._task: asyncio.Task[None] | None = None
        self._handler: AsyncSocketModeHandler | None = None

    def start(self) -> None:
        self._task = asyncio.get_running_loop().create_task(self._connect())

    async def _connect(self) -> None:
        wait = self.FIRST_WAIT
        while True:
            handler = self._handler = self._make()
            try:
                await handler.connect_async()  # type: ignore[no-untyped-call]
            except Exception as error:  # noqa: BLE001 - any failure: try again later
                await handler.close_async()  # type: ignore[no-untyped-call]
                log.warning(
                    "Slack Socket Mode: cannot connect (%s); trying again in %.0f s",
                    type(error).__name__,
                    wait,
                )
                await asyncio.sleep(wait)
                wait = min(wait * 2, self.LONGEST_WAIT)
                continue
            # From here the client reconnects by itself (it also keeps trying
            # while Slack is unreachable at first, logging one line each time).
            log.info("Slack Socket Mode: connected")
            return

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        if self._handler is not None:
            await self._handler.close_async()  # type: ignore[no-untyped-call]


ADAPTER = SlackAdapter()
