"""From a program's facts to its report: one pure function of the facts and the time.

Privacy is applied here, where the report is made, so no surface can show more
than the report holds: an aggregate of what people answered is suppressed when
fewer than the program's ``min_group`` people answered, free text only ever
appears as a list of at least :data:`MIN_COMMENTS` shared comments, and a match
is seen as its status, never as what anyone said.
"""

from __future__ import annotations

from datetime import datetime

from bot.model import Program
from bot.report.activity import recognition_figures, training_figures
from bot.report.cycles import checkin_cycles
from bot.report.document import Report
from bot.report.facts import ProgramFacts
from bot.report.meetings import meeting_figures, trouble_figures
from bot.report.participation import funnel_figures, match_figures, waiting_lines
from bot.report.responses import (
    feedback_figures,
    goal_figures,
    survey_figures,
    surveys_asked,
    wrapup_figures,
)
from bot.report.scope import Scope, change_marks, scope_of
from bot.report.series import report_series
from bot.report.tables import cycle_rows, match_lines, person_lines
from bot.report.verdicts import verdicts
from bot.report.window import Window, default_window

MIN_COMMENTS = 10  # shared comments are shown only as a list at least this long


def build_report(
    program: Program, facts: ProgramFacts, now: datetime, window: Window | None = None
) -> Report:
    """The program's report for ``window`` (default: since it began), as of ``now``."""
    scope = scope_of(program, facts, now, window or default_window(program, now))
    checkins = checkin_cycles(scope)
    figures = (
        *funnel_figures(scope),
        *match_figures(scope),
        *meeting_figures(scope, checkins),
        *feedback_figures(scope),
        *goal_figures(scope),
        *wrapup_figures(scope),
        *recognition_figures(scope),
        *survey_figures(scope),
        *trouble_figures(scope, checkins),
        *training_figures(scope),
    )
    shared = [
        w.shared
        for w in facts.wrapups
        if w.shared and scope.in_matches(w.match_id) and scope.window.holds(w.answered_at)
    ]
    told = [x.shared for x in surveys_asked(scope) if x.shared]
    return Report(
        program=program.spec.slug,
        name=program.spec.name,
        generated_at=now,
        first_day=scope.window.first_day,
        last_day=scope.window.last_day,
        round_id=scope.window.round_id,
        min_group=scope.min_group,
        figures=figures,
        series=report_series(scope, figures, checkins),
        verdicts=verdicts(program.spec, figures, _ended_any(scope)),
        matches=match_lines(scope, checkins),
        waiting=waiting_lines(scope),
        cycles=cycle_rows(scope, checkins),
        people=person_lines(scope, checkins),
        # Sorted, not in the order written: the order would say who wrote when.
        comments=tuple(sorted(shared)) if len(shared) >= MIN_COMMENTS else (),
        comments_shared=len(shared),
        changes=change_marks(scope),
        survey_comments=tuple(sorted(told)) if len(told) >= MIN_COMMENTS else (),
        survey_comments_shared=len(told),
    )


def _ended_any(scope: Scope) -> bool:
    return any(x.end_reason == "completed" for x in scope.matches)
