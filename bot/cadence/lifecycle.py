"""Ending a match, kindly: a service the schedule and the flows both call.

A match ends early when someone says it isn't working, leaves, is paused for
silence or asks to be forgotten. What it had queued and not sent is taken back;
a partner who was introduced hears that it ended (one who was never introduced
need not: nothing ended, as far as they know).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from bot.cadence import messages as msg
from bot.cadence.content import guides
from bot.cadence.sender import Sender
from bot.model import Match, MatchStatus, Member
from bot.ports import UnitOfWork

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


def tell_partners(
    send: Sender, match: Match, leaving: int, text: str, unaware: Sequence[Member] = ()
) -> None:
    """Tell the partners of ``leaving`` that ``match`` ended, in ``text``, except
    those ``unaware`` of it (never introduced)."""
    for partner in match.others(leaving):
        if partner in unaware:
            continue
        send.direct(
            partner, msg.plain(text, "rematch", match.id), f"ended:{match.id}:{partner.person_id}"
        )


def end_matches_of(send: Sender, person_id: int, reason: str) -> None:
    """End a person's live matches in the program; each partner hears it kindly."""
    uow, program = send.uow, send.program
    for match in uow.matches.of_person(person_id, [MatchStatus.ACTIVE]):
        if match.program_id != program.id:
            continue
        unaware = end_match(uow, match, send.now, reason)
        gone = match.member(person_id)
        text = guides().partner_paused.format(
            partner=gone.name if gone else "Your partner", program=program.spec.name
        )
        tell_partners(send, match, person_id, text, unaware)
