"""What keeps the dashboard's sign-in safe: a rate limit on tries per address, and an
access log that never writes a sign-in link's token."""

from __future__ import annotations

from collections import OrderedDict, deque
from datetime import datetime, timedelta

from aiohttp import web
from aiohttp.web_log import AccessLogger
from aiohttp.web_request import BaseRequest

from bot.clock import Clock
from bot.dashboard import (
    LOGIN_PATH,
)


class RateLimit:
    """At most ``limit`` tries per ``per`` from one address (in memory, per process);
    at most ``addresses`` addresses remembered, the least recent forgotten first."""

    def __init__(
        self,
        clock: Clock,
        limit: int = 10,
        per: timedelta = timedelta(minutes=1),
        addresses: int = 10_000,
    ) -> None:
        self._clock = clock
        self._limit = limit
        self._per = per
        self._addresses = addresses
        self._tries: OrderedDict[str, deque[datetime]] = OrderedDict()

    def allow(self, address: str) -> bool:
        """Count a try from ``address``; false once it has had its share."""
        now = self._clock.now()
        tries = self._tries.pop(address, None) or deque()
        while tries and tries[0] <= now - self._per:
            tries.popleft()
        allowed = len(tries) < self._limit
        if allowed:
            tries.append(now)
        self._tries[address] = tries
        while len(self._tries) > self._addresses:
            self._tries.popitem(last=False)
        return allowed


class AccessLog(AccessLogger):
    """aiohttp's access log without the sign-in links' tokens (``tandem serve`` logs
    requests at INFO): a link read from a log must never open a session."""

    def log(self, request: BaseRequest, response: web.StreamResponse, time: float) -> None:
        if request.path.startswith(LOGIN_PATH):
            request = request.clone(rel_url=f"{LOGIN_PATH}REDACTED")
        super().log(request, response, time)
