"""Slack: how fast Tandem acknowledges, printed as figures (nothing is asserted).

    .venv/bin/python -m benchmarks.slack_ack [--quick]

Slack wants every slash command and interaction acknowledged within 3 s. Tandem
hands each to the engine (one database transaction) before it acknowledges, so
this measures that whole path over real HTTP on 127.0.0.1: a signed request in,
the ack out, against the fake Slack Web API of the tests, on the embedded SQLite
database. Delivery (posting the replies) runs after the ack and is not counted.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from pathlib import Path

from tests.slack.fake_slack import FakeSlack
from tests.slack.harness import Tandem, start_tandem, stop_tandem

USERS = [f"U0B{n:04d}" for n in range(50)]


async def _timed(tandem: Tandem, user: str, text: str) -> float:
    started = time.perf_counter()
    response = await tandem.command(user, text, settle=False)
    elapsed = time.perf_counter() - started
    assert response.status == 200
    return elapsed


async def run(requests: int) -> None:
    fake = FakeSlack()
    for user in USERS:
        fake.add_user(user, f"Person {user[-4:]}")
    await fake.start()
    with tempfile.TemporaryDirectory() as folder:
        tandem = await start_tandem(Path(folder), fake)
        try:
            for label, text in (
                ("/mentor help", "help"),
                ("/mentor join", "join engineering-growth"),
            ):
                times = []
                for n in range(requests):
                    times.append(await _timed(tandem, USERS[n % len(USERS)], text))
                await tandem.bridge.settle()
                _print(label, times)
        finally:
            await stop_tandem(tandem)
            await fake.stop()


def _print(label: str, times: list[float]) -> None:
    ordered = sorted(times)
    p95 = ordered[int(len(ordered) * 0.95) - 1] * 1000
    median, worst = statistics.median(times) * 1000, max(times) * 1000
    print(
        f"  {label:<14} {len(times):>4} requests: median {median:6.1f} ms, "
        f"p95 {p95:6.1f} ms, max {worst:6.1f} ms (Slack allows 3000 ms)"
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true", help="50 requests of each kind")
    args = parser.parse_args()
    print("Slack acknowledgements (signed HTTP request in, ack out; SQLite)")
    asyncio.run(run(50 if args.quick else 500))


if __name__ == "__main__":
    main()
