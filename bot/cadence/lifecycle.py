"""A match's life: when its cadence started, and ending it kindly.

Used by the scheduled steps (:mod:`bot.cadence.due`) and by flows alike, so it
imports no flow.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from bot.cadence import messages as msg
from bot.cadence.content import guides
from bot.cadence.work import Work
from bot.model import Match, MatchStatus, Member
from bot.ports import UnitOfWork


def started(match: Match) -> date:
    assert match.started_at is not None, "only live matches have a cadence"
    return match.started_at.date()


# What a match that ends early takes back, if it has not gone out yet: questions
# about a match that no longer is (the notices that it ended are not among them).
TAKEN_BACK = ("intro", "goals", "agreement", "checkin", "reminder", "feedback", "milestone")


def end_match(uow: UnitOfWork, match: Match, now: datetime, reason: str) -> list[Member]:
    """End a live match early and take back what it had queued; the members who
    had not been introduced yet (they need not hear that it ended)."""
    uow.matches.set_status(match.id, MatchStatus.ENDED, now, reason)
    return never_introduced(match, uow.outbox.withdraw_match(match.id, TAKEN_BACK))


def never_introduced(match: Match, withdrawn: Sequence[str]) -> list[Member]:
    """Members whose introduction was among the ``withdrawn`` keys (one for the
    group, or one each where the platform has no group conversations)."""
    group = f"match{match.id}:intro"
    return [x for x in match.members if group in withdrawn or f"{group}:{x.person_id}" in withdrawn]


def end_matches_of(work: Work, person_id: int, reason: str) -> None:
    """End a person's live matches in the program; each partner hears it kindly."""
    for match in work.uow.matches.of_person(person_id, [MatchStatus.ACTIVE]):
        if match.program_id != work.program.id:
            continue
        unaware = end_match(work.uow, match, work.now, reason)
        gone = match.member(person_id)
        for partner in match.others(person_id):
            if partner in unaware:
                continue  # never introduced: nothing ended, as far as they know
            text = guides().partner_paused.format(
                partner=gone.name if gone else "Your partner", program=work.spec.name
            )
            work.direct(
                partner,
                msg.plain(text, "rematch", match.id),
                f"ended:{match.id}:{partner.person_id}",
            )
