"""The mentor training: short lessons from ``bot/content/training.yaml`` for the
people who mentor, one at a time, about a week apart, marked done by the person.

Who mentors: a member whose role in a live match is ``mentor`` (a mentor/mentee
match, or the mentor side of a reverse pair) or ``facilitator`` (a circle), and,
before their first match, someone who joined a mentoring program as a mentor.

A lesson is the least urgent thing Tandem sends, so it never takes a check-in's
place: it goes out only in a week (the person's own) that keeps room for
everything the match is due to bring that week (check-ins, goal milestones, the
wrap-up) plus one spare for a reply-driven message (a feedback prompt, a
reminder); in a fuller week it waits for the next tick, and the next week.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from functools import cache
from importlib import resources
from typing import Annotated, Self

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from bot import outbound as m
from bot.cadence.calendar import (
    add_months,
    cycle_due,
    local_day,
    next_slot,
    started,
    week_of,
)
from bot.cadence.sender import PROACTIVE, Sender
from bot.cadence.snapshot import Snapshot
from bot.model import LessonProgress, Match, Member, Person, Status
from bot.program.spec import Format

ACTION = "training"  # the "Done" button: training:<lesson>
KIND = "training"
# Roles in a match that mentor (bot/model.py Member.role).
MENTORING_ROLES = frozenset({"mentor", "facilitator"})
# The least time between two lessons.
LESSON_GAP = timedelta(days=7)
# Places in a week kept free for messages nobody can foresee (a feedback prompt
# after a partner's "yes", a reminder after "not yet").
SPARE = 1

_Text = Annotated[str, Field(min_length=1, max_length=600)]
_SLUG = re.compile(r"^[a-z][a-z0-9-]{1,39}$")


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Lesson(_Section):
    slug: Annotated[str, Field(pattern=_SLUG.pattern)]
    title: Annotated[str, Field(min_length=1, max_length=80)]
    text: _Text
    points: Annotated[tuple[_Text, ...], Field(min_length=1, max_length=5)]
    practice: _Text = Field(alias="try")  # one practical thing to try


class Track(_Section):
    intro: _Text
    finished: _Text
    lessons: Annotated[tuple[Lesson, ...], Field(min_length=1, max_length=12)]

    @model_validator(mode="after")
    def _unique(self) -> Self:
        slugs = [x.slug for x in self.lessons]
        if len(set(slugs)) != len(slugs):
            raise ValueError("lesson slugs are repeated")
        return self

    def find(self, text: str) -> Lesson | None:
        """A lesson by its number (1, 2...), short name, title or a part of the title
        that names one lesson only."""
        wanted = " ".join(text.casefold().split())
        if wanted.isdigit():
            number = int(wanted)
            return self.lessons[number - 1] if 1 <= number <= len(self.lessons) else None
        exact = [x for x in self.lessons if wanted in {x.slug, x.title.casefold()}]
        partly = [x for x in self.lessons if len(wanted) >= 4 and wanted in x.title.casefold()]
        found = exact or partly
        return found[0] if len(found) == 1 else None

    def number(self, lesson: Lesson) -> int:
        return self.lessons.index(lesson) + 1


@cache
def track() -> Track:
    """The lessons, validated once (a typo in the file fails at start)."""
    text = resources.files("bot").joinpath("content/training.yaml").read_text(encoding="utf-8")
    return Track.model_validate(yaml.safe_load(text))


# --- progress ----------------------------------------------------------------------


def done_lessons(progress: Sequence[LessonProgress]) -> set[str]:
    """The slugs of this track's lessons the person marked done."""
    slugs = {x.slug for x in track().lessons}
    return {p.lesson for p in progress if p.done_at is not None and p.lesson in slugs}


def next_lesson(progress: Sequence[LessonProgress]) -> Lesson | None:
    """The first lesson not marked done (None when the track is finished)."""
    done = done_lessons(progress)
    return next((x for x in track().lessons if x.slug not in done), None)


def finished(progress: Sequence[LessonProgress]) -> bool:
    return next_lesson(progress) is None


# --- the message -------------------------------------------------------------------


def lesson_message(lesson: Lesson, *, first: bool = False, done: bool = False) -> m.Message:
    """One lesson, with its one thing to try and a "Done" button (none once done)."""
    t = track()
    heading = f"Mentor training {t.number(lesson)} of {len(t.lessons)}: {lesson.title}"
    blocks: list[m.Block] = [
        *([m.para(t.intro)] if first else []),
        m.Heading(heading),
        m.para(lesson.text),
        m.bullets(*lesson.points),
        m.para(m.Bold("Try this: "), lesson.practice),
    ]
    if done:
        blocks.append(m.Note("You've marked this one done."))
    else:
        blocks += [
            m.Buttons(f"{ACTION}:{lesson.slug}", (m.Option("done", "Done", "primary"),)),
            m.Note("Say “training” to see the whole track."),
        ]
    return m.Message(tuple(blocks), heading, kind=KIND)


# --- who mentors -------------------------------------------------------------------


def mentors(state: Snapshot, send: Sender) -> dict[int, tuple[Member | None, list[Match]]]:
    """The program's people who mentor, with their live matches (as mentor). A
    person who joined as a mentor and has no match yet comes with no member."""
    found: dict[int, tuple[Member | None, list[Match]]] = {}
    for match in state.active:
        if match.introduced_at is None:
            continue
        for member in match.members:
            if member.role in MENTORING_ROLES:
                found.setdefault(member.person_id, (member, []))[1].append(match)
    if state.spec.format in (Format.MENTOR_MENTEE, Format.REVERSE):
        uow, program_id = send.uow, state.program.id
        roles = uow.answers.in_program(program_id, ("role",))
        for enrolment in uow.enrolments.in_program(program_id, [Status.ACTIVE]):
            said = roles.get(enrolment.id, {}).get("role")
            if said == "mentor" and enrolment.intake_completed_at is not None:
                found.setdefault(enrolment.person_id, (None, []))
    return found


# --- the scheduled step ------------------------------------------------------------


def training(state: Snapshot, send: Sender) -> None:
    """The next lesson to each mentor whose last one is done (a week or more ago),
    in a week with room to spare."""
    people = mentors(state, send)
    if not people:
        return
    uow, now = send.uow, send.now
    progress = uow.training.of_people(list(people))
    for person_id, (member, matches) in people.items():
        if not state.taking_part(person_id, now):
            continue
        mine = progress.get(person_id, ())
        lesson = next_lesson(mine)
        if lesson is None or not _ready(now, mine):
            continue
        at = _room(state, send, person_id, matches)
        if at is None:
            continue
        target: Member | Person = member or uow.people.get(person_id)
        first = not any(p.sent_at for p in mine)
        key = f"training:{person_id}:{lesson.slug}"
        if send.direct(target, lesson_message(lesson, first=first), key, after=at, droppable=True):
            uow.training.sent(send.program.workspace_id, person_id, lesson.slug, now)


def _ready(now: datetime, progress: Sequence[LessonProgress]) -> bool:
    """One lesson at a time: none sent and still waiting for "Done", and the last
    one sent at least :data:`LESSON_GAP` ago."""
    slugs = {x.slug for x in track().lessons}
    mine = [p for p in progress if p.lesson in slugs]
    if any(p.sent_at is not None and p.done_at is None for p in mine):
        return False
    last = max((p.sent_at for p in mine if p.sent_at is not None), default=None)
    return last is None or now - last >= LESSON_GAP


def _room(
    state: Snapshot, send: Sender, person_id: int, matches: Sequence[Match]
) -> datetime | None:
    """The next working moment, if its week keeps room for what the person's
    matches are due to bring that week; None to wait."""
    hours = send.places.hours(person_id)
    slot = next_slot([hours], send.now, send.places.quiet())
    if slot is None:
        return None
    begin, end = week_of(slot, hours.timezone)
    used = send.uow.outbox.count_for(person_id, PROACTIVE, begin, end)
    first = local_day(begin, hours.timezone)
    days = (first, first + timedelta(days=6))
    expected = sum(_due_in(state, send, person_id, match, days) for match in matches)
    if used + 1 + expected + SPARE > state.spec.schedule.messages_per_week:
        return None
    return slot


def _due_in(
    state: Snapshot, send: Sender, person_id: int, match: Match, days: tuple[date, date]
) -> int:
    """Messages this match will bring the person on these local days that are not
    queued yet (those queued are counted already): check-ins, goal milestones and
    the wrap-up."""
    first, last = days
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
    asked_days = {day for who, day in send.uow.goals.milestones_asked(match.id) if who == person_id}
    for day in state.spec.schedule.milestones:
        if first <= start + timedelta(days=day) <= last and day not in asked_days:
            count += 1
    if first <= end <= last:
        count += 1
    return count
