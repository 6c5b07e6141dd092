"""The coordinators' report: how long it takes to build and draw, printed (not asserted).

    .venv/bin/python -m benchmarks.report [--quick]

A program of N people in pairs, six months in (twelve bi-weekly cycles, feedback
after most meetings, goals, a few ended matches): the facts are made in memory,
so this measures the engine's report (``build_report``) and the charts
(matplotlib), not the database. The weekly digest builds the report twice per
program; ``report`` in chat once.
"""

from __future__ import annotations

import argparse
import random
import time
import tracemalloc
from datetime import UTC, datetime, timedelta

from adapters.reports.charts import png
from bot.admin import bundled_programs
from bot.model import Answer, GoalStatus, MatchStatus, Program, Status
from bot.report.build import build_report
from bot.report.charts import charts_of
from bot.report.facts import (
    CheckinFact,
    FeedbackFact,
    GoalFact,
    MatchFact,
    NoticeFact,
    PersonFact,
    ProgramFacts,
    RoundFact,
)

START = datetime(2027, 1, 4, 9, tzinfo=UTC)
NOW = START + timedelta(days=26 * 7)


def facts(people: int, seed: int = 7) -> ProgramFacts:
    rng = random.Random(seed)
    persons = [
        PersonFact(i, f"U{i}", f"Person {i}", Status.ACTIVE, START, START, None)
        for i in range(people)
    ]
    matches, checkins, feedback, notices, goals = [], [], [], [], []
    for n in range(people // 2):
        a, b = 2 * n, 2 * n + 1
        ended = rng.random() < 0.1
        matches.append(
            MatchFact(
                n,
                1,
                MatchStatus.ENDED if ended else MatchStatus.ACTIVE,
                "pair",
                (a, b),
                START,
                START,
                START + timedelta(days=60) if ended else None,
                "not_working" if ended else None,
            )
        )
        for cycle in range(1, 5 if ended else 13):
            due = START.date() + timedelta(days=14 * cycle)
            met = rng.random() < 0.85
            for who in (a, b):
                answer = (Answer.YES if met else Answer.NOT_YET) if rng.random() < 0.9 else None
                checkins.append(CheckinFact(n, who, cycle, due, answer))
                if met:
                    asked = datetime.combine(due, START.timetz())
                    notices.append(NoticeFact("feedback", who, asked, False, n))
                    if rng.random() < 0.8:
                        rating = rng.randint(3, 5)
                        feedback.append(
                            FeedbackFact(n, who, asked, rating, asked + timedelta(hours=2))
                        )
        for who in (a, b):
            status = rng.choice(list(GoalStatus))
            goals.append(GoalFact(n, who, status, START + timedelta(days=3)))
    return ProgramFacts(
        people=persons,
        rounds=[RoundFact(1, START, START, ())],
        matches=matches,
        checkins=checkins,
        feedback=feedback,
        goals=goals,
        milestones=[],
        wrapups=[],
        notices=notices,
    )


def measure(people: int) -> None:
    program = Program(1, 1, bundled_programs()[0], START - timedelta(days=7))
    made = facts(people)
    began = time.perf_counter()
    report = build_report(program, made, NOW)
    built = time.perf_counter() - began
    tracemalloc.start()  # a second build, traced: tracing slows it several times
    build_report(program, made, NOW)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    began = time.perf_counter()
    sizes = [len(png(chart)) for chart in charts_of(report)]
    drawn = time.perf_counter() - began
    rows = len(made.checkins) + len(made.feedback) + len(made.notices)
    print(
        f"  {people:>7,} people ({rows:>9,} facts): report {built:6.2f} s, "
        f"peak {peak / 2**20:6.1f} MB above the facts; "
        f"4 charts {drawn:5.2f} s ({sum(sizes) / 1024:.0f} KB)"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="small sizes only")
    sizes = (1_000, 5_000) if parser.parse_args().quick else (1_000, 10_000, 50_000)
    print("The coordinators' report (build_report, then the charts as PNG):")
    for people in sizes:
        measure(people)


if __name__ == "__main__":
    main()
