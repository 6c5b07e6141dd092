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
from bot.cadence.sender import Sender
from bot.cadence.snapshot import Snapshot
from bot.matching.hours import Slots, availability, common_hours, week_start
from bot.model import Member
from bot.program.spec import Format

KIND = "mentors"
_FORMATS = frozenset({Format.MENTOR_MENTEE, Format.REVERSE, Format.GROUP_MENTORING})
_LEADS = frozenset({"mentor", "facilitator"})
_PROMPTS = 3  # prompts in one month's message


def mentors_circles(state: Snapshot, send: Sender) -> None:
    """This month's mentors' circles, formed once (on the month's first look)."""
    if state.spec.format not in _FORMATS:
        return
    month = f"{send.now:%Y-%m}"
    first = _key(send, month, 1)
    if send.uow.outbox.status(send.program.workspace_id, first) is not None:
        return
    mentors = _mentors(state)
    if len(mentors) < 3:
        return
    for n, circle in enumerate(_circles(send, mentors), start=1):
        send.group(circle, _message(send, month, n, circle), _key(send, month, n))


def _key(send: Sender, month: str, number: int) -> str:
    return f"mentors:{send.program.id}:{month}:{number}"


def _mentors(state: Snapshot) -> list[Member]:
    found: dict[int, Member] = {}
    for match in state.active:
        if match.introduced_at is None:
            continue
        for member in match.members:
            if member.role in _LEADS:
                found.setdefault(member.person_id, member)
    return sorted(found.values(), key=lambda x: x.person_id)


def _circles(send: Sender, mentors: list[Member]) -> list[list[Member]]:
    size = send.program.spec.matching.circle_size
    ordered = sorted(mentors, key=lambda x: (_midday(send, x), x.person_id))
    count = max(1, round(len(ordered) / size))
    bounds = [round(n * len(ordered) / count) for n in range(count + 1)]
    cut = [ordered[bounds[n] : bounds[n + 1]] for n in range(count)]
    return [circle for circle in cut if len(circle) >= 3 and _meet(send, circle)]


def _slots(send: Sender, member: Member) -> Slots:
    hours = send.places.hours(member.person_id)
    return availability(hours.timezone, hours.window, week_start(send.now.date()))


def _midday(send: Sender, member: Member) -> float:
    """The middle of their first working day, in UTC slots (as circles order people)."""
    busy = _slots(send, member).nonzero()[0]
    first_day = busy[busy < busy[0] + 96] if busy.size else busy
    return float(first_day.mean() % 96) if first_day.size else 0.0


def _meet(send: Sender, circle: list[Member]) -> bool:
    slots = [_slots(send, x) for x in circle]
    return common_hours(slots) >= send.program.spec.matching.min_overlap_hours


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
