"""A matching round for a program's format: pairs, mentoring, or circles.

The result lists matches (members, roles, score, reasons) and the people left
without one, each with a reason code that the engine turns into a kind message.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from bot.matching import candidates as cand
from bot.matching import split
from bot.matching.participant import Profile
from bot.matching.score import Blocked, Context, Mode, PairScore, Reason, Rule, score_pair
from bot.matching.solve import max_weight_assignment, max_weight_pairs

# Up to this many people the whole feasible graph is solved: the round is exactly
# optimal. Larger pools keep each person's best k candidates, as many as an edge
# budget allows (k=40 up to 2,000 people, then fewer, never under 12): within
# 0.1% of the optimum where it can be checked, and 10,000 people in ~15 s.
# benchmarks/matching.py measures both.
EXACT_LIMIT = 600
EDGE_BUDGET = 80_000
MOST_NEIGHBOURS, FEWEST_NEIGHBOURS = 40, 12
# Above this many people a pairs round is built by bot.matching.split (cost grows
# with the pool, total score within 0.5% of the whole-pool round); up to it the
# whole pool is solved at once.
SPLIT_ABOVE = 3000


@dataclass(frozen=True)
class ProposedMatch:
    members: tuple[str, ...]
    roles: tuple[str, ...]  # one per member: peer, mentor, mentee, facilitator, member
    score: float
    reasons: tuple[Reason, ...]
    topic: str | None = None

    @property
    def kind(self) -> str:
        if self.topic is not None:
            return "group" if "mentor" in self.roles else "circle"
        if "mentor" in self.roles:
            return "mentoring"
        return "pair" if len(self.members) == 2 else "trio"


@dataclass(frozen=True)
class Waiting:
    id: str
    reason: str


@dataclass(frozen=True)
class Proposal:
    matches: tuple[ProposedMatch, ...]
    unmatched: tuple[Waiting, ...]
    exact: bool = True
    notes: tuple[str, ...] = field(default=())

    def total(self) -> float:
        return sum(m.score for m in self.matches)

    def matched_people(self) -> frozenset[str]:
        """Everyone in a match, each once (a mentor may be in several matches)."""
        return frozenset(member for match in self.matches for member in match.members)


def neighbours(count: int) -> int | None:
    """How many candidates each person keeps: all of them for ordinary pools."""
    if count <= EXACT_LIMIT:
        return None
    return max(FEWEST_NEIGHBOURS, min(MOST_NEIGHBOURS, EDGE_BUDGET // count))


def peer_round(
    people: Sequence[Profile],
    ctx: Context,
    seed: int,
    *,
    k: int | str | None = "auto",
    trios: bool | None = None,
    split_limit: int | str | None = "auto",
) -> Proposal:
    """Pairs over everyone; an odd person out joins a trio (or waits).

    ``split_limit`` builds the round in steps of about that many people
    (:mod:`bot.matching.split`) instead of solving the whole pool at once;
    ``"auto"`` does so above :data:`SPLIT_ABOVE` people, ``None`` never."""
    keep = neighbours(len(people)) if k == "auto" else k
    assert keep is None or isinstance(keep, int)
    if split_limit == "auto":
        split_limit = split.GROUP_LIMIT if len(people) > SPLIT_ABOVE else None
    assert split_limit is None or isinstance(split_limit, int)
    scorer = cand.Scorer(people, None, ctx)
    if split_limit is None:
        graph = cand.build(people, None, ctx, keep, scorer)
        pairs = max_weight_pairs(len(people), graph.edges, seed)
    else:
        pairs, graph = split.peer_pairs(people, ctx, seed, keep, split_limit, scorer)
    matched = {i for pair in pairs for i in pair}
    leftovers = [i for i in range(len(people)) if i not in matched]
    pairs += _pair_leftovers(people, leftovers, ctx)
    matches = [_pair_match(people[a], people[b], ctx) for a, b in pairs]
    matched = {i for pair in pairs for i in pair}
    waiting = []
    allow_trios = ctx.settings.allow_trios if trios is None else trios
    for i in (i for i in range(len(people)) if i not in matched):
        trio = _best_trio(i, matches, pairs, scorer) if allow_trios else None
        if trio is None:
            waiting.append(Waiting(people[i].id, _reason(graph, i, "odd_one_out")))
        else:
            matches[trio[0]] = trio[1]
    return Proposal(tuple(matches), tuple(waiting), exact=keep is None)


def _pair_leftovers(
    people: Sequence[Profile], leftovers: list[int], ctx: Context
) -> list[tuple[int, int]]:
    """With a sparse graph, two people left over may still suit each other: every
    pair of them scored at once (numpy, not pair by pair), best pair first."""
    if len(leftovers) < 2:
        return []
    graph = cand.build([people[i] for i in leftovers], None, ctx, None)
    scored = sorted((-score, leftovers[a], leftovers[b]) for (a, b), score in graph.edges.items())
    pairs, used = [], set()
    for _, a, b in scored:
        if a not in used and b not in used:
            pairs.append((a, b))
            used |= {a, b}
    return pairs


def _pair_match(a: Profile, b: Profile, ctx: Context) -> ProposedMatch:
    result = score_pair(a, b, ctx)
    assert isinstance(result, PairScore), "the solver only uses feasible pairs"
    return ProposedMatch((a.id, b.id), ("peer", "peer"), result.total, result.reasons)


def _best_trio(
    person: int, matches: list[ProposedMatch], pairs: list[tuple[int, int]], scorer: cand.Scorer
) -> tuple[int, ProposedMatch] | None:
    """The pair (``matches[n]`` is ``pairs[n]``) that ``person`` joins best: the
    highest average of the trio's three pair scores. Scored against everyone at
    once, then the chosen trio's reasons by the reference scoring."""
    if not pairs:
        return None
    everyone = np.arange(scorer.rows, dtype=np.int64)
    scores = scorer.block(np.array([person], dtype=np.int64), everyone)[0]
    a, b = np.array(pairs, dtype=np.int64).T
    pair_scores = np.array([m.score for m in matches], dtype=np.float64)
    still_pairs = np.array([len(m.members) == 2 for m in matches], dtype=np.bool_)
    totals = np.where(still_pairs, (pair_scores + scores[a] + scores[b]) / 3, -np.inf)
    n = int(np.argmax(totals))
    if totals[n] == -np.inf:  # a rule forbids every pair, or none is left
        return None
    person_profile = scorer.profiles[person]
    found = [score_pair(person_profile, scorer.profiles[m], scorer.ctx) for m in pairs[n]]
    pair_scored = [s for s in found if isinstance(s, PairScore)]
    if len(pair_scored) < 2:  # the two scorings disagree on a rule: never join
        return None
    total = (matches[n].score + sum(s.total for s in pair_scored)) / 3
    reasons = matches[n].reasons + tuple(r for s in pair_scored for r in s.reasons)
    members = (*matches[n].members, person_profile.id)
    return n, ProposedMatch(members, ("peer",) * 3, total, reasons)


def _reason(graph: cand.Candidates, index: int, otherwise: str, *, side: str = "row") -> str:
    """Why someone is left out: the rule that excluded most people, if nobody was left."""
    feasible = graph.row_feasible if side == "row" else graph.col_feasible
    if feasible[index] > 0:
        return otherwise
    blocked = graph.row_blocked if side == "row" else graph.col_blocked
    counts = {rule: int(blocked[rule][index]) for rule in Rule if rule is not Rule.SAME_PERSON}
    worst = max(counts.items(), key=lambda item: (item[1], item[0].value))
    return worst[0].value if worst[1] else "no_one_else"


def split_sides(people: Sequence[Profile], mode: Mode) -> tuple[list[Profile], list[Profile]]:
    """(mentors, mentees). People open to either side go where their level suits the
    format: senior ones mentor in mentoring, junior ones in reverse mentoring."""
    mentors: list[Profile] = []
    mentees: list[Profile] = []
    for person in people:
        role = person.role if person.role in {"mentor", "mentee"} else _side(person, mode)
        (mentors if role == "mentor" else mentees).append(person)
    return mentors, mentees


def _side(person: Profile, mode: Mode) -> str:
    senior = person.level >= 4
    return "mentor" if senior == (mode is Mode.MENTOR) else "mentee"


def mentoring_round(
    people: Sequence[Profile],
    ctx: Context,
    seed: int,
    *,
    k: int | str | None = "auto",
    split_limit: int | str | None = "auto",
) -> Proposal:
    """Mentees to mentors, each mentor taking up to the program's capacity.

    ``split_limit`` as for :func:`peer_round`: above :data:`SPLIT_ABOVE` people the
    round is built in steps (:func:`bot.matching.split.mentor_pairs`)."""
    mentors, mentees = split_sides(people, ctx.mode)
    keep = neighbours(len(people)) if k == "auto" else k
    assert keep is None or isinstance(keep, int)
    if split_limit == "auto":
        split_limit = split.GROUP_LIMIT if len(people) > SPLIT_ABOVE else None
    assert split_limit is None or isinstance(split_limit, int)
    capacity = ctx.settings.mentor_capacity
    if split_limit is None:
        graph = cand.build(mentees, mentors, ctx, keep)
        pairs = max_weight_assignment(len(mentees), len(mentors), capacity, graph.edges, seed)
    else:
        pairs, graph = split.mentor_pairs(mentees, mentors, ctx, seed, keep, capacity)
    matches = []
    for row, col in pairs:
        result = score_pair(mentors[col], mentees[row], ctx)
        assert isinstance(result, PairScore)
        matches.append(
            ProposedMatch(
                (mentors[col].id, mentees[row].id),
                ("mentor", "mentee"),
                result.total,
                result.reasons,
            )
        )
    taken_rows = {row for row, _ in pairs}
    taken_cols = {col for _, col in pairs}
    waiting = [
        Waiting(p.id, _reason(graph, i, "no_mentor_capacity"))
        for i, p in enumerate(mentees)
        if i not in taken_rows
    ]
    waiting += [
        Waiting(p.id, _reason(graph, j, "no_mentee", side="col"))
        for j, p in enumerate(mentors)
        if j not in taken_cols
    ]
    return Proposal(tuple(matches), tuple(waiting), exact=keep is None)


def describe_group(
    members: Sequence[Profile], roles: Sequence[str], ctx: Context
) -> ProposedMatch | Rule:
    """Pairs, trios and mentoring pairs re-scored after a coordinator's change, or the
    hard rule the new grouping would break."""
    scores: list[PairScore] = []
    pairs = (
        [(members[0], members[1])]
        if "mentor" in roles
        else [(a, b) for n, a in enumerate(members) for b in members[n + 1 :]]
    )
    for first, second in pairs:
        result = score_pair(first, second, ctx)
        if isinstance(result, Blocked):
            return result.rule
        scores.append(result)
    total = sum(s.total for s in scores) / len(scores)
    reasons = tuple(r for s in scores for r in s.reasons)
    return ProposedMatch(tuple(p.id for p in members), tuple(roles), total, reasons)
