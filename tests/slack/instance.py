"""One Tandem instance in a process of its own, for tests that kill one (``kill -9``).

    python -m tests.slack.instance DATABASE_URL PORT TOKEN API_URL ORIGIN

It is ``tandem serve`` (the composition root, the server, its workers and its
scheduler), with two differences a test needs: time runs from the tests'
Monday morning (:data:`START` at wall-clock ``ORIGIN``, at real speed, the same
for every instance), and leases last seconds, not minutes.
"""

from __future__ import annotations

import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path

from aiohttp import web

from adapters.slack.config import SlackConfig
from tandem.bootstrap import build
from tandem.serve import make_server
from tandem.settings import Settings
from tests.slack.slack_requests import SECRET
from tests.slack.tandem_server import START

LEASE_SECONDS = 3.0
# Failures are retried after 1 to 4 s, not 15 s to 15 minutes: the test waits in real time.
RETRY_FIRST, RETRY_CAP = timedelta(seconds=1), timedelta(seconds=4)


class StoryClock:
    """The tests' time: ``start`` at wall-clock ``origin``, running at real speed."""

    def __init__(self, start: datetime, origin: float) -> None:
        self._start = start
        self._origin = origin

    def now(self) -> datetime:
        return self._start + timedelta(seconds=time.time() - self._origin)


def settings(database_url: str, token: str, api_url: str) -> Settings:
    config = SlackConfig(signing_secret=SECRET, bot_token=token, api_url=api_url)
    return Settings(
        database_url=database_url,
        data_dir=Path(tempfile.gettempdir()),
        tick_seconds=1,
        lease_seconds=LEASE_SECONDS,
        platforms={"slack": config},
    )


def main() -> None:
    database_url, port, token, api_url, origin = sys.argv[1:6]
    clock = StoryClock(START, float(origin))
    app = build(settings(database_url, token, api_url), clock=clock, worker=f"instance-{port}")
    server = make_server(app, backoff_first=RETRY_FIRST, backoff_cap=RETRY_CAP)
    web.run_app(server, host="127.0.0.1", port=int(port), print=None)


if __name__ == "__main__":
    main()
