"""Teams, as the composition root sees it: settings, the sender, the route."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiohttp import web

from adapters.teams.app import Teams
from adapters.teams.auth import ChannelAuth, SigningKeys
from adapters.teams.config import TeamsConfig
from adapters.teams.connector import Connector
from adapters.teams.login import BotToken
from adapters.teams.platform import PLATFORM, TeamsPlatform
from adapters.teams.receiver import TeamsReceiver
from adapters.wiring import Core, Server
from bot.platform import Platform


class TeamsAdapter:
    """The Teams app: :class:`adapters.wiring.Adapter` for Teams."""

    name = PLATFORM

    def configure(self, env: Mapping[str, str], *, socket_mode: bool = False) -> TeamsConfig | None:
        return TeamsConfig.from_env(env)

    def platform(self, config: Any, core: Core) -> TeamsPlatform:
        assert isinstance(config, TeamsConfig)
        connector = Connector(BotToken(config))
        return TeamsPlatform(core.uow, connector, config.app_id, core.clock)

    def receiver(self, config: Any, platform: Platform, core: Core) -> TeamsReceiver:
        assert isinstance(platform, TeamsPlatform)
        return TeamsReceiver(core.uow, platform, core.clock)

    def register(
        self, app: web.Application, config: Any, platform: Platform, server: Server
    ) -> None:
        """``POST /api/messages``: Teams is never served without the bot's credentials."""
        assert isinstance(config, TeamsConfig) and isinstance(platform, TeamsPlatform)
        auth = ChannelAuth(config.app_id, SigningKeys(config.openid_url))
        receiver = self.receiver(config, platform, server.core)
        Teams(auth, server, platform, receiver).mount(app)


ADAPTER = TeamsAdapter()
