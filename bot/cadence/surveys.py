"""Program surveys as the schedule sends them: after 30 days, mid-program and a week
before the end of a match (so the last one doesn't arrive with the wrap-up).

Each stage is asked once per person per program (a rematch doesn't ask again;
:func:`bot.cadence.agenda.surveys` finds them due), within working hours and the
weekly budget, leaving a place in the week for a check-in: a survey waits for a
week with room rather than push a check-in out.
"""

from __future__ import annotations

from datetime import date, timedelta

from bot import outbound as m
from bot.adjustment import STAGE_WORDS, ProgramSurvey, Stage
from bot.cadence.calendar import add_months
from bot.cadence.recognition_content import words
from bot.flow_names import FlowName
from bot.model import Match, Program

ACTION = FlowName.PROGRAM_SURVEY
KIND = "program_survey"
SPARE = 1  # places of a week's budget a survey leaves free (for a check-in)


def stage_days(start: date, months: int) -> dict[Stage, date]:
    """When each stage comes due for a match that started on ``start``."""
    end = add_months(start, months)
    return {
        Stage.DAY_30: start + timedelta(days=30),
        Stage.MIDPOINT: start + (end - start) // 2,
        Stage.END: end - timedelta(days=7),
    }


def invite(program: Program, match: Match | None, survey: ProgramSurvey) -> m.Message:
    w = words().program_survey
    text = w.invite.format(program=program.spec.name, stage=STAGE_WORDS[survey.stage])
    button = m.Buttons(f"{ACTION}:{survey.id}:start", (m.Option("start", w.start, "primary"),))
    return m.Message((m.para(text), button), text, kind=KIND, match=match.id if match else None)
