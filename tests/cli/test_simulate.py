"""``tandem simulate``: a whole program in accelerated time, its log and its checks."""

from __future__ import annotations

import json
from collections import Counter
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner

from demo.sim.check import Finding
from demo.sim.simulate import START, simulate
from tandem.cli import main

MESSAGE_FIELDS = {"at", "to", "tz", "kind", "match", "key", "via", "text"}
REPLY_FIELDS = {"at", "from", "kind", "match", "answering", "text"}


def _run(out: Path, *, people: int, days: int, seed: int = 7) -> tuple[list[Finding], list[str]]:
    said: list[str] = []
    findings = simulate(
        people=people, days=days, seed=seed, program=None, out=out, echo=said.append
    )
    return findings, said


def _lines(out: Path) -> list[dict[str, Any]]:
    text = (out / "messages.jsonl").read_text(encoding="utf-8")
    return [json.loads(line) for line in text.splitlines()]


@pytest.fixture(scope="module")
def whole_program(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Finding], str]:
    """Twelve people for 200 days: long enough for wrap-ups and the next cycle."""
    out = tmp_path_factory.mktemp("sim")
    findings, said = _run(out, people=12, days=200)
    return out, findings, "\n".join(said)


def test_a_whole_program_obeys_every_rule_it_is_checked_for(
    whole_program: tuple[Path, list[Finding], str],
) -> None:
    _, findings, _ = whole_program
    assert [f.rule for f in findings if not f.passed] == []
    assert len(findings) == 7


def test_every_step_of_a_relationship_happens(
    whole_program: tuple[Path, list[Finding], str],
) -> None:
    out, _, summary = whole_program
    kinds = Counter(line["kind"] for line in _lines(out))
    for kind in ("intro", "checkin", "feedback", "goals", "milestone", "wrapup", "reply"):
        assert kinds[kind] > 0, kind
    assert "completed" in summary and "Wrap-ups answered: 0." not in summary


def test_each_line_has_the_documented_shape(
    whole_program: tuple[Path, list[Finding], str],
) -> None:
    out, _, _ = whole_program
    lines = _lines(out)
    people = json.loads((out / "people.json").read_text(encoding="utf-8"))
    for line in lines:
        at = datetime.fromisoformat(line["at"].replace("Z", "+00:00"))
        assert line["at"].endswith("Z") and at.utcoffset() == UTC.utcoffset(None)
        assert at >= START
        if line["kind"] == "reply":
            assert set(line) == REPLY_FIELDS and line["from"] in people
        else:
            assert set(line) == MESSAGE_FIELDS
            assert line["tz"] == people[line["to"]]["timezone"]
            ZoneInfo(line["tz"])
            assert line["via"] in ("schedule", "reply") and line["text"]
            assert line["match"] is None or isinstance(line["match"], int)
    assert [line["at"] for line in lines] == sorted(line["at"] for line in lines)


def test_the_same_seed_tells_the_same_story(tmp_path: Path) -> None:
    _run(tmp_path / "a", people=10, days=30, seed=3)
    _run(tmp_path / "b", people=10, days=30, seed=3)
    _run(tmp_path / "c", people=10, days=30, seed=4)
    a, b, c = (
        (tmp_path / x / "messages.jsonl").read_text(encoding="utf-8") for x in ("a", "b", "c")
    )
    assert a == b and a != c


def test_the_command_prints_a_summary_and_its_checks(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main, ["simulate", "--people", "8", "--days", "25", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0, result.output
    assert "Simulated 8 people" in result.output
    assert "Meetings per cycle" in result.output and "Feedback:" in result.output
    assert "✓ 7. exactly once" in result.output and "✗" not in result.output
    assert (tmp_path / "messages.jsonl").exists()


@pytest.mark.parametrize(
    ("args", "complaint"),
    [
        (["--people", "1"], "--people"),
        (["--days", "0"], "--days"),
        (["--program", "missing.yaml"], "missing.yaml"),
    ],
)
def test_bad_arguments_get_a_clear_message(tmp_path: Path, args: list[str], complaint: str) -> None:
    result = CliRunner().invoke(main, ["simulate", *args, "--out", str(tmp_path)])
    assert result.exit_code != 0 and complaint in result.output
    assert "Traceback" not in result.output
