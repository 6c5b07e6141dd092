"""``tandem report``, run as a real process on a database with a running program."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest
from PIL import Image

from adapters.console.chat import WORKSPACE, ConsoleChat
from adapters.console.platform import PLATFORM
from adapters.reports.charts import META_KEY
from bot.clock import ManualClock
from tandem.bootstrap import App
from tests.cli.test_cli import tandem
from tests.conftest import on_sqlite
from tests.dialog import say
from tests.engine.cadence import Program, running

CHARTS = ("meeting-rate", "funnel", "ratings", "goals")


def _lived(chat: Callable[..., ConsoleChat], app: App, clock: ManualClock) -> Program:
    """Ana and Bo, matched a month ago: they met in the first cycle, Ana rated it."""
    pair = running(chat, app, clock)
    pair.day(14, hour=10)
    pair.screen(pair.ana), pair.screen(pair.bo)
    for line in ("1", "4", "We paired on a query.", "Joins.", "skip"):
        say(pair.ana, line)
    pair.day(30, hour=10)
    return pair


def _report(app: App, clock: ManualClock, *args: str) -> tuple[int, str, str]:
    at = clock.now().strftime("%Y-%m-%dT%H:%MZ")
    ran = tandem(
        "report",
        "engineering-growth",
        *args,
        "--at",
        at,
        env={"DATABASE_URL": app.settings.database_url, "TANDEM_DATA_DIR": str(Path(args[-1]))},
    )
    return ran.returncode, ran.stdout, ran.stderr


def test_the_report_writes_charts_csv_and_html_and_prints_numbers_and_verdicts(
    app: App, clock: ManualClock, chat: Callable[..., ConsoleChat], tmp_path: Path
) -> None:
    _lived(chat, app, clock)
    out = tmp_path / "report"
    code, stdout, stderr = _report(app, clock, "--out", str(out))
    assert code == 0, stderr
    assert stderr == ""
    assert "Engineering Growth Partners: 23 Nov 2026 to 23 Dec 2026" in stdout
    assert "People who joined: 2" in stdout  # Ana and Bo (the coordinator only runs it)
    assert "Matches running: 1" in stdout
    assert "Check-ins where the match met: 100% (of 1)" in stdout
    assert "Average session rating: hidden (too few answers)" in stdout
    assert "Success criteria:" in stdout and "too early to tell" in stdout
    day = "2026-12-23"
    expected = [
        *(f"engineering-growth-{name}-{day}.png" for name in CHARTS),
        f"engineering-growth-matches-{day}.csv",
        f"engineering-growth-participation-{day}.csv",
        f"engineering-growth-cycles-{day}.csv",
        "report.html",
    ]
    assert sorted(p.name for p in out.iterdir()) == sorted(expected)
    for name in expected:
        assert re.search(rf"  {re.escape(str(out / name))} \(\d[\d,]* (bytes|KB)\)", stdout), name
    for name in CHARTS:
        image = Image.open(out / f"engineering-growth-{name}-{day}.png")
        assert image.size == (800, 450)
        data = json.loads(image.text[META_KEY])  # type: ignore[attr-defined]
        assert data["name"] == name.replace("-", "_")
        if name == "ratings":
            assert data["values"] == [None] * 5  # one rating: hidden
        if name == "funnel":
            assert data["values"] == [2, 2, 2, 2]
    matches = list(csv.reader(io.StringIO((out / expected[4]).read_text())))
    assert matches[1][1:6] == ["Ana; Bo", matches[1][2], "2026-11-23", "running", "1"]
    people = list(csv.reader(io.StringIO((out / expected[5]).read_text())))
    assert [row[:2] for row in people[1:]] == [["Ana", "active"], ["Bo", "active"]]
    html = (out / "report.html").read_text()
    assert "<svg" in html and "<script" not in html and "Ana, Bo" in html
    assert "paired on a query" not in html + "".join(p.read_text() for p in out.glob("*.csv"))


def test_mistakes_are_explained_without_a_traceback(
    app: App, clock: ManualClock, chat: Callable[..., ConsoleChat], tmp_path: Path
) -> None:
    if not on_sqlite(app):
        pytest.skip("the command's checks do not depend on the database")
    _lived(chat, app, clock)
    url = {"DATABASE_URL": app.settings.database_url}
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    cases = [
        (("report", "no-such-program", "--out", str(tmp_path)), "No program 'no-such-program'"),
        (
            ("report", "engineering-growth", "--out", str(tmp_path), "--from", "2026-13-01"),
            "Invalid value for --from: a date such as 2027-03-01",
        ),
        (
            (
                "report",
                "engineering-growth",
                "--out",
                str(tmp_path),
                "--from",
                "2026-12-10",
                "--to",
                "2026-12-01",
            ),
            "--from 2026-12-10 is after --to 2026-12-01",
        ),
        (
            ("report", "engineering-growth", "--out", str(tmp_path), "--round", "999"),
            "engineering-growth has no round 999 (rounds: ",
        ),
        (("report", "engineering-growth", "--out", str(blocker / "in")), "Cannot write to "),
    ]
    for args, message in cases:
        ran = tandem(*args, env=url)
        assert ran.returncode != 0, args
        assert message in ran.stderr, ran.stderr
        assert "Traceback" not in ran.stderr + ran.stdout


def test_a_round_slices_the_report(
    app: App, clock: ManualClock, chat: Callable[..., ConsoleChat], tmp_path: Path
) -> None:
    if not on_sqlite(app):
        pytest.skip("slicing is the engine's, tested on both databases in tests/unit")
    _lived(chat, app, clock)
    with app.uow() as uow:
        workspace = uow.workspaces.ensure(PLATFORM, WORKSPACE, clock.now())
        program = uow.programs.get(workspace.id, "engineering-growth")
        assert program is not None
        (round_id,) = {m.round_id for m in uow.reports.facts(program.id).matches}
    out = tmp_path / "round"
    code, stdout, stderr = _report(app, clock, "--round", str(round_id), "--out", str(out))
    assert code == 0, stderr
    assert f"23 Nov 2026 to 23 Dec 2026, round {round_id}" in stdout
    assert "People who joined: 2" in stdout  # the round's people: Ana and Bo
    assert "Matches running: 1" in stdout
    assert (out / f"engineering-growth-round-{round_id}-matches-2026-12-23.csv").is_file()
