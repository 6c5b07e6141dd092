"""The console, as the composition root sees it: always on, no routes."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from aiohttp import web

from adapters.console.platform import PLATFORM, ConsolePlatform
from adapters.wiring import Core, Server
from bot.handoff import Receiver
from bot.platform import Platform


class ConsoleAdapter:
    """:class:`adapters.wiring.Adapter` for the console: its chats run in the
    terminal (``tandem chat``), so it only delivers."""

    name = PLATFORM

    def configure(self, env: Mapping[str, str], *, socket_mode: bool = False) -> bool:
        return True  # needs nothing: the console is always there

    def platform(self, config: Any, core: Core) -> ConsolePlatform:
        return ConsolePlatform(core.uow, core.clock)

    def receiver(self, config: Any, platform: Platform, core: Core) -> Receiver | None:
        return None

    def register(
        self, app: web.Application, config: Any, platform: Platform, server: Server
    ) -> None:
        """The console takes no requests over HTTP."""


ADAPTER = ConsoleAdapter()
