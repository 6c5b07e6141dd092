"""The facts of a program's report, read in a handful of queries.

Only statuses, dates and numbers are selected: feedback's text columns, goal
texts and unshared wrap-up comments are never read here, so nothing private can
reach a report by mistake.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from bot.report.facts import ProgramFacts
from store.report_matches import (
    read_checkins,
    read_feedback,
    read_goals,
    read_matches,
    read_milestones,
    read_people,
    read_rounds,
    read_wrapups,
)
from store.report_program import (
    read_changes,
    read_notices,
    read_recognitions,
    read_surveys,
    read_training,
)


class SqlReports:
    def __init__(self, session: Session) -> None:
        self._s = session

    def facts(self, program_id: int) -> ProgramFacts:
        matches = read_matches(self._s, program_id)
        mentors, joined, training = read_training(self._s, program_id)
        return ProgramFacts(
            people=read_people(self._s, program_id),
            rounds=read_rounds(self._s, program_id),
            matches=matches,
            checkins=read_checkins(self._s, program_id),
            feedback=read_feedback(self._s, program_id),
            goals=read_goals(self._s, program_id),
            milestones=read_milestones(self._s, program_id),
            wrapups=read_wrapups(self._s, program_id),
            notices=read_notices(self._s, program_id),
            mentors=mentors,
            joined_as_mentors=joined,
            training=training,
            recognitions=read_recognitions(self._s, program_id),
            surveys=read_surveys(self._s, program_id),
            changes=read_changes(self._s, program_id),
        )
