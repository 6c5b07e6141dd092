"""The simulation: how long a whole program takes, printed as figures (nothing is asserted).

    .venv/bin/python -m benchmarks.simulation [--quick] [--runs N]

``tandem simulate --people 200 --days 180`` should finish well inside a minute.
This runs exactly that (``--quick``: 60 people for 60 days) and prints wall and
CPU time, peak memory, and how much database work it took: statements and
transactions, in all and per event handled. Statement counts do not depend on
the machine's speed, so they show whether a change did less work even when the
wall time is noisy (it is, on shared virtual machines).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, event

from demo.sim.simulate import simulate


class _Counter:
    """Counts statements and commits on every engine (the simulation builds its own)."""

    def __init__(self) -> None:
        self.statements = self.commits = 0

    def __enter__(self) -> _Counter:
        event.listen(Engine, "before_cursor_execute", self._statement)
        event.listen(Engine, "commit", self._commit)
        return self

    def __exit__(self, *_: object) -> None:
        event.remove(Engine, "before_cursor_execute", self._statement)
        event.remove(Engine, "commit", self._commit)

    def _statement(self, *_: Any) -> None:
        self.statements += 1

    def _commit(self, *_: Any) -> None:
        self.commits += 1


def _answers(log: Path) -> int:
    with log.open(encoding="utf-8") as lines:
        return sum('"kind": "reply"' in line for line in lines)


def run(people: int, days: int, runs: int) -> None:
    walls, cpus = [], []
    for n in range(runs):
        with tempfile.TemporaryDirectory() as folder, _Counter() as counted:
            out = Path(folder)
            cpu, wall = time.process_time(), time.perf_counter()
            findings = simulate(
                people=people, days=days, seed=7, program=None, out=out, echo=lambda _: None
            )
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
            answers = _answers(out / "messages.jsonl")
        broken = [f for f in findings if not f.passed]
        print(
            f"  run {n + 1}: {walls[-1]:.1f} s wall, {cpus[-1]:.1f} s CPU; "
            f"{'all checks pass' if not broken else f'{len(broken)} checks FAILED'}"
        )
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(
        f"tandem simulate --people {people} --days {days}: median {statistics.median(walls):.1f} s "
        f"wall (fastest {min(walls):.1f}, slowest {max(walls):.1f}), "
        f"median {statistics.median(cpus):.1f} s CPU, peak {peak:.0f} MiB"
    )
    print(
        f"  database work per run (the same each run): {counted.statements:,} statements, "
        f"{counted.commits:,} transactions; {answers:,} answers handled, "
        f"{counted.statements / max(answers, 1):.1f} statements per answer"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="60 people for 60 days")
    parser.add_argument("--runs", type=int, default=None, help="how many runs (default 3, 1 quick)")
    options = parser.parse_args()
    people, days = (60, 60) if options.quick else (200, 180)
    run(people, days, options.runs or (1 if options.quick else 3))


if __name__ == "__main__":
    main()
