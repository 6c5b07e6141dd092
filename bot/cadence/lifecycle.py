"""A match's life: when its cadence started, and ending it kindly.

Used by the scheduled steps (:mod:`bot.cadence.due`) and by flows alike, so it
imports no flow.
"""

from __future__ import annotations

from datetime import date

from bot.cadence import messages as msg
from bot.cadence.content import guides
from bot.cadence.work import Work
from bot.model import Match, MatchStatus


def started(match: Match) -> date:
    assert match.started_at is not None, "only live matches have a cadence"
    return match.started_at.date()


def end_matches_of(work: Work, person_id: int, reason: str) -> None:
    """End a person's live matches in the program; each partner hears it kindly."""
    for match in work.uow.matches.of_person(person_id, [MatchStatus.ACTIVE]):
        if match.program_id != work.program.id:
            continue
        work.uow.matches.set_status(match.id, MatchStatus.ENDED, work.now, reason)
        gone = match.member(person_id)
        for partner in match.others(person_id):
            text = guides().partner_paused.format(
                partner=gone.name if gone else "Your partner", program=work.spec.name
            )
            work.direct(
                partner,
                msg.plain(text, "rematch", match.id),
                f"ended:{match.id}:{partner.person_id}",
            )
