"""The metrics a report measures, by name: what success criteria may refer to."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Unit(StrEnum):
    COUNT = "count"
    PERCENT = "percent"  # 0-100
    RATING = "rating"  # 1-5
    SCORE = "score"  # 0-10
    NPS = "nps"  # -100..100


@dataclass(frozen=True)
class Metric:
    name: str
    label: str
    unit: Unit
    # What people answered (ratings, goals, the wrap-up): hidden below the program's
    # minimum group. Counts of status (joined, met, paused) are not.
    answers: bool = False


_ALL = (
    Metric("joined", "People who joined", Unit.COUNT),
    Metric("surveyed", "Finished the intake survey", Unit.COUNT),
    Metric("matched", "Matched", Unit.COUNT),
    Metric("waiting", "Waiting for a match", Unit.COUNT),
    Metric("paused", "Paused", Unit.COUNT),
    Metric("left", "Left", Unit.COUNT),
    Metric("match_rate", "Surveyed people who were matched", Unit.PERCENT),
    Metric("matches_running", "Matches running", Unit.COUNT),
    Metric("matches_ended", "Matches ended", Unit.COUNT),
    Metric("matches_not_working", "Matches ended as not working", Unit.COUNT),
    Metric("rematched", "People rematched after a match that didn't work", Unit.COUNT),
    Metric("meeting_rate", "Check-ins where the match met", Unit.PERCENT),
    Metric("monthly_meeting_rate", "Months in which a match met", Unit.PERCENT),
    Metric("feedback_response_rate", "Feedback prompts answered", Unit.PERCENT),
    Metric("average_rating", "Average session rating", Unit.RATING, answers=True),
    Metric("goals_set", "Goals set", Unit.COUNT, answers=True),
    Metric("goals_on_track", "Goals on track", Unit.COUNT, answers=True),
    Metric("goals_off_track", "Goals off track", Unit.COUNT, answers=True),
    Metric("goals_done", "Goals done", Unit.COUNT, answers=True),
    Metric("people_with_goal_done", "Matched people with a goal done", Unit.PERCENT, answers=True),
    Metric("milestone_response_rate", "Goal check-ins answered", Unit.PERCENT),
    Metric("recommend_mean", "Would recommend (0-10), average", Unit.SCORE, answers=True),
    Metric("nps", "Net promoter score", Unit.NPS, answers=True),
    Metric("would_join_again", "Would join again", Unit.PERCENT, answers=True),
    Metric("kudos_given", "Kudos given", Unit.COUNT),
    Metric("spotlights_posted", "Spotlights posted in the channel", Unit.COUNT),
    Metric("survey_answered", "Program surveys answered", Unit.COUNT),
    Metric("survey_growth", "The program helps me grow (1-5)", Unit.RATING, answers=True),
    Metric("survey_supported", "I feel supported by my partner (1-5)", Unit.RATING, answers=True),
    Metric("survey_recommend", "Would recommend the program (0-10)", Unit.SCORE, answers=True),
    Metric("stalled", "Matches stalled (no meeting for two cycles)", Unit.COUNT),
    Metric("paused_after_silence", "People paused after three silent cycles", Unit.COUNT),
    Metric("failed_deliveries", "Messages that could not be delivered", Unit.COUNT),
    Metric("mentors", "People mentoring", Unit.COUNT),
    Metric("training_completion", "Mentors who finished the mentor training", Unit.PERCENT),
    Metric("training_lessons_done", "Mentor training lessons done", Unit.COUNT),
)

METRICS: dict[str, Metric] = {m.name: m for m in _ALL}


def formatted(value: float | None, unit: Unit) -> str:
    """A metric's value as people read it: "72%", "4.3 / 5", "+40"."""
    if value is None:
        return "–"
    if unit is Unit.PERCENT:
        return f"{value:.0f}%"
    if unit is Unit.RATING:
        return f"{value:.1f} / 5"
    if unit is Unit.SCORE:
        return f"{value:.1f} / 10"
    if unit is Unit.NPS:
        return f"{value:+.0f}"
    return f"{value:,.0f}"
