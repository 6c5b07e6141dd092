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
    week_of,
)
from bot.cadence.lifecycle import started
from bot.cadence.work import PROACTIVE, Work
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


def mentors(work: Work) -> dict[int, tuple[Member | None, list[Match]]]:
    """The program's people who mentor, with their live matches (as mentor). A
    person who joined as a mentor and has no match yet comes with no member."""
    found: dict[int, tuple[Member | None, list[Match]]] = {}
    for match in work.active():
        if match.introduced_at is None:
            continue
        for member in match.members:
            if member.role in MENTORING_ROLES:
                found.setdefault(member.person_id, (member, []))[1].append(match)
    if work.spec.format in (Format.MENTOR_MENTEE, Format.REVERSE):
        roles = work.uow.answers.in_program(work.program.id, ("role",))
        for enrolment in work.uow.enrolments.in_program(work.program.id, [Status.ACTIVE]):
            said = roles.get(enrolment.id, {}).get("role")
            if said == "mentor" and enrolment.intake_completed_at is not None:
                found.setdefault(enrolment.person_id, (None, []))
    return found


# --- the scheduled step ------------------------------------------------------------


def training(work: Work) -> None:
    """The next lesson to each mentor whose last one is done (a week or more ago),
    in a week with room to spare."""
    people = mentors(work)
    if not people:
        return
    progress = work.uow.training.of_people(list(people))
    for person_id, (member, matches) in people.items():
        enrolment = work.enrolment(person_id)
        if enrolment is None or not enrolment.is_participating(work.now):
            continue
        mine = progress.get(person_id, ())
        lesson = next_lesson(mine)
        if lesson is None or not _ready(work.now, mine):
            continue
        at = _room(work, person_id, matches)
        if at is None:
            continue
        target: Member | Person = member or work.uow.people.get(person_id)
        first = not any(p.sent_at for p in mine)
        key = f"training:{person_id}:{lesson.slug}"
        if work.direct(target, lesson_message(lesson, first=first), key, after=at, droppable=True):
            work.uow.training.sent(work.program.workspace_id, person_id, lesson.slug, work.now)


def _ready(now: datetime, progress: Sequence[LessonProgress]) -> bool:
    """One lesson at a time: none sent and still waiting for "Done", and the last
    one sent at least :data:`LESSON_GAP` ago."""
    slugs = {x.slug for x in track().lessons}
    mine = [p for p in progress if p.lesson in slugs]
    if any(p.sent_at is not None and p.done_at is None for p in mine):
        return False
    last = max((p.sent_at for p in mine if p.sent_at is not None), default=None)
    return last is None or now - last >= LESSON_GAP


def _room(work: Work, person_id: int, matches: Sequence[Match]) -> datetime | None:
    """The next working moment, if its week keeps room for what the person's
    matches are due to bring that week; None to wait."""
    hours = work.hours(person_id)
    slot = next_slot([hours], work.now, work.quiet())
    if slot is None:
        return None
    begin, end = week_of(slot, hours.timezone)
    used = work.uow.outbox.count_for(person_id, PROACTIVE, begin, end)
    first = local_day(begin, hours.timezone)
    days = (first, first + timedelta(days=6))
    expected = sum(_due_in(work, person_id, match, days) for match in matches)
    if used + 1 + expected + SPARE > work.spec.schedule.messages_per_week:
        return None
    return slot


def _due_in(work: Work, person_id: int, match: Match, days: tuple[date, date]) -> int:
    """Messages this match will bring the person on these local days that are not
    queued yet (those queued are counted already): check-ins, goal milestones and
    the wrap-up."""
    first, last = days
    start, weeks = started(match), work.spec.cadence_weeks
    end = add_months(start, work.spec.duration_months)
    asked = {c.cycle for c in work.asked_in(match.id) if c.person_id == person_id}
    count = 0
    cycle = max(1, (first - start).days // (7 * weeks))
    while (due := cycle_due(start, weeks, cycle)) <= last:
        if first <= due < end and cycle not in asked:
            count += 1
        cycle += 1
    milestones = {day for _, day in _asked_milestones(work, match, person_id)}
    for day in work.spec.schedule.milestones:
        if first <= start + timedelta(days=day) <= last and day not in milestones:
            count += 1
    if first <= end <= last:
        count += 1
    return count


def _asked_milestones(work: Work, match: Match, person_id: int) -> list[tuple[int, int]]:
    return [x for x in work.uow.goals.milestones_asked(match.id) if x[0] == person_id]
