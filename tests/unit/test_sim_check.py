"""The simulation's checker catches each broken rule (so a passing run means something)."""

from __future__ import annotations

from typing import Any

from bot.cadence.calendar import Hours
from demo.sim.check import Finding, check

HOURS = {"ana": Hours("Europe/Berlin"), "bo": Hours("America/New_York")}
INTRO = (
    "Why you: ... Your first meeting ... Your mentoring agreement ... "
    "Ana will suggest a time for the first meeting"
)
# Monday 2027-01-11: 09:00 in Berlin is 08:00Z; 09:00 in New York is 14:00Z.
MONDAY_BERLIN_MORNING = "2027-01-11T08:30:00Z"
MONDAY_BOTH_AT_WORK = "2027-01-11T14:30:00Z"


def _sent(kind: str, to: str, at: str, key: str, match: int | None = 1, **more: Any) -> dict:
    line = {"at": at, "to": to, "tz": HOURS[to].timezone, "kind": kind, "match": match}
    return line | {"key": key, "via": "schedule", "text": kind} | more


def _answer(who: str, at: str, answering: str, text: str, match: int = 1) -> dict:
    return {
        "at": at,
        "from": who,
        "kind": "reply",
        "match": match,
        "answering": answering,
        "text": text,
    }


def _good() -> list[dict]:
    return [
        _sent("intro", "ana", MONDAY_BOTH_AT_WORK, "intro:1", text=INTRO),
        _sent("intro", "bo", MONDAY_BOTH_AT_WORK, "intro:1", text=INTRO),
        _sent("checkin", "ana", MONDAY_BERLIN_MORNING, "checkin1"),
        _answer("ana", "2027-01-11T09:00:00Z", "checkin", "Not yet"),
        _sent("reminder", "ana", "2027-01-13T09:00:00Z", "reminder1"),
        _answer("ana", "2027-01-13T10:00:00Z", "reminder", "Yes, we met"),
        _sent("feedback", "ana", "2027-01-13T10:00:00Z", "feedback:1:1:1", via="reply"),
    ]


def _failed(lines: list[dict]) -> list[str]:
    findings: list[Finding] = check(lines, HOURS, per_week=3, unsent=0)
    return [f.rule for f in findings if not f.passed]


def test_a_good_log_passes() -> None:
    assert _failed(_good()) == []


def test_a_second_introduction_or_a_missing_part_fails_rule_1() -> None:
    twice = [*_good(), _sent("intro", "ana", MONDAY_BOTH_AT_WORK, "intro:1b", text=INTRO)]
    partial = [*_good(), _sent("intro", "ana", MONDAY_BOTH_AT_WORK, "intro:2", match=2)]
    assert _failed(twice) == ["1. one introduction per match, complete"]
    assert "1. one introduction per match, complete" in _failed(partial)


def test_a_reminder_without_not_yet_or_feedback_before_a_meeting_fails_rule_2() -> None:
    lines = [x for x in _good() if x.get("text") != "Not yet"]
    assert _failed(lines) == ["2. the cadence: reminders, feedback, no blame"]
    early = [*_good()[:3], _sent("feedback", "bo", MONDAY_BOTH_AT_WORK, "feedback:1:1:2")]
    assert _failed(early) == ["2. the cadence: reminders, feedback, no blame"]


def test_telling_a_partner_the_match_was_not_working_fails_rule_2() -> None:
    blame = _sent("rematch", "bo", MONDAY_BOTH_AT_WORK, "stop:1", text="Ana said it wasn't working")
    assert _failed([*_good(), blame]) == ["2. the cadence: reminders, feedback, no blame"]


def test_a_message_at_night_or_on_a_weekend_fails_rule_6() -> None:
    night = _sent("checkin", "bo", MONDAY_BERLIN_MORNING, "checkin2")  # 03:30 in New York
    saturday = _sent("checkin", "ana", "2027-01-16T10:00:00Z", "checkin3")
    assert _failed([*_good(), night]) == ["6. working hours on weekdays"]
    assert _failed([*_good(), saturday]) == ["6. working hours on weekdays"]


def test_a_fourth_message_in_a_week_fails_the_budget() -> None:
    more = [_sent("milestone", "ana", f"2027-01-1{d}T10:00:00Z", f"m{d}") for d in (2, 4)]
    assert _failed([*_good(), *more]) == ["6. weekly message budget"]


def test_a_message_delivered_twice_or_never_fails_rule_7() -> None:
    twice = [*_good(), _sent("checkin", "ana", MONDAY_BERLIN_MORNING, "checkin1")]
    assert _failed(twice) == ["7. exactly once, nothing lost"]
    findings = check(_good(), HOURS, per_week=3, unsent=1)
    assert [f.rule for f in findings if not f.passed] == ["7. exactly once, nothing lost"]


def test_an_apology_for_a_failure_fails_the_run() -> None:
    sorry = _sent("error", "ana", MONDAY_BOTH_AT_WORK, "e1#error", match=None, via="reply")
    assert _failed([*_good(), sorry]) == ["every answer handled"]
