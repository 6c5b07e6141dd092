"""The mentors' circle: once a month, the mentors of a mentoring program meet as a
small community of practice, to trade what works.

The program's current mentors (the mentor of each running mentoring pair or
group, a circle's facilitator) are ordered by the middle of their working day and
cut into circles of the program's circle size, as learning circles are; a circle
must share the program's minimum working hours, or it is not formed (its
mentors are tried with their neighbours). Each circle gets one message, in a
group conversation where the platform has them, with a few prompts; nothing is
stored but the message, and its key (month and circle) makes it once a month.
"""

from __future__ import annotations

import zlib

from bot import outbound as m
from bot.cadence.content import guides
from bot.cadence.work import Work
from bot.matching.hours import Slots, availability, common_hours, week_start
from bot.model import Member
from bot.program.spec import Format

KIND = "mentors"
_FORMATS = frozenset({Format.MENTOR_MENTEE, Format.REVERSE, Format.GROUP_MENTORING})
_LEADS = frozenset({"mentor", "facilitator"})
_PROMPTS = 3  # prompts in one month's message


def mentors_circles(work: Work) -> None:
    """This month's mentors' circles, formed once (on the month's first look)."""
    if work.spec.format not in _FORMATS:
        return
    month = f"{work.now:%Y-%m}"
    first = _key(work, month, 1)
    if work.uow.outbox.status(work.program.workspace_id, first) is not None:
        return
    mentors = _mentors(work)
    if len(mentors) < 3:
        return
    for n, circle in enumerate(_circles(work, mentors), start=1):
        work.group(circle, _message(work, month, n, circle), _key(work, month, n))


def _key(work: Work, month: str, number: int) -> str:
    return f"mentors:{work.program.id}:{month}:{number}"


def _mentors(work: Work) -> list[Member]:
    found: dict[int, Member] = {}
    for match in work.active():
        if match.introduced_at is None:
            continue
        for member in match.members:
            if member.role in _LEADS:
                found.setdefault(member.person_id, member)
    return sorted(found.values(), key=lambda x: x.person_id)


def _circles(work: Work, mentors: list[Member]) -> list[list[Member]]:
    size = work.spec.matching.circle_size
    ordered = sorted(mentors, key=lambda x: (_midday(work, x), x.person_id))
    count = max(1, round(len(ordered) / size))
    bounds = [round(n * len(ordered) / count) for n in range(count + 1)]
    cut = [ordered[bounds[n] : bounds[n + 1]] for n in range(count)]
    return [circle for circle in cut if len(circle) >= 3 and _meet(work, circle)]


def _slots(work: Work, member: Member) -> Slots:
    hours = work.hours(member.person_id)
    return availability(hours.timezone, hours.window, week_start(work.now.date()))


def _midday(work: Work, member: Member) -> float:
    """The middle of their first working day, in UTC slots (as circles order people)."""
    busy = _slots(work, member).nonzero()[0]
    first_day = busy[busy < busy[0] + 96] if busy.size else busy
    return float(first_day.mean() % 96) if first_day.size else 0.0


def _meet(work: Work, circle: list[Member]) -> bool:
    slots = [_slots(work, x) for x in circle]
    return common_hours(slots) >= work.spec.matching.min_overlap_hours


def _message(work: Work, month: str, number: int, circle: list[Member]) -> m.Message:
    words = guides().mentors_circle
    label = f"{work.now:%B}"
    prompts = words.prompts
    start = zlib.crc32(f"{work.program.id}:{month}:{number}".encode()) % len(prompts)
    chosen = [prompts[(start + i) % len(prompts)] for i in range(_PROMPTS)]
    title = words.title.format(month=label)
    return m.Message(
        (
            m.Heading(title),
            m.para(words.intro.format(program=work.spec.name)),
            m.para("In this circle: ", *_mentions(circle)),
            m.bullets(*chosen),
            m.Note(words.close),
        ),
        f"{title} ({work.spec.name})",
        KIND,
    )


def _mentions(circle: list[Member]) -> list[str | m.Span]:
    spans: list[str | m.Span] = []
    for n, member in enumerate(circle):
        spans += [", " if n else "", m.Mention(member.handle)]
    return [*spans, "."]
