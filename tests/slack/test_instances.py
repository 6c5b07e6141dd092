"""Two instances on PostgreSQL share the outbox; one is killed (``kill -9``) in the
middle of a post. Every message of the round still reaches Slack exactly once.

Real processes, so real time: the survivor takes the dead instance's messages
over when their lease (3 s here) runs out. The test waits for that, with a
deadline, by watching the database.
"""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select

from adapters.slack.platform import PLATFORM
from bot.admin import bundled_programs, install_programs
from bot.events import Actor, ChoicePicked, CommandIssued, FormSubmitted, Surface
from demo.sim.habits import form_values
from demo.workforce import workforce
from fakes.slack import TEAM, FakeSlack, Faults
from store.tables import OutboxRow
from tandem.bootstrap import App, build
from tests.slack.instance import StoryClock, settings
from tests.slack.tandem_server import COORDINATOR, START

PEOPLE = 80
FIRST, SECOND = "xoxb-first-instance", "xoxb-second-instance"
FORMS = Surface(forms=True)
ROOT = Path(__file__).resolve().parents[2]


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _enrol(app: App) -> None:
    """80 people join through the engine, as their Slack requests would make them."""
    spec = bundled_programs()[0]
    for n, person in enumerate(workforce(PEOPLE, 3, spec.skills)):
        actor = Actor(TEAM, f"U0P{n:04d}", person.name, "Europe/London", PLATFORM)
        # All at work on the tests' Monday morning: the round goes out at once.
        values = {
            **form_values(person, spec),
            "timezone": "Europe/London",
            "working_hours": "08:00-18:00",
            "manager": (),
            "avoid": (),
        }
        for event in (
            CommandIssued(event_id=f"j{n}", actor=actor, text="join engineering-growth"),
            ChoicePicked(
                event_id=f"a{n}",
                actor=actor,
                surface=FORMS,
                action="agree:engineering-growth",
                values=("yes",),
            ),
            FormSubmitted(
                event_id=f"f{n}",
                actor=actor,
                surface=FORMS,
                form="intake:engineering-growth",
                values=values,
            ),
        ):
            outcome = app.engine.handle(event)
            assert not outcome.form_errors, outcome.form_errors


def _command(app: App, text: str, event_id: str) -> None:
    actor = Actor(TEAM, COORDINATOR, "Cora", None, PLATFORM)
    app.engine.handle(CommandIssued(event_id=event_id, actor=actor, text=text))


def _statuses(app: App) -> dict[str, str]:
    with app.database.connect() as db:
        return {row.key: row.status for row in db.execute(select(OutboxRow.key, OutboxRow.status))}


@pytest.fixture
def running(tmp_path: Path) -> Iterator[list[subprocess.Popen[bytes]]]:
    processes: list[subprocess.Popen[bytes]] = []
    yield processes
    for process in processes:
        if process.poll() is None:
            process.terminate()
            process.wait(timeout=20)


@pytest.mark.parametrize(
    "database_url", [pytest.param("postgresql", marks=pytest.mark.postgres)], indirect=True
)
async def test_two_instances_deliver_a_round_exactly_once_when_one_dies_mid_post(
    database_url: str, fake: FakeSlack, running: list[subprocess.Popen[bytes]]
) -> None:
    origin = time.time()
    app = build(settings(database_url, FIRST, fake.url), clock=StoryClock(START, origin))
    for n in range(PEOPLE):
        fake.add_user(f"U0P{n:04d}", f"Person {n}")
    programs = [s.model_copy(update={"coordinators": (COORDINATOR,)}) for s in bundled_programs()]
    install_programs(app.uow, app.clock, PLATFORM, TEAM, programs)
    _enrol(app)
    _command(app, "round engineering-growth preview", "c1")
    while await asyncio.to_thread(app.courier().drain):  # the replies so far, no faults yet
        pass
    before = set(_statuses(app))
    _command(app, "round engineering-growth publish", "c2")
    round_keys = set(_statuses(app)) - before
    assert sum(k.endswith(":intro") for k in round_keys) == PEOPLE // 2
    with app.database.connect() as db:
        later = db.scalar(select(OutboxRow.not_before).order_by(OutboxRow.not_before.desc()))
    assert later is not None and later <= app.clock.now()  # all of it is due now

    fake.tokens |= {FIRST: TEAM, SECOND: TEAM}
    fake.faults = Faults(ratelimited=0.2, retry_after=1, errors=0.05, posted_then_error=0.05)
    fake.faults.delay = 0.01  # a slow Slack: posts are in flight long enough to die in
    fake.stall_at[FIRST] = 8  # the first instance's 8th post is made, then never answered
    for token in (FIRST, SECOND):
        args = [sys.executable, "-m", "tests.slack.instance"]
        args += [database_url, str(_port()), token, fake.url, repr(origin)]
        running.append(subprocess.Popen(args, cwd=ROOT, env={**os.environ}))
    await asyncio.wait_for(fake.stalled.wait(), 60)
    os.kill(running[0].pid, signal.SIGKILL)  # mid-send: posted, not recorded
    running[0].wait(timeout=10)

    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        statuses = _statuses(app)
        if all(statuses[k] == "sent" for k in round_keys):
            break
        await asyncio.sleep(0.25)  # the fake Slack answers on this loop meanwhile
    statuses = _statuses(app)
    assert Counter(statuses[k] for k in round_keys) == {"sent": len(round_keys)}
    posted = fake.posted()
    assert {k: posted[k] for k in round_keys} == dict.fromkeys(round_keys, 1)
    by = Counter(call.token for call in fake.of("chat.postMessage"))
    assert by[FIRST] >= 8 and by[SECOND] > 0  # both instances sent
    assert fake.faults.seen["ratelimited"] > 0 and fake.faults.seen["posted_then_error"] > 0
    app.close()
