"""The ``tandem`` command, run as a real process with piped input."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.engine.scripts import ANSWERS

ROOT = Path(__file__).parents[2]


def tandem(
    *args: str, stdin: str = "", db: Path | None = None, env: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    if db is not None:
        environment["DATABASE_URL"] = f"sqlite:///{db}"
    environment.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "tandem", *args],
        input=stdin,
        capture_output=True,
        text=True,
        env=environment,
        cwd=ROOT,
        timeout=120,
        check=False,
    )


def _script(*lines: str) -> str:
    return "".join(f"{line}\n" for line in lines)


def test_a_scripted_enrolment_through_a_pipe(tmp_path: Path) -> None:
    result = tandem(
        "chat",
        "--as",
        "Alice",
        stdin=_script("join engineering-growth", "I agree", *ANSWERS, "profile"),
        db=tmp_path / "t.db",
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "alice> join engineering-growth" in out
    assert "== You're in, Alice! ==" in out
    assert "== Your profile in Engineering Growth Partners ==" in out
    assert result.stderr == ""


def test_a_hostile_session_through_a_pipe_gets_answers_not_tracebacks(tmp_path: Path) -> None:
    result = tandem(
        "chat",
        "--as",
        "Mallory",
        stdin=_script(
            "x" * 10_000,
            "/mentor teleport",
            "join engineering-growth",
            "I agree",
            "99",
            "1",
            "SQL",
            "4",
            "9",
            "3",
            "Atlantis",
            "Europe/Berlin",
            "24-25",
            "9-17",
            "1\x1b[2J",
            "1",
            "peer",
            "yes",
            "skip",
            "none",
            "\u202eevil",
            "ok then",
        ),
        db=tmp_path / "t.db",
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for expected in (
        "That message is 10,000 characters long",
        "Sorry, I don't know “teleport”.",
        "“99” isn't one of the options.",
        "“9” isn't one of the options.",
        "I don't know the timezone “Atlantis”.",
        "25:00 isn't a time of day.",
        "control character (U+001B)",
        "invisible text-direction characters",
        "== You're in, Mallory! ==",
    ):
        assert expected in out
    assert "Traceback" not in out + result.stderr
    assert "\x1b" not in out


def test_a_survey_stopped_in_one_process_resumes_in_the_next(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    tandem(
        "chat",
        "--as",
        "Bo",
        stdin=_script("join engineering-growth", "I agree", *ANSWERS[:3]),
        db=db,
    )
    result = tandem("chat", "--as", "Bo", stdin=_script("join"), db=db)
    assert "Welcome back! Let's carry on where you left off (3 of 12 answered)." in result.stdout


def test_messages_left_undelivered_are_shown_when_the_chat_opens(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    first = tandem("chat", "--as", "Bo", stdin=_script("help"), db=db)
    assert first.stdout.count("I run peer mentoring here") == 1
    again = tandem("chat", "--as", "Bo", stdin="", db=db)
    assert again.stdout == ""  # delivered already: nothing waits


def test_program_check_lists_every_problem(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        (ROOT / "bot/content/programs/engineering-growth.yaml")
        .read_text()
        .replace("duration_months: 6", "duration_months: 24")
        .replace("cadence: biweekly", "cadence: fortnightly")
    )
    result = tandem("program", "check", str(bad), "bot/content/programs/leadership-mentoring.yaml")
    assert result.returncode == 1
    assert f"{bad}: cadence: Input should be 'weekly', 'biweekly'" in result.stderr
    assert (
        f"{bad}: duration_months: Input should be less than or equal to 12 (got 24)"
        in result.stderr
    )
    assert "leadership-mentoring.yaml: OK (leadership-mentoring, 9 questions" in result.stdout


def test_a_new_program_can_be_added_and_joined(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    spec = tmp_path / "mine.yaml"
    spec.write_text(
        tandem("program", "example")
        .stdout.replace("slug: engineering-growth", "slug: data-circle")
        .replace("name: Engineering Growth Partners", "name: Data Circle")
    )
    assert tandem("program", "add", str(spec), db=db).returncode == 0
    listed = tandem("chat", "--as", "Cy", stdin=_script("programs"), db=db)
    assert "Data Circle (data-circle)" in listed.stdout


def test_db_upgrade_then_current(tmp_path: Path) -> None:
    db = tmp_path / "t.db"
    first = tandem("db", "upgrade", db=db)
    assert "(was empty)" in first.stdout
    assert "(unchanged)" in tandem("db", "upgrade", db=db).stdout
    current = tandem("db", "current", db=db).stdout
    assert (
        current.startswith("database: ") and current.split()[1].rstrip(";") == current.split()[-1]
    )


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("mysql://root@localhost/x", "DATABASE_URL must point at SQLite or PostgreSQL, not mysql."),
        ("not a url", "DATABASE_URL is not a database URL."),
        (
            "postgresql+psycopg://nobody@127.0.0.1:1/none",
            "Cannot use the database at postgresql+psycopg://nobody@127.0.0.1:1",
        ),
    ],
)
def test_configuration_mistakes_are_explained(url: str, message: str) -> None:
    result = tandem("db", "upgrade", env={"DATABASE_URL": url})
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_name_is_refused_clearly(tmp_path: Path) -> None:
    result = tandem("chat", "--as", "\x1b[31m", db=tmp_path / "t.db")
    assert result.returncode == 2
    assert "control character" in result.stderr
