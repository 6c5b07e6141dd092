"""Matching rounds on the program's cadence, and reminders of a round left in review.

A scheduled round runs once per cadence period for whoever is unmatched. It is
published at once, through the same service as a coordinator's ``round
publish``, or, where the program asks for review, left as a draft that the
coordinators are told about (and reminded of, once, two days on).
"""

from __future__ import annotations

import zlib
from datetime import date, datetime, timedelta

from bot.cadence import messages as msg
from bot.cadence.calendar import first_round_of
from bot.cadence.content import guides
from bot.cadence.publish import publish
from bot.cadence.sender import Sender
from bot.matching.service import pool, propose
from bot.model import Program, Round
from bot.text import counted

REVIEW_REMINDER = timedelta(days=2)


def round_day(program: Program, now: datetime) -> date | None:
    """The day of the cadence period ``now`` is in (its round's day), or None
    before the program's first round."""
    first, weeks, today = first_round_of(program, now), program.spec.cadence_weeks, now.date()
    if today < first:
        return None
    return first + timedelta(days=(today - first).days // (7 * weeks) * 7 * weeks)


def round_seed(program: Program, day: date) -> int:
    """The same seed for the same period: a round proposed again is the same round."""
    return zlib.crc32(f"{program.id}:{day}".encode()) % 2**31


def review_overdue(draft: Round | None, now: datetime) -> bool:
    """A scheduled round still unpublished two days on (a coordinator's own
    preview is not: they know about it)."""
    if draft is None or draft.scheduled_for is None:
        return False
    return now - draft.created_at >= REVIEW_REMINDER


def run_round(send: Sender) -> None:
    """A scheduled matching round, once per cadence period, for whoever is unmatched."""
    uow, program, now = send.uow, send.program, send.now
    day = round_day(program, now)
    if day is None or uow.rounds.draft(program.id) is not None:
        return  # not started, or a coordinator is reviewing a round by hand
    if uow.rounds.scheduled(program.id, day) is not None:
        return
    if len(pool(uow, program, now).profiles) < 2:
        return
    round_ = propose(uow, program, now, round_seed(program, day), scheduled_for=day)
    if not program.spec.schedule.review_rounds:
        publish(send, round_)
        return
    matches, waiting = uow.matches.of_round(round_.id), uow.rounds.waiting(round_.id)
    text = guides().round_ready.format(
        program=program.spec.name,
        matches=counted(len(matches), "match", "matches"),
        waiting=len(waiting),
        slug=program.spec.slug,
    )
    for coordinator in send.coordinators():
        send.direct(coordinator, msg.plain(text, "round"), f"round{round_.id}:review")


def round_reviews(send: Sender) -> None:
    """Remind the coordinators, once, of a scheduled round left in review (its
    people hear nothing, and no next round runs, until it is published)."""
    uow, program = send.uow, send.program
    draft = uow.rounds.draft(program.id)
    if draft is None or not review_overdue(draft, send.now):
        return
    waiting = sum(len(x.members) for x in uow.matches.of_round(draft.id))
    waiting += len(uow.rounds.waiting(draft.id))
    text = guides().round_waiting.format(
        program=program.spec.name,
        day=f"{draft.created_at.day} {draft.created_at:%B}",
        people=counted(waiting, "person", "people"),
        slug=program.spec.slug,
    )
    for coordinator in send.coordinators():
        send.direct(coordinator, msg.plain(text, "round"), f"round{draft.id}:reminder")
