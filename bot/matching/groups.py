"""Group mentoring: one mentor with three to five mentees who want to learn what the
mentor can teach, in one group conversation.

Mentors are taken in a seeded order, those with fewest suitable mentees first (they
are the hardest to place). For each, the topic they can teach that the most of
their still-free candidate mentees want decides the group; mentees join in the
order of how well they suit the mentor, as long as the whole group keeps every
hard rule between every two of its members and shares the minimum working hours.
A group smaller than three is not formed: its people wait, with the reason.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from bot.matching.features import Bools, Ints
from bot.matching.group_candidates import Keen
from bot.matching.hours import availability, common_hours
from bot.matching.participant import Profile
from bot.matching.proposal import Proposal, ProposedMatch, Waiting, split_sides
from bot.matching.score import Blocked, Context, Mode, PairScore, Reason, score_pair

SMALLEST = 3
LARGEST = 5


def group_round(people: Sequence[Profile], ctx: Context, seed: int) -> Proposal:
    """Mentoring groups for ``people``; the rest wait, each with a reason."""
    rng = random.Random(seed)
    mentors, mentees = split_sides(people, Mode.MENTOR)
    largest = max(SMALLEST, min(LARGEST, ctx.settings.group_size))
    keen = Keen(mentors, mentees, _as(ctx, Mode.MENTOR))
    forming = _Forming(mentors, mentees, keen, np.ones(len(mentees), np.bool_), ctx, largest)
    order = list(range(len(mentors)))
    order.sort(key=lambda n: mentors[n].id)
    rng.shuffle(order)
    order.sort(key=lambda n: int(keen.suitable[n]))
    groups: list[ProposedMatch] = []
    led: set[str] = set()
    for mentor in order:
        group = forming.best_group(mentor)
        if group is None:
            continue
        groups.append(group)
        led.add(mentors[mentor].id)
    left = np.flatnonzero(forming.free).tolist()
    waiting = [Waiting(x.id, "no_group") for x in sorted((mentees[n] for n in left), key=_id)]
    waiting += [Waiting(x.id, "no_mentee") for x in sorted(mentors, key=_id) if x.id not in led]
    return Proposal(tuple(groups), tuple(waiting))


def _id(person: Profile) -> str:
    return person.id


def _as(ctx: Context, mode: Mode) -> Context:
    return ctx if ctx.mode is mode else replace(ctx, mode=mode)


@dataclass
class _Forming:
    """A round's groups being formed: who is still ``free``, and how to choose."""

    mentors: Sequence[Profile]
    mentees: Sequence[Profile]
    keen: Keen
    free: Bools
    ctx: Context
    largest: int

    def best_group(self, mentor: int) -> ProposedMatch | None:
        """The mentor's best group (most mentees, then the best score) over the
        topics they teach; its mentees are no longer free."""
        best: tuple[ProposedMatch, list[int]] | None = None
        for topic in sorted(self.mentors[mentor].offers):
            chosen = self._choose(mentor, topic)
            if len(chosen) < SMALLEST:
                continue
            people = [self.mentees[x] for x in chosen]
            group = _as_match(self.mentors[mentor], people, topic, self.ctx)
            if best is None or (len(group.members), group.score) > (
                len(best[0].members),
                best[0].score,
            ):
                best = (group, chosen)
        if best is None:
            return None
        self.free[best[1]] = False
        return best[0]

    def _choose(self, mentor: int, topic: str) -> list[int]:
        """Free mentees who want ``topic``, best suited first, each joining while
        the group keeps every rule, up to the largest group; past the mentor's best
        few only if those were not enough."""
        best = self.keen.best[(mentor, topic)]
        chosen = self._join(mentor, [], best)
        if len(chosen) < self.largest and (mentor, topic) in self.keen.cut:
            rest = self.keen.all_of(mentor, topic, self.free)
            chosen = self._join(mentor, chosen, rest[~np.isin(rest, best)])
        return chosen

    def _join(self, mentor: int, chosen: list[int], candidates: Ints) -> list[int]:
        for x in candidates[self.free[candidates]].tolist():
            if len(chosen) >= self.largest:
                break
            people = [self.mentees[n] for n in (*chosen, x)]
            if _keeps_rules(self.mentors[mentor], people, self.ctx):
                chosen.append(x)
        return chosen


def _keeps_rules(mentor: Profile, mentees: Sequence[Profile], ctx: Context) -> bool:
    """Every two mentees keep the hard rules (as peers), and the whole group shares
    the minimum working hours (each mentee suits the mentor already)."""
    peers = _as(ctx, Mode.PEER)
    newest = mentees[-1]
    if any(isinstance(score_pair(newest, other, peers), Blocked) for other in mentees[:-1]):
        return False
    slots = [availability(p.timezone, p.hours, ctx.monday) for p in (mentor, *mentees)]
    return common_hours(slots) >= ctx.settings.min_overlap_hours


def describe_mentoring_group(
    members: Sequence[Profile], topic: str, ctx: Context
) -> ProposedMatch | None:
    """The group of these members (the mentor first) around ``topic``, or ``None`` if it
    breaks a rule (after a coordinator's change)."""
    if not SMALLEST + 1 <= len(members) <= LARGEST + 1:
        return None
    mentor, mentees = members[0], list(members[1:])
    mentor_ctx = _as(ctx, Mode.MENTOR)
    for mentee in mentees:
        result = score_pair(mentor, mentee, mentor_ctx)
        if not isinstance(result, PairScore) or topic not in mentee.wants:
            return None
    if topic not in mentor.offers:
        return None
    if not all(_keeps_rules(mentor, mentees[: n + 1], ctx) for n in range(len(mentees))):
        return None
    return _as_match(mentor, mentees, topic, ctx)


def _as_match(
    mentor: Profile, mentees: Sequence[Profile], topic: str, ctx: Context
) -> ProposedMatch:
    """The group as a match: its score is the average of the mentor's fit with each
    mentee (by the reference scoring; every one of them suits the mentor)."""
    ordered = sorted(mentees, key=lambda x: x.id)
    ids = (mentor.id, *(x.id for x in ordered))
    mentor_ctx = _as(ctx, Mode.MENTOR)
    scores = [s for x in ordered if isinstance(s := score_pair(mentor, x, mentor_ctx), PairScore)]
    slots = [availability(p.timezone, p.hours, ctx.monday) for p in (mentor, *ordered)]
    reasons = (
        Reason("topic", ctx.settings.weights.skills, ids, (topic,)),
        Reason("facilitates", 0.0, (mentor.id,), (topic,)),
        Reason("group_hours", 0.0, ids, value=common_hours(slots)),
        *sorted(
            (r for s in scores for r in s.reasons if r.code == "goals"), key=lambda r: -r.points
        )[:1],
    )
    score = sum(s.total for s in scores) / len(scores)
    roles = ("mentor", *("mentee",) * len(ordered))
    return ProposedMatch(ids, roles, score, reasons, topic=topic)
