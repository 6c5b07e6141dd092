"""What people answered: feedback, goals, the wrap-up and the program survey.

Private: an aggregate is hidden when fewer than the program's ``min_group`` people answered.
"""

from __future__ import annotations

from bot.model import GoalStatus
from bot.report.aggregates import mean, nps, private, rate
from bot.report.document import Figure
from bot.report.facts import NoticeFact, SurveyFact
from bot.report.scope import Scope


def feedback_figures(scope: Scope) -> tuple[Figure, ...]:
    """Feedback prompts answered, and the average session rating."""
    # A feedback entry exists once someone starts answering: the prompts are the
    # messages sent; the answers, the entries completed.
    prompts = feedback_prompts(scope)
    answered = [
        f
        for f in scope.facts.feedback
        if scope.in_matches(f.match_id)
        and scope.window.holds(f.asked_at)
        and f.completed_at is not None
    ]
    rated = [f for f in answered if f.rating is not None]
    return (
        rate("feedback_response_rate", min(len(answered), len(prompts)), len(prompts)),
        private(
            "average_rating",
            [f.rating for f in rated if f.rating is not None],
            {f.person_id for f in rated},
            scope.min_group,
            mean,
        ),
    )


def feedback_prompts(scope: Scope) -> list[NoticeFact]:
    """The feedback prompts sent within the report's scope."""
    return [
        n
        for n in scope.facts.notices
        if n.kind == "feedback"
        and not n.failed
        and n.match_id is not None
        and scope.in_matches(n.match_id)
        and scope.window.holds(n.created_at)
    ]


def goal_figures(scope: Scope) -> tuple[Figure, ...]:
    """Goals by status, hidden when fewer than ``min_group`` people set one."""
    goals = [
        g
        for g in scope.facts.goals
        if scope.in_matches(g.match_id) and g.created_at.date() <= scope.window.last_day
    ]
    setters = {g.person_id for g in goals}
    hidden = 0 < len(setters) < scope.min_group
    matched = {who for x in scope.matches for who in x.members} & scope.people.keys()
    done = {g.person_id for g in goals if g.status is GoalStatus.DONE}

    def count(metric: str, status: GoalStatus | None) -> Figure:
        n = sum(1 for g in goals if status is None or g.status is status)
        return Figure(metric, None if hidden else n, len(setters), hidden)

    share = 100 * len(done & matched) / len(matched) if matched else None
    return (
        count("goals_set", None),
        count("goals_on_track", GoalStatus.ON_TRACK),
        count("goals_off_track", GoalStatus.OFF_TRACK),
        count("goals_done", GoalStatus.DONE),
        Figure("people_with_goal_done", None if hidden else share, len(setters), hidden),
    )


def wrapup_figures(scope: Scope) -> tuple[Figure, ...]:
    """The wrap-up: recommendation, NPS, and who would join again."""
    answered = [
        w
        for w in scope.facts.wrapups
        if scope.in_matches(w.match_id) and scope.window.holds(w.answered_at)
    ]
    scored = [w for w in answered if w.recommend is not None]
    again = [w for w in answered if w.again is not None]
    k = scope.min_group
    scores = [w.recommend for w in scored if w.recommend is not None]
    return (
        private("recommend_mean", scores, {w.person_id for w in scored}, k, mean),
        private("nps", scores, {w.person_id for w in scored}, k, nps),
        private(
            "would_join_again",
            [100.0 if w.again else 0.0 for w in again],
            {w.person_id for w in again},
            k,
            mean,
        ),
    )


def surveys_asked(scope: Scope) -> list[SurveyFact]:
    """The program surveys asked in the window (of the round's people, for a round)."""
    return [
        x
        for x in scope.facts.surveys
        if scope.window.holds(x.asked_at)
        and (scope.window.round_id is None or x.person_id in scope.people)
    ]


def survey_figures(scope: Scope) -> tuple[Figure, ...]:
    """The program survey: answered, and its three scores."""
    surveys, k = surveys_asked(scope), scope.min_group

    def scored(metric: str, values: list[tuple[int, int | None]]) -> Figure:
        given = [(who, v) for who, v in values if v is not None]
        return private(metric, [float(v) for _, v in given], {w for w, _ in given}, k, mean)

    return (
        Figure("survey_answered", sum(1 for x in surveys if x.answered_at is not None)),
        scored("survey_growth", [(x.person_id, x.growth) for x in surveys]),
        scored("survey_supported", [(x.person_id, x.supported) for x in surveys]),
        scored("survey_recommend", [(x.person_id, x.recommend) for x in surveys]),
    )
