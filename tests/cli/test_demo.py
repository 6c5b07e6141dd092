"""``tandem demo`` tells the story of a synthetic workforce's six-month program."""

from __future__ import annotations

import json
import re
from pathlib import Path

from tandem.demo import run_demo


def test_the_demo_runs_a_whole_program_and_tells_it(tmp_path: Path) -> None:
    lines: list[str] = []
    run = run_demo(people=40, seed=3, out_dir=tmp_path, echo=lines.append)
    story = "\n".join(lines)
    assert len(run.people) == 40
    assert len({p.continent for p in run.people}) >= 3
    chapters = [
        "1. Meet the workforce",
        "2. ",
        "3. Everyone else joins",
        "4. When people don't follow the script",
        "5. The first matching round",
        "6. Six months in a few seconds",
        "7. Where things stand",
    ]
    positions = [story.index(f"\n{chapter}") for chapter in chapters]
    assert positions == sorted(positions)
    # Enrolment, with the awkward cases.
    assert "You're in," in story
    assert "I don't know the timezone “PST”." in story
    assert "Welcome back! Let's carry on where you left off (4 of 12 answered)." in story
    assert "Done: everything Tandem held about you has been erased." in story
    # The round, and the introductions waiting for working hours.
    assert "Published: " in story and "matches, 0 waiting. In " in story
    assert "isn't taking part" not in story
    # Six months: one pair's journey, from the introduction to the wrap-up.
    months = story[positions[5] : positions[6]]
    assert "== Meet your match ==" in months
    assert "Did you and " in months and "Yes, we met" in months
    assert re.search(r"Your 6 months with .+ in Engineering Growth", months)
    assert "will send nothing from 5 April to 9 April 2027" in months
    # The summary, and every check on what was sent holds.
    assert re.search(r"Wrap-ups answered: [1-9]\d*; would recommend", months)
    checks = [x for x in months.splitlines() if x.startswith(("  ✓", "  ✗"))]
    assert len(checks) == 6 and all(x.startswith("  ✓") for x in checks), checks
    log = [json.loads(x) for x in (tmp_path / "messages.jsonl").read_text().splitlines()]
    kinds = {x["kind"] for x in log}
    assert {"intro", "checkin", "feedback", "goals", "milestone", "wrapup", "reply"} <= kinds
    assert (tmp_path / "demo.db").exists()


def test_the_demo_starts_from_a_fresh_database_each_time(tmp_path: Path) -> None:
    first: list[str] = []
    second: list[str] = []
    run_demo(people=24, seed=5, out_dir=tmp_path, echo=first.append)
    log = (tmp_path / "messages.jsonl").read_text()
    run_demo(people=24, seed=5, out_dir=tmp_path, echo=second.append)
    assert first == second
    assert (tmp_path / "messages.jsonl").read_text() == log
