"""``tandem demo`` tells the story of a synthetic workforce's six-month program."""

from __future__ import annotations

import collections
import json
import os
import re
import shlex
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from adapters.console.chat import WORKSPACE
from adapters.console.platform import PLATFORM
from demo.run import DemoRun
from demo.story import _tandem, run_demo


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
    assert len(checks) == 7 and all(x.startswith("  ✓") for x in checks), checks
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


@pytest.fixture(scope="module")
def story(tmp_path_factory: pytest.TempPathFactory) -> tuple[DemoRun, str, Path]:
    out = tmp_path_factory.mktemp("demo")
    lines: list[str] = []
    run = run_demo(people=40, seed=3, out_dir=out, echo=lines.append)
    return run, "\n".join(lines), out


def _section(story: str, start: str, end: str) -> list[str]:
    return story[story.index(start) : story.index(end)].splitlines()


def test_the_followed_pair_is_never_asked_about_a_meeting_nobody_reported(
    story: tuple[DemoRun, str, Path],
) -> None:
    _, told, _ = story
    timeline = _section(told, "What happened next", "When someone says")[1:]
    said_met = False
    for line in timeline:
        if "Did you and " in line:
            said_met = False
        elif "Yes, we met" in line:
            said_met = True
        elif "How useful was" in line:
            assert said_met, f"a rating asked before anyone said they met: {line}"


def test_the_isnt_working_example_follows_one_match(story: tuple[DemoRun, str, Path]) -> None:
    _, told, _ = story
    (partner,) = re.findall(r"without blame \(to (.+?)\):\n\s+(.+)", told, flags=re.MULTILINE)
    (digest,) = re.findall(
        r"digest lists it \(to .+?\):\n((?:\s{4}.+\n)+)", told, flags=re.MULTILINE
    )
    # "Your match with A ... has ended": the digest lists A and the partner told.
    ender = partner[1].removeprefix("Your match with ").split(" in ")[0]
    listed = " ".join(digest.split())
    assert "Ended as not working this week" in listed
    assert f"{ender} and {partner[0]}" in listed or f"{partner[0]} and {ender}" in listed


def test_the_totals_agree(story: tuple[DemoRun, str, Path]) -> None:
    told = " ".join(story[1].split())
    summary = re.search(r"joined; ([\d,]+) messages from Tandem, ([\d,]+) answers", told)
    whole = re.search(r"six months' ([\d,]+) answers and ([\d,]+) messages among them", told)
    assert summary and whole
    assert (summary[1], summary[2]) == (whole[2], whole[1])


def test_nobody_sets_the_same_goal_twice_in_a_match(story: tuple[DemoRun, str, Path]) -> None:
    run, _, _ = story
    with run.app.uow() as uow:
        workspace = uow.workspaces.ensure(PLATFORM, WORKSPACE, run.clock.now())
        program = uow.programs.get(workspace.id, "engineering-growth")
        assert program is not None
        goals = uow.goals.of_program(program.id)
    kinds = collections.Counter(
        (g.match_id, g.person_id, re.sub(r" (by|in) .*", "", g.text)) for g in goals
    )
    assert goals and max(kinds.values()) == 1


def test_the_last_line_steps_into_the_demo_on_its_own_time_line(
    story: tuple[DemoRun, str, Path],
) -> None:
    run, told, out = story
    command = told.splitlines()[-1].strip()
    assert command.startswith(f"DATABASE_URL=sqlite:///{out}/demo.db ")
    words = shlex.split(command)
    env = {**os.environ, **dict(w.split("=", 1) for w in words[:1])}
    # As printed, but with this interpreter: the test does not run from .venv/bin.
    program = [sys.executable, "-m", "tandem", *words[words.index("chat") :]]
    done = subprocess.run(
        program,
        input="match\npause for 2 weeks\n",
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    end = run.clock.now().date()
    back = re.search(r"until (\d+ \w+ \d{4})", done.stdout)
    assert back, done.stdout
    assert datetime.strptime(back[1], "%d %B %Y").date() >= end + timedelta(days=13)
    # What the simulated person saw counts as read: no six-month-old prompts.
    first = done.stdout.split("> match", 1)[0]
    assert "Set one to three goals" not in first and "you're matched with" in done.stdout


def test_the_command_is_printed_as_it_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    (tmp_path / ".venv" / "bin").mkdir(parents=True)
    monkeypatch.setattr(sys, "argv", [str(tmp_path / ".venv" / "bin" / "tandem"), "demo"])
    assert _tandem() == ".venv/bin/tandem"
    monkeypatch.setattr(sys, "argv", ["/somewhere/else/tandem", "demo"])
    assert _tandem() == "/somewhere/else/tandem"
