"""Large pools: candidates from a skill index, a quick round, then local re-solves.

Scoring every pair and running the blossom algorithm on the whole pool both grow
faster than the pool (n^2 and worse). Above :data:`bot.matching.proposal.SPLIT_ABOVE`
people a round is built in steps whose cost grows with the pool:

- **Candidates.** Each person is scored only against people who teach a skill
  they want (per skill at most :data:`COLUMNS` teachers, in a seeded order) and
  keeps their ``k`` best; requested partners are always candidates. Someone who
  finds fewer than :data:`FEW` feasible partners that way is scored against
  everyone.
- **A first round.** The people with few partners first (with anyone they may
  meet), then best pair first, then everyone still unmatched with fresh
  candidates among them, then a repair along augmenting paths so nobody is
  stranded that a whole-pool round would match.
- **Large-neighbourhood search.** :data:`PASSES` sweeps re-solve, with the
  blossom algorithm, neighbourhoods grown outward over the candidate graph from
  the current pairs (disjoint ones first, then overlapping ones of about half
  ``limit`` people); a neighbourhood's new pairs are kept only if they match as
  many people and score more.

Mentoring (:func:`mentor_pairs`) takes the same steps on a graph where each
mentor is present once per place they offer. Everything works on arrays (the
candidate graph is never a Python dict until the end), so the blossom calls,
each on a bounded neighbourhood, are what the time goes on.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from bot.matching.blossoms import Blossoms, blossoms
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
from bot.matching.features import Ints
from bot.matching.neighbourhoods import cut, first_round, mask, mates, pairs_of, repair
from bot.matching.participant import Profile
from bot.matching.score import Context
from bot.matching.sweeps import neighbourhood_sweeps, resolve, resolve_all

GROUP_LIMIT = 2000  # leftovers are scored in chunks of twice this; neighbourhoods half
PASSES = 3  # two disjoint sweeps, then one whose neighbourhoods overlap


def peer_pairs(
    people: Sequence[Profile],
    ctx: Context,
    seed: int,
    k: int | None,
    limit: int = GROUP_LIMIT,
    passes: int | None = None,
) -> tuple[list[tuple[int, int]], Candidates]:
    """The round's pairs (indices into ``people``) and the candidate graph."""
    scorer = Scorer(people, None, ctx)
    result = Candidates.empty(scorer.rows, scorer.cols)
    rows, cols, scores, hard = index_candidates(scorer, k, seed, result)
    full_rows(scorer, hard, k, result)
    requested_pairs(scorer, result.edges)
    edges = Edges.join(Edges(rows, cols, scores), Edges.of(result.edges))
    sweeps = PASSES if passes is None else passes
    with blossoms(scorer.rows) as solver:
        pairs, edges = _solve_peers(scorer, edges, hard, k, seed, limit, solver)
        graph = Graph(edges, scorer.rows)
        mate = mates(pairs, scorer.rows)
        rng = np.random.default_rng(seed)
        neighbourhood_sweeps(graph, mate, max(4, limit // 2), rng, sweeps, solver)
    result.edges = edges.as_dict()
    return pairs_of(mate), result


def mentor_pairs(
    mentees: Sequence[Profile],
    mentors: Sequence[Profile],
    ctx: Context,
    seed: int,
    k: int | None,
    capacity: int,
    limit: int = GROUP_LIMIT,
    passes: int | None = None,
) -> tuple[list[tuple[int, int]], Candidates]:
    """(mentee, mentor) index pairs, each mentor at most ``capacity`` times, and
    the candidate graph: the steps of :func:`peer_pairs` on a graph where each
    mentor is present once per place they offer (as the whole-pool round does)."""
    scorer = Scorer(mentees, mentors, ctx)
    result = Candidates.empty(scorer.rows, scorer.cols)
    rows, cols, scores, hard = index_candidates(scorer, k, seed, result)
    full_rows(scorer, hard, k, result)
    requested_pairs(scorer, result.edges)
    found = Edges.join(Edges(rows, cols, scores), Edges.of(result.edges), ordered=False)
    count = scorer.rows + scorer.cols * capacity
    rng = np.random.default_rng(seed)
    mate = np.full(count, -1, dtype=np.int64)
    first_round(_places(found, scorer.rows, capacity), hard, mate, rng)
    # Mentees still without a mentor are scored against every mentor with room left,
    # so the split strands nobody for want of candidates.
    left = np.flatnonzero(mate[: scorer.rows] < 0)
    room = np.flatnonzero((mate[scorer.rows :].reshape(-1, capacity) < 0).any(axis=1))
    extra: dict[tuple[int, int], float] = {}
    for start in range(0, len(left), FULL_ROWS):
        batch = left[start : start + FULL_ROWS]
        keep_feasible(scorer, scorer.block(batch, room), batch, room, k, extra)
    found = Edges.join(found, Edges.of(extra), ordered=False)
    graph = Graph(_places(found, scorer.rows, capacity), count)
    repair(graph, mate, rng, scorer.rows)
    sweeps = PASSES if passes is None else passes
    with blossoms(count) as solver:
        neighbourhood_sweeps(graph, mate, max(4, limit // 2), rng, sweeps, solver)
    matched = np.flatnonzero(mate[: scorer.rows] >= 0)
    mentor_of = (mate[matched] - scorer.rows) // capacity
    result.edges = found.as_dict()
    return sorted(zip(matched.tolist(), mentor_of.tolist(), strict=True)), result


def _places(found: Edges, mentees: int, capacity: int) -> Edges:
    """(mentee, mentor) edges on the graph where mentee ``r`` is node ``r`` and
    mentor ``c``'s places are nodes ``mentees + c * capacity + j``."""
    places = mentees + found.b[:, None] * capacity + np.arange(capacity)[None, :]
    return Edges.join(
        Edges(np.repeat(found.a, capacity), places.reshape(-1), np.repeat(found.score, capacity))
    )


def _solve_peers(
    scorer: Scorer,
    edges: Edges,
    hard: Ints,
    k: int | None,
    seed: int,
    limit: int,
    solver: Blossoms,
) -> tuple[list[tuple[int, int]], Edges]:
    """People with few partners first, then best pair first, then whoever is left
    (with fresh candidates among them), then a repair so nobody is stranded.
    Returns the pairs and the candidate graph with the pairs scored on the way."""
    count = scorer.rows
    rng = np.random.default_rng(seed)
    mate = np.full(count, -1, dtype=np.int64)
    first_round(edges, hard, mate, rng)
    left = np.flatnonzero(mate < 0)
    # Whoever is left gets fresh candidates among themselves, scored in chunks of
    # people who work at similar times (same working-time class first).
    order = left[np.argsort(scorer.left.when[left], kind="stable")]
    fresh: list[Edges] = []
    for chunk in cut(order, limit):
        scored: dict[tuple[int, int], float] = {}
        keep_feasible(scorer, scorer.block(chunk, chunk), chunk, chunk, k, scored)
        fresh.append(Edges.of(scored))
    edges = Edges.join(edges, *fresh)
    graph = Graph(edges, count)
    # Each chunk alone (the blossom grows faster than the pool) ...
    resolve_all(cut(order, limit), mate, graph, rng, solver)
    rest = np.flatnonzero(mate < 0)  # ... then whoever is still left, together
    resolve(mask(rest, count), mate, graph, rng)
    repair(graph, mate, rng, count)
    return pairs_of(mate), edges
