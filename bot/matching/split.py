"""Large pools: candidates from a skill index, then the best assignment, then repairs.

Scoring every pair and running the blossom algorithm on the whole pool both grow
faster than the pool (n^2 and worse). Above :data:`bot.matching.proposal.SPLIT_ABOVE`
people a round is built in steps whose cost grows little faster than the pool:

- **Candidates.** Each person is scored only against people who teach a skill
  they want (per skill at most :data:`~bot.matching.candidate_graph.COLUMNS`
  teachers, in a seeded order; for peers also per pair of skills exchanged) and
  keeps their ``k`` best; requested partners are always candidates. Someone who
  finds fewer than :data:`~bot.matching.candidate_graph.FEW` feasible partners
  that way is scored against everyone.
- **The best assignment** of the candidate graph (:mod:`bot.matching.cover`):
  for mentoring it is the round; for peers, the people who choose each other
  (about 95% of them) are paired.
- **Whoever is left** gets fresh candidates among the others left, scored in
  chunks of people who work at similar times, and is matched by the blossom
  algorithm in groups of at most ``limit``; then a repair along augmenting paths,
  so nobody is stranded that a whole-pool round would match.

Everything works on arrays (the candidate graph is never a Python dict until the
end). The blossom algorithm, whose cost grows fastest, only ever sees a bounded
group of people.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from bot.matching.candidate_graph import (
    FULL_ROWS,
    Edges,
    Graph,
    full_rows,
    index_candidates,
    keep_feasible,
    requested_pairs,
)
from bot.matching.candidates import Candidates, Scorer
from bot.matching.cover import assign, choices, cycles, mutual
from bot.matching.features import Ints
from bot.matching.neighbourhoods import cut, mask, pairs_of, repair
from bot.matching.participant import Profile
from bot.matching.score import Context
from bot.matching.sweeps import resolve, resolve_all

GROUP_LIMIT = 2000  # the most people one blossom solve sees
# People left after the assignment are scored against each other in chunks of at
# most this many (about 16 million pairs, a few hundred MB at most).
FRESH_CHUNK = 4000
# The assignment's cycles are short (mostly four or six people), so the people it
# leaves are solved in groups of whole cycles this large: the blossom algorithm's
# cost grows far faster than a group. 50,000 people: 16.3 s -> 15.2 s against
# groups of 2,000, and a total 0.007% lower.
CYCLE_GROUP = 500


def peer_pairs(
    people: Sequence[Profile],
    ctx: Context,
    seed: int,
    k: int | None,
    limit: int = GROUP_LIMIT,
    scorer: Scorer | None = None,
) -> tuple[list[tuple[int, int]], Candidates]:
    """The round's pairs (indices into ``people``) and the candidate graph
    (``scorer``: one already built for ``people``)."""
    scorer = Scorer(people, None, ctx) if scorer is None else scorer
    result = Candidates.empty(scorer.rows, scorer.cols)
    rows, cols, scores, hard = index_candidates(scorer, k, seed, result)
    full_rows(scorer, hard, k, result)
    requested_pairs(scorer, result.edges)
    edges = Edges.join(Edges(rows, cols, scores), Edges.of(result.edges))
    choice = choices(scorer.rows, edges.a, edges.b, Graph.weights(edges))
    mate = mutual(choice)
    edges = _pair_the_rest(scorer, edges, choice, mate, k, seed, limit)
    result.edges = edges.as_dict()
    return pairs_of(mate), result


def mentor_pairs(
    mentees: Sequence[Profile],
    mentors: Sequence[Profile],
    ctx: Context,
    seed: int,
    k: int | None,
    capacity: int,
) -> tuple[list[tuple[int, int]], Candidates]:
    """(mentee, mentor) index pairs, each mentor at most ``capacity`` times, and
    the candidate graph: the best assignment of mentees to mentors (the most
    mentees, then the best total); then the mentees it leaves are scored against
    every mentor with room, and the assignment is made again with them."""
    scorer = Scorer(mentees, mentors, ctx)
    result = Candidates.empty(scorer.rows, scorer.cols)
    rows, cols, scores, hard = index_candidates(scorer, k, seed, result)
    full_rows(scorer, hard, k, result)
    requested_pairs(scorer, result.edges)
    found = Edges.join(Edges(rows, cols, scores), Edges.of(result.edges), ordered=False)
    weights = Graph.weights(found)
    chosen = assign(scorer.rows, scorer.cols, found.a, found.b, weights, capacity, most_first=False)
    # Mentees still without a mentor are scored against every mentor with room left,
    # so the split strands nobody for want of candidates.
    left = np.flatnonzero(chosen < 0)
    if len(left):
        seats = np.bincount(chosen[chosen >= 0], minlength=scorer.cols)
        room = np.flatnonzero(seats < capacity)
        extra: dict[tuple[int, int], float] = {}
        for start in range(0, len(left), FULL_ROWS):
            batch = left[start : start + FULL_ROWS]
            keep_feasible(scorer, scorer.block(batch, room), batch, room, k, extra)
        found = Edges.join(found, Edges.of(extra), ordered=False)
        chosen = assign(scorer.rows, scorer.cols, found.a, found.b, Graph.weights(found), capacity)
    matched = np.flatnonzero(chosen >= 0)
    result.edges = found.as_dict()
    return sorted(zip(matched.tolist(), chosen[matched].tolist(), strict=True)), result


def _pair_the_rest(
    scorer: Scorer,
    edges: Edges,
    choice: Ints,
    mate: Ints,
    k: int | None,
    seed: int,
    limit: int,
) -> Edges:
    """Match whoever ``mate`` leaves unmatched: fresh candidates among them, the
    blossom algorithm on groups of at most ``limit`` (whole cycles of ``choice``
    together where they fit: an even cycle holds two matchings, the better worth at
    least its share of the assignment), then whoever is still left together, then a
    repair so nobody is stranded. Returns the candidate graph with the fresh
    candidates."""
    count = scorer.rows
    rng = np.random.default_rng(seed)
    left = np.flatnonzero(mate < 0)
    # Same working-time class side by side, so chunks hold people who can meet.
    by_time = left[np.argsort(scorer.left.when[left], kind="stable")]
    fresh: list[Edges] = []
    for chunk in cut(by_time, FRESH_CHUNK):
        scored: dict[tuple[int, int], float] = {}
        keep_feasible(scorer, scorer.block(chunk, chunk), chunk, chunk, k, scored)
        fresh.append(Edges.of(scored))
    edges = Edges.join(edges, *fresh)
    graph = Graph(edges, count)
    resolve_all(cut(cycles(choice, by_time), min(limit, CYCLE_GROUP)), mate, graph, rng)
    rest = np.flatnonzero(mate < 0)
    if len(rest) <= limit:
        resolve(mask(rest, count), mate, graph, rng)
    repair(graph, mate, rng, count)
    return edges
