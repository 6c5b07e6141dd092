"""The mentors' circle: once a month, the mentors of a mentoring program meet as a
small community of practice, to trade what works.

The program's current mentors (the mentor of each running mentoring pair or
group, a circle's facilitator) are ordered by the middle of their working day and
cut into circles of the program's circle size, as learning circles are; a circle
must share the program's minimum working hours, or it is not formed (its
mentors are tried with their neighbours). Each circle gets one message, in a
group conversation where the platform has them, with a few prompts; nothing is
stored but the message, and its key (month and circle) makes it once a month.
:func:`read_circles` reads whether this month's are formed and the mentors' hours;
:func:`plan_circles` forms them from that and the snapshot alone.
"""

from __future__ import annotations

import zlib
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from bot import outbound as m
from bot.cadence.actions import FormCircle
from bot.cadence.calendar import Hours
from bot.cadence.content import guides
from bot.cadence.sender import DEFAULT_HOURS, Sender
from bot.cadence.snapshot import Snapshot
from bot.matching.hours import Slots, availability, common_hours, week_start
from bot.matching.tuning import MatchingSettings
from bot.model import Member
from bot.program.spec import Format

KIND = "mentors"
_FORMATS = frozenset({Format.MENTOR_MENTEE, Format.REVERSE, Format.GROUP_MENTORING})
_LEADS = frozenset({"mentor", "facilitator"})
_PROMPTS = 3  # prompts in one month's message


@dataclass(frozen=True)
class CircleFacts:
    """What the circles' plan reads beyond the snapshot."""

    formed: bool  # this month's circles are formed (the first one's message is queued)
    hours: Mapping[int, Hours]  # the mentors' working hours, by person


def read_circles(state: Snapshot, send: Sender) -> CircleFacts:
    formed = True
    if state.spec.format in _FORMATS:
        first = _key(send.program.id, f"{send.now:%Y-%m}", 1)
        formed = send.uow.outbox.status(send.program.workspace_id, first) is not None
    hours = {} if formed else {x.person_id: send.places.hours(x.person_id) for x in _mentors(state)}
    return CircleFacts(formed, hours)


def plan_circles(state: Snapshot, facts: CircleFacts, now: datetime) -> list[FormCircle]:
    """This month's mentors' circles, formed once (on the month's first look)."""
    if state.spec.format not in _FORMATS or facts.formed:
        return []
    mentors = _mentors(state)
    if len(mentors) < 3:
        return []
    month = f"{now:%Y-%m}"
    circles = _circles(state.spec.matching, facts.hours, now, mentors)
    return [FormCircle(month, n, tuple(c)) for n, c in enumerate(circles, start=1)]


def send_circle(send: Sender, action: FormCircle) -> None:
    message = _message(send, action.month, action.number, list(action.mentors))
    send.group(list(action.mentors), message, _key(send.program.id, action.month, action.number))


def _key(program_id: int, month: str, number: int) -> str:
    return f"mentors:{program_id}:{month}:{number}"


def _mentors(state: Snapshot) -> list[Member]:
    found: dict[int, Member] = {}
    for match in state.active:
        if match.introduced_at is None:
            continue
        for member in match.members:
            if member.role in _LEADS:
                found.setdefault(member.person_id, member)
    return sorted(found.values(), key=lambda x: x.person_id)


def _circles(
    settings: MatchingSettings, hours: Mapping[int, Hours], now: datetime, mentors: list[Member]
) -> list[list[Member]]:
    week = week_start(now.date())

    def slots(member: Member) -> Slots:
        mine = hours.get(member.person_id, DEFAULT_HOURS)
        return availability(mine.timezone, mine.window, week)

    ordered = sorted(mentors, key=lambda x: (_midday(slots(x)), x.person_id))
    count = max(1, round(len(ordered) / settings.circle_size))
    bounds = [round(n * len(ordered) / count) for n in range(count + 1)]
    cut = [ordered[bounds[n] : bounds[n + 1]] for n in range(count)]
    return [
        circle
        for circle in cut
        if len(circle) >= 3
        and common_hours([slots(x) for x in circle]) >= settings.min_overlap_hours
    ]


def _midday(slots: Slots) -> float:
    """The middle of their first working day, in UTC slots (as circles order people)."""
    busy = slots.nonzero()[0]
    first_day = busy[busy < busy[0] + 96] if busy.size else busy
    return float(first_day.mean() % 96) if first_day.size else 0.0


def _message(send: Sender, month: str, number: int, circle: list[Member]) -> m.Message:
    words = guides().mentors_circle
    label = f"{send.now:%B}"
    prompts = words.prompts
    start = zlib.crc32(f"{send.program.id}:{month}:{number}".encode()) % len(prompts)
    chosen = [prompts[(start + i) % len(prompts)] for i in range(_PROMPTS)]
    title = words.title.format(month=label)
    name = send.program.spec.name
    return m.Message(
        (
            m.Heading(title),
            m.para(words.intro.format(program=name)),
            m.para("In this circle: ", *_mentions(circle)),
            m.bullets(*chosen),
            m.Note(words.close),
        ),
        f"{title} ({name})",
        KIND,
    )


def _mentions(circle: list[Member]) -> list[str | m.Span]:
    spans: list[str | m.Span] = []
    for n, member in enumerate(circle):
        spans += [", " if n else "", m.Mention(member.user_id)]
    return [*spans, "."]
