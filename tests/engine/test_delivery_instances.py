"""Two instances racing on a shared database (SQLite and PostgreSQL too): every
scheduled message and every reply goes out exactly once."""

from __future__ import annotations

import threading
from collections import Counter
from collections.abc import Callable
from datetime import timedelta

from adapters.console.chat import PLATFORM, WORKSPACE, ConsoleChat
from adapters.console.platform import ConsolePlatform
from bot.cadence.due import Cadence
from bot.clock import ManualClock
from bot.delivery import Courier
from bot.events import Actor, CommandIssued
from bot.outbound import Outbound
from tandem.bootstrap import App
from tests.conftest import another_instance, on_databases
from tests.engine.cadence import running
from tests.engine.delivery import FakePlatform, courier_for
from tests.engine.stored import count, rows

Chat = Callable[..., ConsoleChat]


@on_databases  # instances racing on a shared database
def test_two_instances_side_by_side_send_every_message_exactly_once(
    chat: Chat, app: App, clock: ManualClock
) -> None:
    running(chat, app, clock)
    second = another_instance(app, clock)
    recorder = FakePlatform(ConsolePlatform(app.uow, clock))
    instances = [
        (Cadence(instance.uow, clock), courier_for(instance, recorder, f"instance-{n}"))
        for n, instance in enumerate((app, second))
    ]
    start = threading.Barrier(2)

    def run(n: int) -> None:
        cadence, courier = instances[n]
        start.wait()
        for _ in range(5):
            cadence.tick()
            courier.run_once()

    already = {key for key, status in _scheduled(app) if status == "sent"}
    base = clock.now().replace(hour=10)
    for day in (0, 14, 21, 28, 30, 42, 60):
        clock.set(base + timedelta(days=day))
        threads = [threading.Thread(target=run, args=(n,)) for n in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    counts = Counter(recorder.sent)
    assert counts and all(n == 1 for n in counts.values()), counts.most_common(3)
    scheduled = _scheduled(app)
    assert {key for key, _ in scheduled} - already == set(counts)  # each went out, once
    assert {status for _, status in scheduled} == {"sent"}
    second.close()


def _scheduled(app: App) -> list[tuple[str, str]]:
    """(key, status) of every message the schedule queued (not replies)."""
    return [(row.key, row.status) for row in rows(app, "outbox", source=None)]


@on_databases  # instances racing on a shared database
def test_replies_go_out_once_when_two_instances_race_a_slow_platform(
    app: App, clock: ManualClock
) -> None:
    for n in range(30):
        actor = Actor(WORKSPACE, f"user{n}", f"User {n}", None, PLATFORM)
        app.engine.handle(CommandIssued(event_id=f"e{n}", actor=actor, text="help"))
    lock = threading.Lock()

    def slow(outbound: Outbound, again: bool, number: int) -> None:
        with lock:
            clock.advance(timedelta(seconds=20))  # a slow Slack: leases run down

    platform = FakePlatform(script=slow)
    second = another_instance(app, clock)
    couriers = [courier_for(app, platform, "one"), courier_for(second, platform, "two")]
    start = threading.Barrier(2)

    def run(courier: Courier) -> None:
        start.wait()
        for _ in range(40):
            courier.run_once()

    threads = [threading.Thread(target=run, args=(c,)) for c in couriers]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    counts = Counter(platform.sent)
    assert len(counts) == 30 and set(counts.values()) == {1}, counts.most_common(3)
    assert count(app, "outbox", status="sent") == 30
    second.close()
