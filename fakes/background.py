"""An aiohttp app on a thread and event loop of its own, as a real service is: nothing
the code under test does on its loop can hold it up."""

from __future__ import annotations

import asyncio
import ssl
import threading
from collections.abc import Callable, Coroutine
from typing import Any

from aiohttp import web


class Background:
    """An aiohttp app served on 127.0.0.1:0 from a thread of its own."""

    def __init__(
        self, build: Callable[[], web.Application], ssl_context: ssl.SSLContext | None = None
    ):
        self._build = build
        self._ssl = ssl_context
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._runner: web.AppRunner | None = None
        self.port = 0

    def start(self) -> Background:
        self._thread.start()
        self.port = self._run(self._start())
        return self

    async def _start(self) -> int:
        self._runner = web.AppRunner(self._build())
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0, ssl_context=self._ssl)
        await site.start()
        return int(site._server.sockets[0].getsockname()[1])  # type: ignore[union-attr]

    def stop(self) -> None:
        if self._runner is not None:
            self._run(self._runner.cleanup())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    def _run(self, work: Coroutine[Any, Any, Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(work, self._loop).result(timeout=30)
