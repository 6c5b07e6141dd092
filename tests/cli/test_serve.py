"""``tandem serve``: health over real HTTP, the scheduler's job, one beat of it."""

from __future__ import annotations

import asyncio
import os
import socket
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

import aiohttp
import pytest
from aiohttp.test_utils import TestServer

from adapters.console.chat import ConsoleChat
from bot.clock import ManualClock
from tandem.bootstrap import App, build, prepare_database
from tandem.serve import JOB, SCHEDULER, make_server, service
from tandem.settings import Settings
from tests.engine.cadence import MATCHED, running

Chat = Callable[..., ConsoleChat]


async def test_health_is_reported_over_http(app: App) -> None:
    server = make_server(app, schedule=False, workers=False)
    async with (
        TestServer(server, host="127.0.0.1") as running_server,
        aiohttp.ClientSession() as http,
        http.get(running_server.make_url("/healthz")) as response,
    ):
        assert response.status == 200
        assert await response.json() == {"status": "ok", "database": "ok"}


async def test_an_unreachable_database_is_unhealthy_not_an_error(tmp_path: Path) -> None:
    broken = build(Settings("postgresql+psycopg://nobody@127.0.0.1:1/none", tmp_path))
    server = make_server(broken, schedule=False, workers=False)
    async with (
        TestServer(server, host="127.0.0.1") as running_server,
        aiohttp.ClientSession() as http,
        http.get(running_server.make_url("/healthz")) as response,
    ):
        assert response.status == 503
        assert (await response.json())["database"] == "unreachable"
    broken.close()


def test_the_scheduler_looks_on_an_interval_without_overlapping(app: App) -> None:
    server = make_server(app, schedule=False, workers=False)
    job = server[SCHEDULER].get_job(JOB)
    assert job.trigger.interval.total_seconds() == app.settings.tick_seconds
    assert job.max_instances == 1
    assert job.coalesce is True


def test_one_beat_queues_what_is_due_and_sends_it(chat: Chat, app: App, clock: ManualClock) -> None:
    pair = running(chat, app, clock)
    clock.set(MATCHED.replace(day=7, month=12, hour=10))  # the first check-in day
    running_service = service(app)
    running_service.tick()
    sent = running_service.courier.drain()
    # a check-in for each of them, both at work now, and the coordinator's weekly digest
    assert sent == 3
    assert "Did you and Bo meet" in pair.screen(pair.ana)


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_tandem_serve_starts_and_answers_health_checks(tmp_path: Path) -> None:
    port = _free_port()
    env = {**os.environ, "PORT": str(port), "DATABASE_URL": f"sqlite:///{tmp_path}/t.db"}
    process = subprocess.Popen(
        [sys.executable, "-m", "tandem", "serve"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=Path(__file__).parents[2],
    )
    try:
        status = _wait_for_health(port, process)
        assert status == 200
    finally:
        process.terminate()
        out, err = process.communicate(timeout=20)
    assert f"Tandem is running on port {port}" in out
    assert "Traceback" not in err


def _wait_for_health(port: int, process: subprocess.Popen[str]) -> int:
    """Poll until the process answers (it is starting up), or fail after 30 s."""
    import urllib.error
    import urllib.request

    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            pytest.fail(f"tandem serve exited: {process.communicate()[1][-2000:]}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as reply:
                return int(reply.status)
        except (urllib.error.URLError, ConnectionError):
            time.sleep(0.2)  # waiting for a process to start, not for time to pass
    pytest.fail("tandem serve did not answer within 30 seconds")


async def test_health_answers_while_another_writer_holds_the_sqlite_database(
    tmp_path: Path,
) -> None:
    app = build(Settings(f"sqlite:///{tmp_path}/busy.db", tmp_path))
    prepare_database(app)
    writer = sqlite3.connect(tmp_path / "busy.db", isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # another process holds the write lock meanwhile
    try:
        status = await _health(app)
    finally:
        writer.execute("ROLLBACK")
        writer.close()
        app.close()
    assert status == (200, "ok")


async def test_health_gives_up_on_a_database_that_never_answers(tmp_path: Path) -> None:
    # A server that accepts connections and never says a word.
    silent = await asyncio.start_server(lambda r, w: None, "127.0.0.1", 0)
    port = silent.sockets[0].getsockname()[1]
    app = build(Settings(f"postgresql+psycopg://nobody@127.0.0.1:{port}/none", tmp_path))
    try:
        status, database = await _health(app)  # within the client's 5 s: it did not hang
    finally:
        silent.close()
        app.close()
    assert status == 503 and database in {"slow", "unreachable"}


async def _health(app: App) -> tuple[int, str]:
    server = make_server(app, schedule=False, workers=False)
    timeout = aiohttp.ClientTimeout(total=5)
    async with (
        TestServer(server, host="127.0.0.1") as running_server,
        aiohttp.ClientSession(timeout=timeout) as http,
        http.get(running_server.make_url("/healthz")) as response,
    ):
        return response.status, (await response.json())["database"]


def test_the_courier_pauses_while_what_is_due_cannot_be_claimed(
    chat: Chat, app: App, clock: ManualClock
) -> None:
    running(chat, app, clock)
    clock.set(MATCHED.replace(day=7, month=12, hour=10))  # the first check-ins fall due
    waiting = service(app)
    waiting.cadence.tick()
    with app.uow() as uow:
        workspace = uow.workspaces.ensure("console", "console", clock.now())
    # The workspace waits out a Retry-After: each look finds it due and claims
    # nothing, so the next look comes later and later, not in a tight loop.
    waiting.courier.pacing.hold(workspace.id, clock.now() + timedelta(minutes=1))
    pauses = [(waiting.send_due() or clock.now()) - clock.now() for _ in range(4)]
    assert pauses == [timedelta(seconds=s) for s in (0.5, 1.0, 2.0, 4.0)]
