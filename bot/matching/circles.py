"""Learning circles: small groups who want to learn the same thing.

Each person joins at most one circle, around one of the topics they want to
learn. Topics are taken in order of demand; a topic's people are ordered by when
they work (so a circle can find a common hour) and cut into circles of the
program's size. A circle must keep every hard rule between every two members and
share at least the minimum working hours as a whole group. Swaps between
neighbouring circles then improve the total. The facilitator is a member who can
teach the topic (the most experienced one), else the most experienced member.
"""

from __future__ import annotations

import itertools
import random
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from bot.matching.hours import Slots, availability, common_hours
from bot.matching.participant import Profile
from bot.matching.proposal import Proposal, ProposedMatch, Waiting
from bot.matching.score import Blocked, Context, PairScore, Reason, score_pair

_SWAP_PASSES = 2


@dataclass
class _Circle:
    topic: str
    members: list[Profile]


def circle_round(people: Sequence[Profile], ctx: Context, seed: int) -> Proposal:
    rng = random.Random(seed)
    size = ctx.settings.circle_size
    pairs = _Pairs(ctx)
    smallest, largest = max(3, size - 1), min(6, size + 1)
    circles: list[_Circle] = []
    left = list(people)
    while True:  # people a circle could not keep get a go at their other topics
        formed, left = _by_topic(left, ctx, rng, size, smallest)
        for _ in range(_SWAP_PASSES):
            _improve(formed, pairs)
        formed, left = _drop_invalid(formed, left, pairs, smallest)
        if not formed:
            break
        circles += formed
    waiting = []
    for person in sorted(left, key=lambda p: p.id):
        home = _best_home(person, circles, pairs, largest)
        if home is None:
            waiting.append(Waiting(person.id, _why_not(person, people, ctx)))
        else:
            home.members.append(person)
    return Proposal(tuple(_as_match(c, pairs) for c in circles), tuple(waiting))


def _by_topic(
    people: Sequence[Profile], ctx: Context, rng: random.Random, size: int, smallest: int
) -> tuple[list[_Circle], list[Profile]]:
    demand = Counter(topic for p in people for topic in p.wants)
    free = {p.id: p for p in people}
    circles: list[_Circle] = []
    for topic in sorted(demand, key=lambda t: (-demand[t], t)):
        keen = [p for p in free.values() if topic in p.wants]
        if len(keen) < smallest:
            continue
        for person in keen:
            del free[person.id]
        circles += _cut(topic, _by_working_time(keen, ctx, rng), size, smallest)
    return circles, list(free.values())


def _by_working_time(people: list[Profile], ctx: Context, rng: random.Random) -> list[Profile]:
    """People ordered by the middle of their working day in UTC (ties: seeded order)."""
    shuffled = sorted(people, key=lambda p: p.id)
    rng.shuffle(shuffled)
    return sorted(shuffled, key=lambda p: _midday(p, ctx))


def _midday(person: Profile, ctx: Context) -> float:
    slots = availability(person.timezone, person.hours, ctx.monday)
    busy = slots.nonzero()[0]
    first_day = busy[busy < busy[0] + 96] if busy.size else busy
    return float(first_day.mean() % 96) if first_day.size else 0.0


def _cut(topic: str, people: list[Profile], size: int, smallest: int) -> list[_Circle]:
    count = max(1, round(len(people) / size))
    while count > 1 and len(people) // count < smallest:
        count -= 1
    bounds = [round(n * len(people) / count) for n in range(count + 1)]
    return [_Circle(topic, people[bounds[n] : bounds[n + 1]]) for n in range(count)]


class _Pairs:
    """Pair scores and working weeks within one round, remembered by person id:
    swaps between circles score the same pairs over and over, and hashing two ids
    is far cheaper than hashing two profiles and the context (ids are unique in a
    round; a pure function, so this only saves time)."""

    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self._scores: dict[tuple[str, str], PairScore | Blocked] = {}
        self._slots: dict[str, Slots] = {}

    def score(self, a: Profile, b: Profile) -> PairScore | Blocked:
        found = self._scores.get((a.id, b.id))
        if found is None:
            found = self._scores[a.id, b.id] = score_pair(a, b, self.ctx)
        return found

    def slots(self, person: Profile) -> Slots:
        found = self._slots.get(person.id)
        if found is None:
            found = self._slots[person.id] = availability(
                person.timezone, person.hours, self.ctx.monday
            )
        return found


def _pair_scores(members: Sequence[Profile], pairs: _Pairs) -> list[PairScore] | None:
    scores = []
    for n, a in enumerate(members):
        for b in members[n + 1 :]:
            result = pairs.score(a, b)
            if isinstance(result, Blocked):
                return None
            scores.append(result)
    return scores


def _fits(members: Sequence[Profile], pairs: _Pairs) -> bool:
    if _pair_scores(members, pairs) is None:
        return False
    slots = [pairs.slots(p) for p in members]
    return common_hours(slots) >= pairs.ctx.settings.min_overlap_hours


def _value(members: Sequence[Profile], pairs: _Pairs) -> float:
    """A circle's score: the mean of its pairs' scores (minus infinity if it breaks a rule)."""
    scores = _pair_scores(members, pairs) if _fits(members, pairs) else None
    if not scores:
        return float("-inf")
    return sum(s.total for s in scores) / len(scores)


def _improve(circles: list[_Circle], pairs: _Pairs) -> None:
    """Swap members between neighbouring circles of a topic when both get better
    (a broken circle counts as minus infinity, so swaps also repair)."""
    for first, second in itertools.pairwise(circles):
        if first.topic != second.topic:
            continue
        for i in range(len(first.members)):
            for j in range(len(second.members)):
                _try_swap(first, second, i, j, pairs)


def _try_swap(first: _Circle, second: _Circle, i: int, j: int, pairs: _Pairs) -> None:
    before = _value(first.members, pairs) + _value(second.members, pairs)
    a, b = list(first.members), list(second.members)
    a[i], b[j] = b[j], a[i]
    if _value(a, pairs) + _value(b, pairs) > before:
        first.members, second.members = a, b


def _drop_invalid(
    circles: list[_Circle], left: list[Profile], pairs: _Pairs, smallest: int
) -> tuple[list[_Circle], list[Profile]]:
    """Remove members a circle cannot keep; a circle too small to run dissolves."""
    kept: list[_Circle] = []
    for circle in circles:
        while len(circle.members) >= smallest and not _fits(circle.members, pairs):
            worst = max(
                circle.members,
                key=lambda p: _value([m for m in circle.members if m is not p], pairs),
            )
            circle.members.remove(worst)
            left.append(worst)
        if len(circle.members) >= smallest:
            kept.append(circle)
        else:
            left.extend(circle.members)
    return kept, left


def _best_home(
    person: Profile, circles: list[_Circle], pairs: _Pairs, largest: int
) -> _Circle | None:
    """The best circle with room for someone who wants its topic, or who can teach it
    to a circle that has nobody who can."""
    options = [
        (_value([*c.members, person], pairs), n)
        for n, c in enumerate(circles)
        if len(c.members) < largest and _welcome(person, c) and _fits([*c.members, person], pairs)
    ]
    return circles[max(options)[1]] if options else None


def _welcome(person: Profile, circle: _Circle) -> bool:
    if circle.topic in person.wants:
        return True
    return circle.topic in person.offers and not any(
        circle.topic in m.offers for m in circle.members
    )


def _why_not(person: Profile, people: Sequence[Profile], ctx: Context) -> str:
    demand = Counter(topic for p in people for topic in p.wants)
    if not any(demand[t] >= 3 for t in person.wants):
        return "no_circle_topic"
    return "no_circle"


def _facilitator(circle: _Circle) -> Profile:
    teachers = [p for p in circle.members if circle.topic in p.offers]
    return max(teachers or circle.members, key=lambda p: (p.level, p.id))


def describe_circle(members: Sequence[Profile], topic: str, ctx: Context) -> ProposedMatch | None:
    """A circle of these members around ``topic``, or ``None`` if it breaks a rule."""
    circle = _Circle(topic, list(members))
    pairs = _Pairs(ctx)
    if (
        len(members) < 3
        or not _fits(members, pairs)
        or not all(_welcome_any(p, topic) for p in members)
    ):
        return None
    return _as_match(circle, pairs)


def _welcome_any(person: Profile, topic: str) -> bool:
    return topic in person.wants or topic in person.offers


def _as_match(circle: _Circle, pairs: _Pairs) -> ProposedMatch:
    lead = _facilitator(circle)
    members = [lead, *sorted((p for p in circle.members if p is not lead), key=lambda p: p.id)]
    scores = _pair_scores(members, pairs) or []
    hours = common_hours([pairs.slots(p) for p in members])
    ids = tuple(p.id for p in members)
    reasons = (
        Reason("topic", pairs.ctx.settings.weights.skills, ids, (circle.topic,)),
        Reason(
            "facilitates", 0.0, (lead.id,), (circle.topic,) if circle.topic in lead.offers else ()
        ),
        Reason("group_hours", 0.0, ids, value=hours),
        *sorted(
            (r for s in scores for r in s.reasons if r.code == "goals"), key=lambda r: -r.points
        )[:1],
    )
    score = sum(s.total for s in scores) / len(scores) if scores else 0.0
    roles = ("facilitator", *("member",) * (len(members) - 1))
    return ProposedMatch(ids, roles, score, reasons, topic=circle.topic)
