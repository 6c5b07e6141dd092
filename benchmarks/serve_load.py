"""Slack under load: acknowledgements and health of ``tandem serve``, against a floor.

    .venv/bin/python -m benchmarks.serve_load [--quick] [--seconds 15] [--concurrency 50]

Each database (SQLite, and PostgreSQL where it is reachable) gets a fresh,
migrated database, and two servers take the same load in turn, each in its own
process: ``tandem serve`` and the floor (``benchmarks.floor_app``: a bolt app
that commits one INSERT of the raw request before it acks). ``concurrency``
clients send signed Slack requests (``/mentor help``, ``/mentor join``, the
"I agree" button) as fast as they are answered, for ``seconds``; meanwhile, and
for a while after, ``/healthz`` is asked four times a second. A fake Slack Web
API (``fakes.slack``, another process) answers whatever the servers send.

Printed, per database and server: requests per second, ack latency (median,
p99, max), acks over Slack's 3 s, 5xx answers, the slowest ``/healthz`` during
and after the load, and for Tandem, the replies Slack received and how long the
outbox took to send the last of them. Nothing is asserted: the figures are for
reading, and the closing note of each issue quotes them.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import itertools
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

from benchmarks.processes import database, free_port, left_in, postgres_reachable, process, tandem
from fakes.slack import BOT_TOKEN, TEAM
from fakes.slack_requests import button_body, command_body, signed_headers

SECRET = "benchmark-signing-secret"
USERS = 400
FORM = "application/x-www-form-urlencoded"
ROOT = Path(__file__).resolve().parents[1]
PROGRAM = ROOT / "bot" / "content" / "programs" / "engineering-growth.yaml"


@dataclass
class Figures:
    """What one server did under the load."""

    latencies: list[float] = field(default_factory=list)  # seconds, answered requests
    statuses: dict[int, int] = field(default_factory=dict)
    errors: int = 0  # no answer at all (connection refused, reset, client timeout)
    health_during: list[float] = field(default_factory=list)
    health_after: list[float] = field(default_factory=list)
    health_failures: int = 0
    seconds: float = 0.0
    replies: int = 0
    drained_after: float | None = None
    left: dict[str, int] = field(default_factory=dict)  # outbox by status, events queued

    @property
    def rate(self) -> float:
        return len(self.latencies) / self.seconds if self.seconds else 0.0

    def quantile(self, q: float) -> float:
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(len(ordered) * q))] if ordered else 0.0


# --- processes -----------------------------------------------------------------------


class Client:
    """Signed Slack requests, as many at a time as ``concurrency`` allows."""

    def __init__(self, url: str, session: aiohttp.ClientSession) -> None:
        self._url = url + "/slack/events"
        self._session = session
        self._ids = itertools.count(1)
        self._kinds = itertools.cycle(("help", "join", "button"))
        self._random = random.Random(7)

    def _request(self) -> bytes:
        user = f"U0L{self._random.randrange(USERS):05d}"
        trigger = f"{next(self._ids)}.{int(time.time())}.trigger"
        kind = next(self._kinds)
        if kind == "help":
            return command_body(user, "help", trigger)
        if kind == "join":
            return command_body(user, "join engineering-growth", trigger)
        return button_body(user, "agree:engineering-growth#0", "yes", trigger, "D" + user[-4:])

    async def one(self, figures: Figures) -> None:
        body = self._request()
        headers = signed_headers(SECRET, body, FORM, int(time.time()))
        started = time.perf_counter()
        try:
            async with self._session.post(self._url, data=body, headers=headers) as response:
                await response.read()
        except (TimeoutError, aiohttp.ClientError):
            figures.errors += 1
            return
        figures.latencies.append(time.perf_counter() - started)
        figures.statuses[response.status] = figures.statuses.get(response.status, 0) + 1


async def _health(url: str, session: aiohttp.ClientSession, into: list[float]) -> bool:
    started = time.perf_counter()
    try:
        timeout = aiohttp.ClientTimeout(total=10)
        async with session.get(url + "/healthz", timeout=timeout) as response:
            await response.read()
            ok = response.status == 200
    except (TimeoutError, aiohttp.ClientError):
        ok = False
    into.append(time.perf_counter() - started)
    return ok


async def _watch_health(
    url: str, session: aiohttp.ClientSession, figures: Figures, stop: asyncio.Event
) -> None:
    while not stop.is_set():
        if not await _health(url, session, figures.health_during):
            figures.health_failures += 1
        with contextlib.suppress(asyncio.TimeoutError):
            await asyncio.wait_for(stop.wait(), 0.25)


async def _posts(session: aiohttp.ClientSession, fake_url: str) -> int:
    async with session.get(fake_url.removesuffix("/api/") + "/_stats") as response:
        counts = await response.json()
    return int(counts.get("chat.postMessage", 0))


async def _drain(
    session: aiohttp.ClientSession, fake_url: str, figures: Figures, most: float
) -> None:
    """Wait until Slack stops receiving replies (the outbox is empty), at most ``most`` s."""
    started, last, last_change = time.perf_counter(), -1, time.perf_counter()
    while time.perf_counter() - last_change < 3 and time.perf_counter() - started < most:
        now = await _posts(session, fake_url)
        if now != last:
            last, last_change = now, time.perf_counter()
        await asyncio.sleep(0.25)
    figures.replies = last
    figures.drained_after = last_change - started


async def _wait_ready(url: str, session: aiohttp.ClientSession) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        with contextlib.suppress(aiohttp.ClientError):
            async with session.get(url + "/healthz") as response:
                if response.status == 200:
                    return
        await asyncio.sleep(0.2)
    raise RuntimeError(f"{url} did not start within 60 s")


async def _load(url: str, fake_url: str, seconds: float, concurrency: int, drain: float) -> Figures:
    figures = Figures()
    connector = aiohttp.TCPConnector(limit=concurrency + 8)
    timeout = aiohttp.ClientTimeout(total=30)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:
        await _wait_ready(url, session)
        client = Client(url, session)
        stop = asyncio.Event()
        watcher = asyncio.create_task(_watch_health(url, session, figures, stop))
        deadline = time.perf_counter() + seconds

        async def worker() -> None:
            while time.perf_counter() < deadline:
                await client.one(figures)

        started = time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        figures.seconds = time.perf_counter() - started
        stop.set()
        await watcher
        for _ in range(20):  # five seconds after the load
            if not await _health(url, session, figures.health_after):
                figures.health_failures += 1
            await asyncio.sleep(0.25)
        if drain:
            await _drain(session, fake_url, figures, drain)
    return figures


# --- one server, one database ----------------------------------------------------------


def _run(target: str, kind: str, folder: Path, seconds: float, concurrency: int) -> Figures:
    with (
        process(
            [sys.executable, "-m", "fakes.slack", "--users", str(USERS)], {**os.environ}, True
        ) as fake_url,
        database(kind, folder) as database_url,
    ):
        port = free_port()
        env = {
            **os.environ,
            "DATABASE_URL": database_url,
            "PORT": str(port),
            "SLACK_SIGNING_SECRET": SECRET,
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_API_URL": fake_url,
            "TANDEM_LOG_LEVEL": "ERROR",
        }
        if target == "tandem":
            tandem("db", "upgrade", env=env)
            tandem(
                "program", "add", str(PROGRAM), "--platform", "slack", "--workspace", TEAM, env=env
            )
            args = [sys.executable, "-m", "tandem", "serve"]
        else:
            args = [sys.executable, "-m", "benchmarks.floor_app"]
        with process(args, env):
            url = f"http://127.0.0.1:{port}"
            drain = 20 * seconds if target == "tandem" else 0.0  # how long replies may take
            figures = asyncio.run(_load(url, fake_url, seconds, concurrency, drain))
        if target == "tandem":
            figures.left = left_in(database_url)
        return figures


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:7.0f}"


def _print(kind: str, target: str, figures: Figures, floor: Figures | None) -> None:
    five = sum(n for status, n in figures.statuses.items() if status >= 500)
    over = sum(1 for t in figures.latencies if t > 3)
    median = statistics.median(figures.latencies) if figures.latencies else 0.0
    during = max(figures.health_during, default=0.0)
    after = max(figures.health_after, default=0.0)
    share = f"{figures.rate / floor.rate:5.2f}x" if floor and floor.rate else "     "
    print(
        f"  {kind:<10} {target:<7} {figures.rate:7.0f} {share} {_ms(median)} "
        f"{_ms(figures.quantile(0.99))} {_ms(max(figures.latencies, default=0.0))} "
        f"{over:5d} {five:4d} {figures.errors:4d} {_ms(during)} {_ms(after)}"
        + (
            f"   Slack got {figures.replies} posts, the last {figures.drained_after:.1f} s "
            f"after the load; outbox {figures.left}"
            if target == "tandem" and figures.drained_after is not None
            else ""
        )
    )


def main() -> None:
    parser = argparse.ArgumentParser(description="Slack acks under load, against a floor app.")
    parser.add_argument("--quick", action="store_true", help="5 s of load instead of 15")
    parser.add_argument("--seconds", type=float, default=15.0)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--targets", default="floor,tandem")
    args = parser.parse_args()
    seconds = 5.0 if args.quick else args.seconds
    kinds = [k for k in args.databases.split(",") if k]
    if "postgresql" in kinds and not postgres_reachable():
        print("  (PostgreSQL is not reachable: SQLite only)")
        kinds.remove("postgresql")
    print(
        f"Slack under load: {args.concurrency} concurrent signed requests (help, join, "
        f"a button) for {seconds:g} s"
    )
    print(
        "  database   server    req/s share  p50 ms  p99 ms  max ms  >3s  5xx  err "
        "health-during health-after (max ms)"
    )
    with tempfile.TemporaryDirectory() as folder:
        for kind in kinds:
            floor: Figures | None = None
            for target in args.targets.split(","):
                figures = _run(target, kind, Path(folder), seconds, args.concurrency)
                _print(kind, target, figures, floor if target != "floor" else None)
                if target == "floor":
                    floor = figures


if __name__ == "__main__":
    main()
