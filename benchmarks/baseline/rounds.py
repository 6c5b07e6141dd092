"""Pre-issue-18 reference (frozen copy of bot/matching/proposal.py at main d8aa2f2).

Used only by benchmarks/matching.py to compare today's matching with the code
before issue 18 on the same pools. Not part of the product; do not edit.

A matching round for a program's format: pairs, mentoring, or circles.

The result lists matches (members, roles, score, reasons) and the people left
without one, each with a reason code that the engine turns into a kind message.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from benchmarks.baseline import candidates as cand
from benchmarks.baseline.solve import max_weight_assignment, max_weight_pairs
from bot.matching.participant import Profile
from bot.matching.score import Blocked, Context, Mode, PairScore, Reason, Rule, score_pair

# Up to this many people the whole feasible graph is solved: the round is exactly
# optimal. Larger pools keep each person's best k candidates, as many as an edge
# budget allows (k=40 up to 2,000 people, then fewer, never under 12): within
# 0.1% of the optimum where it can be checked, and 10,000 people in ~15 s.
# benchmarks/matching.py measures both.
EXACT_LIMIT = 600
EDGE_BUDGET = 80_000
MOST_NEIGHBOURS, FEWEST_NEIGHBOURS = 40, 12


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
            return "circle"
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
) -> Proposal:
    """Pairs over everyone; an odd person out joins a trio (or waits)."""
    keep = neighbours(len(people)) if k == "auto" else k
    assert keep is None or isinstance(keep, int)
    graph = cand.build(people, None, ctx, keep)
    pairs = max_weight_pairs(len(people), graph.edges, seed)
    matched = {i for pair in pairs for i in pair}
    leftovers = [i for i in range(len(people)) if i not in matched]
    pairs += _pair_leftovers(people, leftovers, ctx)
    matches = [_pair_match(people[a], people[b], ctx) for a, b in pairs]
    matched = {i for pair in pairs for i in pair}
    waiting = []
    allow_trios = ctx.settings.allow_trios if trios is None else trios
    for i in (i for i in range(len(people)) if i not in matched):
        trio = _best_trio(people[i], matches, people, ctx) if allow_trios else None
        if trio is None:
            waiting.append(Waiting(people[i].id, _reason(graph, i, "odd_one_out")))
        else:
            matches[trio[0]] = trio[1]
    return Proposal(tuple(matches), tuple(waiting), exact=keep is None)


def _pair_leftovers(
    people: Sequence[Profile], leftovers: list[int], ctx: Context
) -> list[tuple[int, int]]:
    """With a sparse graph, two people left over may still suit each other."""
    scored = []
    for n, a in enumerate(leftovers):
        for b in leftovers[n + 1 :]:
            result = score_pair(people[a], people[b], ctx)
            if isinstance(result, PairScore):
                scored.append((-result.total, a, b))
    pairs, used = [], set()
    for _, a, b in sorted(scored):
        if a not in used and b not in used:
            pairs.append((a, b))
            used |= {a, b}
    return pairs


def _pair_match(a: Profile, b: Profile, ctx: Context) -> ProposedMatch:
    result = score_pair(a, b, ctx)
    assert isinstance(result, PairScore), "the solver only uses feasible pairs"
    return ProposedMatch((a.id, b.id), ("peer", "peer"), result.total, result.reasons)


def _best_trio(
    person: Profile, matches: list[ProposedMatch], people: Sequence[Profile], ctx: Context
) -> tuple[int, ProposedMatch] | None:
    by_id = {p.id: p for p in people}
    best: tuple[float, int, ProposedMatch] | None = None
    for n, match in enumerate(matches):
        if len(match.members) != 2:
            continue
        scores = [score_pair(person, by_id[m], ctx) for m in match.members]
        if any(isinstance(s, Blocked) for s in scores):
            continue
        pair_scores = [s for s in scores if isinstance(s, PairScore)]
        total = (match.score + sum(s.total for s in pair_scores)) / 3
        if best is None or total > best[0]:
            reasons = tuple(r for s in pair_scores for r in s.reasons)
            trio = ProposedMatch(
                (*match.members, person.id), ("peer",) * 3, total, match.reasons + reasons
            )
            best = (total, n, trio)
    return None if best is None else (best[1], best[2])


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
    people: Sequence[Profile], ctx: Context, seed: int, *, k: int | str | None = "auto"
) -> Proposal:
    """Mentees to mentors, each mentor taking up to the program's capacity."""
    mentors, mentees = split_sides(people, ctx.mode)
    keep = neighbours(len(people)) if k == "auto" else k
    assert keep is None or isinstance(keep, int)
    graph = cand.build(mentees, mentors, ctx, keep)
    capacity = ctx.settings.mentor_capacity
    pairs = max_weight_assignment(len(mentees), len(mentors), capacity, graph.edges, seed)
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
