"""Slack, as the composition root sees it: settings, the sender, the routes."""

from __future__ import annotations

from collections.abc import Mapping
from functools import partial
from typing import Any

from aiohttp import web
from slack_bolt.adapter.socket_mode.aiohttp import AsyncSocketModeHandler

from adapters.slack.app import build_bolt, mount
from adapters.slack.config import SlackConfig
from adapters.slack.installations import Tokens, stored_token
from adapters.slack.platform import PLATFORM, SlackPlatform
from adapters.slack.receiver import SlackReceiver
from adapters.wiring import Core, Server
from bot.ports import Platform


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
        handler = AsyncSocketModeHandler(bolt, config.app_token)

        async def connect(_: web.Application) -> None:
            await handler.connect_async()  # type: ignore[no-untyped-call]

        async def disconnect(_: web.Application) -> None:
            await handler.close_async()  # type: ignore[no-untyped-call]

        app.on_startup.append(connect)
        app.on_cleanup.append(disconnect)


ADAPTER = SlackAdapter()
