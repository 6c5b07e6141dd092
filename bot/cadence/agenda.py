"""What has come due in a program: pure functions of a snapshot and the time.

Each planner reads a :class:`~bot.cadence.snapshot.Snapshot` and ``now`` and
returns the actions due, in the order they are to be carried out; none reads
the database or the clock, so each can be tested on a hand-built snapshot.
Whether a thing was done before (a check-in asked, a message queued) is settled
when it is carried out: the store and the outbox refuse a second one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime, timedelta

from bot.adjustment import Stage
from bot.cadence.actions import (
    Action,
    AskCheckin,
    AskMilestone,
    AskSurvey,
    Complete,
    Introduce,
    PauseSilent,
    Remind,
    RemindAgreement,
)
from bot.cadence.calendar import add_months, cycle_due, cycles_due, reminder_due, started
from bot.cadence.snapshot import Snapshot
from bot.cadence.surveys import stage_days
from bot.model import Answer, Checkin, Status

Planner = Callable[[Snapshot, datetime], Sequence[Action]]

AGREEMENT_REMINDER = timedelta(days=3)
AGREEMENT_TOLD = timedelta(days=7)
_STAGES = tuple(Stage)


def introductions(state: Snapshot, now: datetime) -> list[Introduce]:
    """Every live match not introduced yet."""
    return [Introduce(match) for match in state.active if match.introduced_at is None]


def silences(state: Snapshot, now: datetime) -> list[PauseSilent]:
    """Someone who answered none of their last three check-ins in their current
    match (within the last few cycles: three silent cycles, not three silences
    months apart) is to be paused, kindly; their partner is freed for the next round."""
    weeks, today = state.spec.cadence_weeks, now.date()
    # Only the matches people are in now: a match that ended (by a pause, a
    # rematch, its end date) leaves its silences behind, so someone who resumes
    # after a pause starts afresh instead of being paused again at the next tick.
    live = {match.id for match in state.active}
    by_person: dict[int, list[Checkin]] = {}
    for item in state.asked:
        if item.match_id in live:
            by_person.setdefault(item.person_id, []).append(item)
    found = []
    for person_id, asked in by_person.items():
        enrolment = state.enrolment(person_id)
        if enrolment is None or enrolment.status is not Status.ACTIVE:
            continue
        closed = [c for c in asked if c.due_on + timedelta(days=7 * weeks) <= today]
        if len(closed) < 3 or any(c.answer is not None for c in closed[-3:]):
            continue
        found.append(PauseSilent(enrolment, closed[-1]))
    return found


def wrapups(state: Snapshot, now: datetime) -> list[Complete]:
    """Matches at the end of the program's duration."""
    months, today = state.spec.duration_months, now.date()
    return [
        Complete(match) for match in state.active if today >= add_months(started(match), months)
    ]


def checkins(state: Snapshot, now: datetime) -> list[AskCheckin]:
    """ "Did you meet?" to each member as each cycle comes due (a day early: it is
    delivered from the due date in their own timezone)."""
    weeks = state.spec.cadence_weeks
    tomorrow = now.date() + timedelta(days=1)
    found = []
    for match in state.active:
        if match.introduced_at is None:
            continue
        start = started(match)
        cycle = cycles_due(start, weeks, tomorrow)
        due = cycle_due(start, weeks, cycle)
        if cycle == 0 or due >= add_months(start, state.spec.duration_months):
            continue
        asked = {c.person_id for c in state.asked_in(match.id) if c.cycle == cycle}
        found += [
            AskCheckin(match, member, cycle, due)
            for member in match.members
            if member.person_id not in asked and state.taking_part(member.person_id, now)
        ]
    return found


def reminders(state: Snapshot, now: datetime) -> list[Remind]:
    """One reminder, half-way through the cycle, after "not yet"; never more."""
    weeks, today = state.spec.cadence_weeks, now.date()
    found = []
    for match in state.active:
        asked = state.asked_in(match.id)
        met = {c.cycle for c in asked if c.answer is Answer.YES}
        for item in asked:
            if item.answer is not Answer.NOT_YET or item.reminded_at or item.cycle in met:
                continue
            cycle_ends = item.due_on + timedelta(days=7 * weeks)
            if reminder_due(item.due_on, weeks) <= today < cycle_ends:
                found.append(Remind(match, match.member(item.person_id), item))
    return found


def agreements(state: Snapshot, now: datetime) -> list[RemindAgreement]:
    """A member who hasn't accepted the match's agreement three days after the
    introduction gets it again (once); after a week the coordinators' digest
    lists them. Nothing else waits on it: the match goes on."""
    found = []
    for match in state.active:
        if match.introduced_at is None:
            continue
        if not AGREEMENT_REMINDER <= now - match.introduced_at < AGREEMENT_TOLD:
            continue
        found += [
            RemindAgreement(match, member)
            for member in match.members
            if member.agreed_at is None and state.taking_part(member.person_id, now)
        ]
    return found


def milestones(state: Snapshot, now: datetime) -> list[AskMilestone]:
    """Goal check-ins at the program's milestone days (only the latest is asked,
    if several came due while nobody was looking)."""
    today = now.date()
    found = []
    for match in state.active:
        if match.introduced_at is None:
            continue
        start = started(match)
        due = tuple(d for d in state.spec.schedule.milestones if start + timedelta(days=d) <= today)
        if not due:
            continue
        found += [
            AskMilestone(match, member, due)
            for member in match.members
            if (match.id, member.person_id, due[-1]) not in state.milestones
            and state.taking_part(member.person_id, now)
        ]
    return found


def surveys(state: Snapshot, now: datetime) -> list[AskSurvey]:
    """The latest survey stage due for each member of a live match, unless it (or
    a later one) was asked of them before, in this match or another."""
    today = now.date()
    asked = {person: set(stages) for person, stages in state.surveyed.items()}
    found = []
    for match in state.active:
        if match.introduced_at is None:
            continue
        days = stage_days(started(match), state.spec.duration_months)
        due = [s for s in _STAGES if days[s] <= today]
        if not due:
            continue
        stage = due[-1]
        for member in match.members:
            before = asked.get(member.person_id, set())
            if any(_STAGES.index(s) >= _STAGES.index(stage) for s in before):
                continue
            if not state.taking_part(member.person_id, now):
                continue
            asked.setdefault(member.person_id, set()).add(stage)
            found.append(AskSurvey(match, member, stage))
    return found
