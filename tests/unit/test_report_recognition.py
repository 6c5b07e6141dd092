"""The report's share of recognition and the adjustment loop: kudos and spotlight
counts, program-survey aggregates behind the program's minimum group, shared
survey comments only as a list of ten, and program changes on the time line."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from adapters.console.render import render
from bot.adjustment import changes_between
from bot.report.build import MIN_COMMENTS, build_report
from bot.report.facts import ChangeFact, RecognitionFact, SurveyFact
from bot.report.message import report_message
from bot.report.window import Window
from tests.unit.report_facts import NOW, ROUND, known_facts, known_program


def _surveys(people: int, *, shared: int = 0) -> list[SurveyFact]:
    asked = ROUND + timedelta(days=30)
    return [
        SurveyFact(
            pid,
            "day30",
            asked,
            growth=4 if pid % 2 else 5,
            supported=5,
            recommend=8,
            answered_at=asked + timedelta(hours=2),
            shared=f"comment {pid:02d}" if pid <= shared else None,
        )
        for pid in range(1, people + 1)
    ]


def test_kudos_and_spotlights_are_counted_and_nothing_else() -> None:
    kudos = [RecognitionFact("kudos", 1, ROUND + timedelta(days=d), None) for d in (3, 4, 10, 20)]
    posted = ROUND + timedelta(days=12)
    facts = replace(
        known_facts(),
        recognitions=[
            *kudos,
            RecognitionFact("kudos", 2, ROUND + timedelta(days=11), posted),
            RecognitionFact("spotlight", 99, ROUND + timedelta(days=30), NOW - timedelta(days=1)),
            RecognitionFact("spotlight", 99, ROUND + timedelta(days=31), None),  # not agreed
        ],
    )
    report = build_report(known_program(), facts, NOW)
    assert report.figure("kudos_given").value == 5
    assert report.figure("spotlights_posted").value == 2
    text = render(report_message(report, charts=False))
    assert "Recognition: kudos 5 · spotlights 2" in " ".join(text.split())
    # A window sees only its own.
    early = Window(ROUND.date(), (ROUND + timedelta(days=5)).date())
    assert build_report(known_program(), facts, NOW, early).figure("kudos_given").value == 2


def test_survey_aggregates_are_hidden_below_the_minimum_group() -> None:
    few = build_report(known_program(), replace(known_facts(), surveys=_surveys(4)), NOW)
    for metric in ("survey_growth", "survey_supported", "survey_recommend"):
        figure = few.figure(metric)
        assert figure.suppressed and figure.value is None and figure.base == 4
    assert few.figure("survey_answered").value == 4  # a count of status, not of answers
    assert "helps me grow hidden (too few answers)" in " ".join(
        render(report_message(few, charts=False)).split()
    )
    enough = build_report(known_program(), replace(known_facts(), surveys=_surveys(5)), NOW)
    assert enough.figure("survey_growth").value == (4 + 5 + 4 + 5 + 4) / 5
    assert enough.figure("survey_supported").value == 5
    assert enough.figure("survey_recommend").value == 8
    # The program's own threshold applies.
    stricter = known_program(reporting={"min_group": 6})
    assert (
        build_report(stricter, replace(known_facts(), surveys=_surveys(5)), NOW)
        .figure("survey_growth")
        .suppressed
    )


def test_survey_comments_only_when_shared_and_only_ten_or_more() -> None:
    nine = build_report(
        known_program(), replace(known_facts(), surveys=_surveys(12, shared=9)), NOW
    )
    assert nine.survey_comments == () and nine.survey_comments_shared == 9
    assert "comment 01" not in render(report_message(nine, charts=False))
    ten = build_report(
        known_program(), replace(known_facts(), surveys=_surveys(12, shared=MIN_COMMENTS)), NOW
    )
    assert ten.survey_comments == tuple(f"comment {n:02d}" for n in range(1, 11))
    assert "Program survey: what people chose to share" in render(report_message(ten, charts=False))


def test_a_program_change_is_marked_on_the_time_line() -> None:
    changed = ROUND + timedelta(days=30)  # 11 Feb: in the cycle of 9 Feb
    facts = replace(
        known_facts(),
        changes=[ChangeFact(changed, "cadence", "every two weeks", "every week")],
    )
    report = build_report(known_program(), facts, NOW)
    [mark] = report.changes
    assert (mark.day, mark.description) == (changed.date(), "cadence: every two weeks → every week")
    meetings = report.chart("meeting_rate")
    assert meetings.markers == ("9 Feb",)
    assert "the program changed in the cycle of 9 Feb" in meetings.note
    text = " ".join(render(report_message(report)).split())
    assert "Changes to the program - 11 Feb 2026: cadence: every two weeks → every week" in text
    # Outside the window, no mark.
    before = Window(ROUND.date(), (ROUND + timedelta(days=20)).date())
    assert build_report(known_program(), facts, NOW, before).changes == ()


def test_what_counts_as_a_change_to_how_a_program_runs() -> None:
    old = known_program().spec
    new = old.model_copy(
        update={"cadence": "weekly", "meeting_minutes": 45, "description": "New words."}
    )
    assert changes_between(old, new) == [
        ("cadence", "every two weeks", "every week"),
        ("meeting length", "30 minutes", "45 minutes"),
    ]
    assert changes_between(old, old) == []
