"""When the next mentor-training lesson is due: read once, planned purely, sent.

Who mentors: a member whose role in a live match is ``mentor`` (a mentor/mentee
match, or the mentor side of a reverse pair) or ``facilitator`` (a circle), and,
before their first match, someone who joined a mentoring program as a mentor.

A lesson is the least urgent thing Tandem sends, so it never takes a check-in's
place: it goes out only in a week (the person's own) that keeps room for
everything the match is due to bring that week (check-ins, goal milestones, the
wrap-up) plus one spare for a reply-driven message (a feedback prompt, a
reminder); in a fuller week it waits for the next tick, and the next week.

:func:`read_training` gathers what the plan needs (progress, the people without a
match yet, each candidate's next working moment and how full that week is);
:func:`plan_training` decides from it and the snapshot alone.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from bot.cadence.actions import SendLesson
from bot.cadence.calendar import add_months, cycle_due, local_day, next_slot, started, week_of
from bot.cadence.lessons import lesson_message, next_lesson, track
from bot.cadence.sender import PROACTIVE, Sender
from bot.cadence.snapshot import Snapshot
from bot.model import LessonProgress, Match, Member, Person, Status
from bot.program.spec import Format

# Roles in a match that mentor (bot/model.py Member.role).
MENTORING_ROLES = frozenset({"mentor", "facilitator"})
# The least time between two lessons.
LESSON_GAP = timedelta(days=7)
# Places in a week kept free for messages nobody can foresee (a feedback prompt
# after a partner's "yes", a reminder after "not yet").
SPARE = 1


@dataclass(frozen=True)
class Week:
    """A mentor's next working moment, and what their week around it holds."""

    slot: datetime
    days: tuple[date, date]  # the week's first and last local days
    used: int  # proactive messages already queued in it
    milestones_asked: Mapping[int, frozenset[int]]  # by match: milestone days asked


@dataclass(frozen=True)
class TrainingFacts:
    """What the training plan reads beyond the snapshot."""

    progress: Mapping[int, Sequence[LessonProgress]]  # by person
    unmatched: Mapping[int, Person]  # mentors by intake, no match yet, with a week
    weeks: Mapping[int, Week]  # by person: only those ready for a lesson


def mentor_matches(state: Snapshot) -> dict[int, tuple[Member, list[Match]]]:
    """The program's people who mentor in an introduced live match, with those matches."""
    found: dict[int, tuple[Member, list[Match]]] = {}
    for match in state.active:
        if match.introduced_at is None:
            continue
        for member in match.members:
            if member.role in MENTORING_ROLES:
                found.setdefault(member.person_id, (member, []))[1].append(match)
    return found


def read_training(state: Snapshot, send: Sender) -> TrainingFacts:
    """Read what :func:`plan_training` needs, for the mentors it may write to."""
    uow, now = send.uow, send.now
    matched = mentor_matches(state)
    by_intake = [p for p in _mentors_by_intake(state, send) if p not in matched]
    people = [*matched, *by_intake]
    progress = uow.training.of_people(people) if people else {}
    weeks: dict[int, Week] = {}
    for person_id in people:
        if _wants_lesson(state, now, person_id, progress.get(person_id, ())):
            matches = matched[person_id][1] if person_id in matched else []
            week = _read_week(send, person_id, matches)
            if week is not None:
                weeks[person_id] = week
    # Read only those a lesson may go to (a long waiting list is not read every tick).
    unmatched = {p: uow.people.get(p) for p in by_intake if p in weeks}
    return TrainingFacts(progress, unmatched, weeks)


def plan_training(state: Snapshot, facts: TrainingFacts, now: datetime) -> list[SendLesson]:
    """The next lesson for each mentor whose last one is done (a week or more ago),
    in a week with room to spare."""
    matched = mentor_matches(state)
    found = []
    for person_id, week in facts.weeks.items():
        mine = facts.progress.get(person_id, ())
        lesson = next_lesson(mine)
        if lesson is None or not _wants_lesson(state, now, person_id, mine):
            continue
        member, matches = matched.get(person_id, (None, []))
        expected = sum(_due_in(state, person_id, match, week) for match in matches)
        if week.used + 1 + expected + SPARE > state.spec.schedule.messages_per_week:
            continue
        target: Member | Person = member or facts.unmatched[person_id]
        first = not any(p.sent_at for p in mine)
        found.append(SendLesson(target, person_id, lesson.slug, first, week.slot))
    return found


def send_lesson(send: Sender, action: SendLesson) -> None:
    """Queue the lesson, and record it as sent if it was queued."""
    lesson = next(x for x in track().lessons if x.slug == action.lesson)
    message = lesson_message(lesson, first=action.first)
    key = f"training:{action.person_id}:{lesson.slug}"
    if send.direct(action.target, message, key, after=action.at, droppable=True):
        send.uow.training.sent(send.program.workspace_id, action.person_id, lesson.slug, send.now)


def _mentors_by_intake(state: Snapshot, send: Sender) -> list[int]:
    """People who joined a mentor/mentee or reverse program as mentors."""
    if state.spec.format not in (Format.MENTOR_MENTEE, Format.REVERSE):
        return []
    uow, program_id = send.uow, state.program.id
    roles = uow.answers.in_program(program_id, ("role",))
    return [
        e.person_id
        for e in uow.enrolments.in_program(program_id, [Status.ACTIVE])
        if roles.get(e.id, {}).get("role") == "mentor" and e.intake_completed_at is not None
    ]


def _wants_lesson(
    state: Snapshot, now: datetime, person_id: int, progress: Sequence[LessonProgress]
) -> bool:
    """Taking part, a lesson left, none waiting for "Done", and the last one sent at
    least :data:`LESSON_GAP` ago."""
    if not state.taking_part(person_id, now) or next_lesson(progress) is None:
        return False
    slugs = {x.slug for x in track().lessons}
    mine = [p for p in progress if p.lesson in slugs]
    if any(p.sent_at is not None and p.done_at is None for p in mine):
        return False
    last = max((p.sent_at for p in mine if p.sent_at is not None), default=None)
    return last is None or now - last >= LESSON_GAP


def _read_week(send: Sender, person_id: int, matches: Sequence[Match]) -> Week | None:
    hours = send.places.hours(person_id)
    slot = next_slot([hours], send.now, send.places.quiet())
    if slot is None:
        return None
    begin, end = week_of(slot, hours.timezone)
    first = local_day(begin, hours.timezone)
    asked: dict[int, frozenset[int]] = {}
    for match in matches:
        days = send.uow.goals.milestones_asked(match.id)
        asked[match.id] = frozenset(day for who, day in days if who == person_id)
    used = send.uow.outbox.count_for(person_id, PROACTIVE, begin, end)
    return Week(slot, (first, first + timedelta(days=6)), used, asked)


def _due_in(state: Snapshot, person_id: int, match: Match, week: Week) -> int:
    """Messages this match will bring the person in the week that are not queued yet
    (those queued are counted already): check-ins, goal milestones and the wrap-up."""
    first, last = week.days
    start, weeks = started(match), state.spec.cadence_weeks
    end = add_months(start, state.spec.duration_months)
    # The check-ins read at the start of the tick: one asked in this tick is
    # counted here and, being queued, in the week's messages too (as it always was).
    asked = {c.cycle for c in state.asked_in(match.id) if c.person_id == person_id}
    count = 0
    cycle = max(1, (first - start).days // (7 * weeks))
    while (due := cycle_due(start, weeks, cycle)) <= last:
        if first <= due < end and cycle not in asked:
            count += 1
        cycle += 1
    asked_days = week.milestones_asked.get(match.id, frozenset())
    for day in state.spec.schedule.milestones:
        if first <= start + timedelta(days=day) <= last and day not in asked_days:
            count += 1
    if first <= end <= last:
        count += 1
    return count
