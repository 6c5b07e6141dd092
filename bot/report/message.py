"""The report as a chat message: the key numbers, the criteria's verdicts, the charts."""

from __future__ import annotations

from bot import outbound as m
from bot.report.charts import charts_of
from bot.report.document import Outcome, Report, Verdict

KIND = "report"
_KEY_FIGURES = (
    (
        "People",
        (
            ("joined", "joined"),
            ("surveyed", "surveyed"),
            ("matched", "matched"),
            ("waiting", "waiting"),
            ("paused", "paused"),
            ("left", "left"),
        ),
    ),
    (
        "Matches",
        (
            ("matches_running", "running"),
            ("matches_ended", "ended"),
            ("matches_not_working", "not working"),
            ("rematched", "people rematched"),
        ),
    ),
    (
        "Meetings",
        (("meeting_rate", "met, of check-ins"), ("monthly_meeting_rate", "met, of match-months")),
    ),
    ("Feedback", (("feedback_response_rate", "answered"), ("average_rating", "rating"))),
    (
        "Goals",
        (
            ("goals_set", "set"),
            ("goals_done", "done"),
            ("people_with_goal_done", "people with one done"),
        ),
    ),
    ("Wrap-up", (("recommend_mean", "would recommend"), ("nps", "NPS"))),
    (
        "Mentor training",
        (
            ("mentors", "mentors"),
            ("training_completion", "finished"),
            ("training_lessons_done", "lessons done"),
        ),
    ),
    (
        "Program survey",
        (
            ("survey_answered", "answered"),
            ("survey_growth", "helps me grow"),
            ("survey_supported", "supported"),
            ("survey_recommend", "would recommend"),
        ),
    ),
    ("Recognition", (("kudos_given", "kudos"), ("spotlights_posted", "spotlights"))),
    (
        "Needs a look",
        (
            ("stalled", "stalled"),
            ("paused_after_silence", "paused after silence"),
            ("failed_deliveries", "undelivered"),
        ),
    ),
)
_MARK = {
    Outcome.MET: "✓ Met",
    Outcome.NOT_MET: "✗ Not met",
    Outcome.TOO_EARLY: "… Too early to tell",
    Outcome.NOT_MEASURED: "– Not measured",
}


def report_message(report: Report, *, charts: bool = True) -> m.Message:
    """The report for a coordinator's DM (or a terminal)."""
    blocks: list[m.Block] = [
        m.Heading(f"{report.name}: how it's going"),
        m.Note(
            f"{report.scope}. Answers are shown once at least {report.min_group} people "
            "have given them; nobody's own words are shown."
        ),
        m.Facts(tuple(_fact(report, label, metrics) for label, metrics in _KEY_FIGURES)),
        m.para(m.Bold("Success criteria")),
        m.bullets(*(_verdict(v) for v in report.verdicts)),
    ]
    if report.changes:
        blocks += [
            m.para(m.Bold("Changes to the program")),
            m.bullets(*(f"{x.day:%-d %b %Y}: {x.description}" for x in report.changes)),
        ]
    if report.survey_comments:
        blocks += [
            m.para(m.Bold("Program survey: what people chose to share")),
            m.bullets(*report.survey_comments),
        ]
    if report.comments:
        blocks += [
            m.para(m.Bold("What people chose to share")),
            m.bullets(*report.comments),
        ]
    if charts:
        blocks += charts_of(report)
    blocks.append(
        m.Note(
            f"Say “export {report.program}” for CSV files; “report {report.program} "
            "from 2027-01-01 to 2027-03-31” or “report … round 3” for a part of it."
        )
    )
    return m.Message(tuple(blocks), f"{report.name}: the report", KIND)


def _fact(report: Report, label: str, metrics: tuple[tuple[str, str], ...]) -> m.Fact:
    return m.Fact(label, " · ".join(f"{words} {report.figure(x).shown}" for x, words in metrics))


def _verdict(verdict: Verdict) -> str:
    detail = ", ".join(
        x for x in (verdict.value, f"target {verdict.threshold}" if verdict.threshold else "") if x
    )
    why = f"; {verdict.why}" if verdict.why else ""
    shown = f" ({detail}{why})" if detail or why else ""
    return f"{_MARK[verdict.outcome]}: {verdict.label}{shown}"
