"""Large pools: candidates from a skill index, a quick round, then local re-solves.

Scoring every pair and running the blossom algorithm on the whole pool both grow
faster than the pool (n^2 and worse). Above :data:`bot.matching.rounds.SPLIT_ABOVE`
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

import itertools
import math
from collections.abc import Sequence

import numpy as np
import rustworkx as rx

from bot.matching.candidates import Bools, Candidates, Floats, Ints, Scorer, keep_best
from bot.matching.profile import Profile
from bot.matching.score import Context, Rule
from bot.matching.solve import _SCALE

GROUP_LIMIT = 2000  # leftovers are scored in chunks of twice this; neighbourhoods half
FEW = 3
_FULL_ROWS = 256  # rows scored against everyone at once
_HARD_BONUS = 1e6
_REPAIR_LIMIT = 2000
OVERLAP_CALLS = 5
PASSES = 3  # two disjoint sweeps, then one whose neighbourhoods overlap
COLUMNS = 1000


def _keep(
    scorer: Scorer,
    scores: Floats,
    rows: Ints,
    cols: Ints,
    k: int | None,
    edges: dict[tuple[int, int], float],
) -> None:
    """Each row's best ``k``, and every feasible requested pair in the block."""
    keep_best(scores, rows, cols, k, scorer.peers, edges)
    r, c = scorer.sparse.within(scorer.sparse.requested, rows, cols)
    for a, b, value in zip(rows[r].tolist(), cols[c].tolist(), scores[r, c].tolist(), strict=True):
        if value != -np.inf:
            edges[(min(a, b), max(a, b)) if scorer.peers else (a, b)] = value


def _reset(counts: Sequence[Ints], blocked: dict[Rule, Ints], index: Ints) -> None:
    for array in (*counts, *blocked.values()):
        array[index] = 0


def _full_rows(scorer: Scorer, rows: Ints, k: int | None, result: Candidates) -> None:
    """Score ``rows`` against every column: their counts become exact."""
    _reset([result.row_feasible], result.row_blocked, rows)
    every_col = np.arange(scorer.cols, dtype=np.int64)
    scratch = Candidates.empty(scorer.rows, scorer.cols)
    for start in range(0, len(rows), _FULL_ROWS):
        batch = rows[start : start + _FULL_ROWS]
        _keep(scorer, scorer.block(batch, every_col, scratch), batch, every_col, k, result.edges)
    result.row_feasible[rows] = scratch.row_feasible[rows]
    for rule, array in result.row_blocked.items():
        array[rows] = scratch.row_blocked[rule][rows]


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
    rows, cols, scores, hard = _index_candidates(scorer, k, seed, result)
    _full_rows(scorer, hard, k, result)
    _requested_pairs(scorer, result.edges)
    edges = _Edges.join(_Edges(rows, cols, scores), _Edges.of(result.edges))
    pairs, edges = _solve_peers(scorer, edges, hard, k, seed, limit)
    sweeps = PASSES if passes is None else passes
    graph = _Graph(edges, scorer.rows)
    mate = _mates(pairs, scorer.rows)
    _improve(graph, mate, max(4, limit // 2), np.random.default_rng(seed), sweeps)
    result.edges = edges.as_dict()
    return _pairs_of(mate), result


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
    rows, cols, scores, hard = _index_candidates(scorer, k, seed, result)
    _full_rows(scorer, hard, k, result)
    _requested_pairs(scorer, result.edges)
    found = _Edges.join(_Edges(rows, cols, scores), _Edges.of(result.edges), ordered=False)
    count = scorer.rows + scorer.cols * capacity
    rng = np.random.default_rng(seed)
    mate = np.full(count, -1, dtype=np.int64)
    _first_round(_places(found, scorer.rows, capacity), hard, mate, rng)
    # Mentees still without a mentor are scored against every mentor with room left,
    # so the split strands nobody for want of candidates.
    left = np.flatnonzero(mate[: scorer.rows] < 0)
    room = np.flatnonzero((mate[scorer.rows :].reshape(-1, capacity) < 0).any(axis=1))
    extra: dict[tuple[int, int], float] = {}
    for start in range(0, len(left), _FULL_ROWS):
        batch = left[start : start + _FULL_ROWS]
        _keep(scorer, scorer.block(batch, room), batch, room, k, extra)
    found = _Edges.join(found, _Edges.of(extra), ordered=False)
    graph = _Graph(_places(found, scorer.rows, capacity), count)
    _repair(graph, mate, rng, scorer.rows)
    sweeps = PASSES if passes is None else passes
    _improve(graph, mate, max(4, limit // 2), rng, sweeps)
    matched = np.flatnonzero(mate[: scorer.rows] >= 0)
    mentor_of = (mate[matched] - scorer.rows) // capacity
    result.edges = found.as_dict()
    return sorted(zip(matched.tolist(), mentor_of.tolist(), strict=True)), result


def _places(found: _Edges, mentees: int, capacity: int) -> _Edges:
    """(mentee, mentor) edges on the graph where mentee ``r`` is node ``r`` and
    mentor ``c``'s places are nodes ``mentees + c * capacity + j``."""
    places = mentees + found.b[:, None] * capacity + np.arange(capacity)[None, :]
    return _Edges.join(
        _Edges(np.repeat(found.a, capacity), places.reshape(-1), np.repeat(found.score, capacity))
    )


class _Edges:
    """Candidate pairs as arrays: ends (``a < b``) and scores, each pair once."""

    def __init__(self, a: Ints, b: Ints, score: Floats) -> None:
        self.a, self.b, self.score = a, b, score

    @classmethod
    def of(cls, edges: dict[tuple[int, int], float]) -> _Edges:
        ends = np.array(list(edges), dtype=np.int64).reshape(-1, 2)
        scores = np.fromiter(edges.values(), dtype=np.float64, count=len(edges))
        return cls(ends[:, 0], ends[:, 1], scores)

    @classmethod
    def join(cls, *parts: _Edges, ordered: bool = True) -> _Edges:
        """All pairs of ``parts``, each once, sorted by their ends; ``ordered``: the
        smaller end first (peers), else as given (mentee, mentor)."""
        a = np.concatenate([p.a for p in parts])
        b = np.concatenate([p.b for p in parts])
        score = np.concatenate([p.score for p in parts])
        lo, hi = (np.minimum(a, b), np.maximum(a, b)) if ordered else (a, b)
        order = np.lexsort((hi, lo))
        lo, hi, score = lo[order], hi[order], score[order]
        fresh = np.ones(len(lo), dtype=np.bool_)
        fresh[1:] = (lo[1:] != lo[:-1]) | (hi[1:] != hi[:-1])
        return cls(lo[fresh], hi[fresh], score[fresh])

    def as_dict(self) -> dict[tuple[int, int], float]:
        ends = zip(self.a.tolist(), self.b.tolist(), strict=True)
        return dict(zip(ends, self.score.tolist(), strict=True))


def _index_candidates(
    scorer: Scorer, k: int | None, seed: int, result: Candidates
) -> tuple[Ints, Ints, Floats, Ints]:
    """Each row's best ``k`` among the columns who teach a skill they want to learn
    (for each such skill at most :data:`COLUMNS` teachers, in a seeded order), as
    (rows, columns, scores); and the rows with fewer than :data:`FEW` feasible
    partners found that way."""
    wants = scorer.left.wants > 0
    offers = scorer.right.offers > 0
    rng = np.random.default_rng(seed)
    found_rows: list[Ints] = []
    found_cols: list[Ints] = []
    found_scores: list[Floats] = []
    for skill in range(wants.shape[1]):
        rows = np.flatnonzero(wants[:, skill])
        cols = np.flatnonzero(offers[:, skill])
        if len(cols) > COLUMNS:
            cols = np.sort(rng.choice(cols, COLUMNS, replace=False))
        if not len(rows) or not len(cols):
            continue
        take = len(cols) if k is None else min(k, len(cols))
        for first in range(0, len(rows), _FULL_ROWS):
            batch = rows[first : first + _FULL_ROWS]
            scores = scorer.block(batch, cols, result)
            best = np.argpartition(-scores, take - 1, axis=1)[:, :take]
            found_rows.append(np.repeat(batch, take))
            found_cols.append(cols[best].reshape(-1))
            found_scores.append(np.take_along_axis(scores, best, axis=1).reshape(-1))
    nothing = np.zeros(0, dtype=np.int64)
    if not found_rows:
        return nothing, nothing, np.zeros(0), np.arange(scorer.rows, dtype=np.int64)
    row, col, score = (np.concatenate(x) for x in (found_rows, found_cols, found_scores))
    alive = score != -np.inf
    row, col, score = row[alive], col[alive], score[alive]
    # Each row's distinct columns, best first (a column found through two skills once).
    order = np.lexsort((col, -score, row))
    row, col, score = row[order], col[order], score[order]
    _, firsts = np.unique(row * scorer.cols + col, return_index=True)
    fresh = np.zeros(len(row), dtype=np.bool_)
    fresh[firsts] = True
    row, col, score = row[fresh], col[fresh], score[fresh]
    rank = np.arange(len(row)) - np.searchsorted(row, row)
    keep = rank < (len(row) if k is None else k)
    distinct = np.bincount(row, minlength=scorer.rows)
    hard = np.flatnonzero(distinct < FEW).astype(np.int64)
    return row[keep], col[keep], score[keep], hard


def _requested_pairs(scorer: Scorer, edges: dict[tuple[int, int], float]) -> None:
    """Requested partners are always candidates (when no rule forbids the pair)."""
    rows, cols = scorer.sparse.requested
    for a, b in zip(rows.tolist(), cols.tolist(), strict=True):
        if a != b or not scorer.peers:
            value = float(scorer.block(np.array([a]), np.array([b]))[0, 0])
            if value != -np.inf:
                edges[(min(a, b), max(a, b)) if scorer.peers else (a, b)] = value


class _Graph:
    """The candidate graph as arrays: each edge's ends and weight, and each
    person's candidates (``near[start[x]:start[x + 1]]``)."""

    def __init__(self, edges: _Edges, count: int) -> None:
        self.count = count
        self.ends_a, self.ends_b = edges.a, edges.b
        # The solver's integer weights (solve._weight, vectorised).
        self.weight = np.round(edges.score * _SCALE).astype(np.int64) + 1
        both = np.concatenate([self.ends_a, self.ends_b])
        other = np.concatenate([self.ends_b, self.ends_a])
        self.near = other[np.argsort(both, kind="stable")]
        self.start = np.zeros(count + 1, dtype=np.int64)
        np.cumsum(np.bincount(both, minlength=count), out=self.start[1:])

    def grow(self, first: Ints, size: int, mate: Ints, taken: Bools) -> Bools:
        """About ``size`` people around ``first`` and not ``taken``: layer by layer
        their candidates, with everyone's current partner."""
        chosen = taken.copy()
        layer = first
        total = 0
        while layer.size and total < size:
            partners = mate[layer]
            layer = np.unique(np.concatenate([layer, partners[partners >= 0]]))
            layer = layer[~chosen[layer]]
            chosen[layer] = True
            total += layer.size
            lengths = self.start[layer + 1] - self.start[layer]
            offsets = np.repeat(self.start[layer] - np.cumsum(lengths) + lengths, lengths)
            reach = self.near[offsets + np.arange(lengths.sum())]
            layer = np.unique(reach[~chosen[reach]])
            if total + layer.size > size:
                layer = layer[: max(0, size - total)]
        return chosen & ~taken


def _mates(pairs: Sequence[tuple[int, int]], count: int) -> Ints:
    mate = np.full(count, -1, dtype=np.int64)
    for a, b in pairs:
        mate[a], mate[b] = b, a
    return mate


def _pairs_of(mate: Ints) -> list[tuple[int, int]]:
    return sorted((a, b) for a, b in enumerate(mate.tolist()) if a < b)


def _solve_peers(
    scorer: Scorer,
    edges: _Edges,
    hard: Ints,
    k: int | None,
    seed: int,
    limit: int,
) -> tuple[list[tuple[int, int]], _Edges]:
    """People with few partners first, then best pair first, then whoever is left
    (with fresh candidates among them), then a repair so nobody is stranded.
    Returns the pairs and the candidate graph with the pairs scored on the way."""
    count = scorer.rows
    rng = np.random.default_rng(seed)
    mate = np.full(count, -1, dtype=np.int64)
    _first_round(edges, hard, mate, rng)
    left = np.flatnonzero(mate < 0)
    # Whoever is left gets fresh candidates among themselves, scored in chunks of
    # people who work at similar times (same working-time class first).
    order = left[np.argsort(scorer.left.when[left], kind="stable")]
    fresh: list[_Edges] = []
    for chunk in _cut(order, limit):
        scored: dict[tuple[int, int], float] = {}
        _keep(scorer, scorer.block(chunk, chunk), chunk, chunk, k, scored)
        fresh.append(_Edges.of(scored))
    edges = _Edges.join(edges, *fresh)
    graph = _Graph(edges, count)
    for chunk in _cut(order, limit):  # each chunk alone (the blossom grows faster than the pool)
        _resolve(_mask(chunk, count), mate, graph, rng)
    rest = np.flatnonzero(mate < 0)  # ... then whoever is still left, together
    _resolve(_mask(rest, count), mate, graph, rng)
    _repair(graph, mate, rng, count)
    return _pairs_of(mate), edges


def _first_round(edges: _Edges, hard: Ints, mate: Ints, rng: np.random.Generator) -> None:
    """People with few partners first (with anyone they may meet), then best pair
    first among the others."""
    few = np.zeros(len(mate), dtype=np.bool_)
    few[hard] = True
    # Each person with few partners matched counts far more than any score, so
    # this pass matches as many of them as possible (not just as many pairs).
    touch = few[edges.a] | few[edges.b]
    if touch.any():
        bonus = _HARD_BONUS * (few[edges.a].astype(np.int64) + few[edges.b])
        nodes = np.unique(np.concatenate([edges.a[touch], edges.b[touch]]))
        weight = np.round(edges.score * _SCALE).astype(np.int64) + 1 + bonus
        _blossom(nodes, edges.a[touch], edges.b[touch], weight[touch], mate, rng)
    _greedy_arrays(edges, mate)


def _mask(nodes: Ints, count: int) -> Bools:
    chosen = np.zeros(count, dtype=np.bool_)
    chosen[nodes] = True
    return chosen


def _greedy_arrays(edges: _Edges, mate: Ints) -> None:
    """Best pair first among people not yet matched in ``mate``."""
    order = np.lexsort((edges.b, edges.a, -edges.score))
    used = (mate != -1).tolist()
    for a, b in zip(edges.a[order].tolist(), edges.b[order].tolist(), strict=True):
        if not (used[a] or used[b]):
            used[a] = used[b] = True
            mate[a], mate[b] = b, a


def _greedy(edges: dict[tuple[int, int], float], taken: Bools) -> list[tuple[int, int]]:
    """Best pair first among people not ``taken``: a quick start for :func:`improve`."""
    mate = np.where(taken, -2, -1).astype(np.int64)
    _greedy_arrays(_Edges.join(_Edges.of(edges)), mate)
    return _pairs_of(np.where(mate == -2, -1, mate))


def _repair(graph: _Graph, mate: Ints, rng: np.random.Generator, people: int) -> None:
    """Re-solve around whoever is still unmatched, so splitting strands nobody a
    whole-pool round would match.

    A round that could match more people has an augmenting path: from someone
    unmatched, alternately along a candidate edge and a current pair, to someone
    else unmatched. Every such path lies among the people reachable that way, so
    solving them again (their current pairs included) finds it. The search starts
    from the unmatched among the first ``people`` nodes (for mentoring: mentees,
    not a mentor's empty places) and stops at :data:`_REPAIR_LIMIT` people, to
    keep the cost bounded on huge pools.
    """
    free = np.flatnonzero(mate[:people] < 0)
    free = free[graph.start[free + 1] > graph.start[free]]  # with someone to meet
    if len(free) < (2 if people == graph.count else 1):
        return
    nobody = np.zeros(graph.count, dtype=np.bool_)
    _resolve(graph.grow(free, _REPAIR_LIMIT, mate, nobody), mate, graph, rng)


def _cut(order: Ints, limit: int) -> list[Ints]:
    parts = max(1, math.ceil(len(order) / limit))
    bounds = [round(n * len(order) / parts) for n in range(parts + 1)]
    return [order[a:b] for a, b in itertools.pairwise(bounds) if b > a]


def improve(
    pairs: list[tuple[int, int]],
    edges: dict[tuple[int, int], float],
    count: int,
    size: int,
    seed: int,
    passes: int,
) -> list[tuple[int, int]]:
    """Large-neighbourhood search: re-solve neighbourhoods of about ``size`` people,
    each grown outward over the candidate graph (and current pairs), keeping a
    neighbourhood's new pairs only when they match more people, or as many with a
    higher score. Never matches fewer people, nor scores less without matching
    more; the same seed gives the same round."""
    if passes <= 0 or not edges or count < 4:
        return sorted(pairs)
    mate = _mates(pairs, count)
    graph = _Graph(_Edges.join(_Edges.of(edges)), count)
    _improve(graph, mate, size, np.random.default_rng(seed), passes)
    return _pairs_of(mate)


def _improve(graph: _Graph, mate: Ints, size: int, rng: np.random.Generator, passes: int) -> None:
    """``passes`` sweeps (see :func:`improve`). Each sweep but the last cuts the
    pool into disjoint neighbourhoods, each sweep's twice as large as the one before
    (cheap: about one blossom per neighbourhood); the last lets neighbourhoods of
    ``size`` overlap, from seeds in a random order, until everyone has been in one
    (several blossoms per person, but it joins what the cuts kept apart). On the
    synthetic 10,000-person pool, against the code before issue 18: 1,000 then
    2,000 then overlapping 1,000 scores -0.39%; 1,000 twice then overlapping -0.42%;
    overlapping twice -0.19% at twice the time."""
    if passes <= 0 or graph.count < 4 or not len(graph.weight):
        return
    nobody = np.zeros(graph.count, dtype=np.bool_)
    # The overlapping sweep would end like a coupon collector (the last people not
    # yet re-solved each cost a whole neighbourhood, more of them the larger the
    # pool): at most OVERLAP_CALLS neighbourhoods per ``size`` people keeps it linear.
    budget = math.ceil(OVERLAP_CALLS * graph.count / size)
    for sweep in range(passes):
        done = np.zeros(graph.count, dtype=np.bool_)
        disjoint = sweep < passes - 1
        reach = size << sweep if disjoint else size
        for first in rng.permutation(graph.count).tolist():
            if not disjoint:
                if budget <= 0:
                    break
                budget -= not done[first]
            if not done[first]:
                seed_ = np.array([first], dtype=np.int64)
                chosen = graph.grow(seed_, reach, mate, done if disjoint else nobody)
                partners = mate[chosen]
                chosen[partners[partners >= 0]] = True
                done |= chosen
                _resolve(chosen, mate, graph, rng)


def _blossom(
    nodes: Ints, a: Ints, b: Ints, weight: Ints, mate: Ints, rng: np.random.Generator
) -> None:
    """Match ``nodes`` (all unmatched in ``mate``) along the edges ``a``-``b``:
    most pairs, then the highest total ``weight``."""
    local = np.full(len(mate), -1, dtype=np.int64)
    local[nodes[rng.permutation(len(nodes))]] = np.arange(len(nodes))
    solver: rx.PyGraph = rx.PyGraph(multigraph=False)
    solver.add_nodes_from(range(len(nodes)))
    solver.add_edges_from(
        list(zip(local[a].tolist(), local[b].tolist(), weight.tolist(), strict=True))
    )
    found = rx.max_weight_matching(solver, max_cardinality=True, weight_fn=int)
    back = np.empty(len(nodes), dtype=np.int64)
    back[local[nodes]] = nodes
    for x, y in found:
        mate[back[x]], mate[back[y]] = back[y], back[x]


def _resolve(chosen: Bools, mate: Ints, graph: _Graph, rng: np.random.Generator) -> None:
    """Re-solve the people in ``chosen`` (whose partners are all chosen too) among
    themselves; keep the result if it matches as many and scores as much."""
    chosen = chosen & ~((mate >= 0) & ~chosen[mate])  # partner elsewhere: they stay
    ends_a, ends_b = graph.ends_a, graph.ends_b
    inside = chosen[ends_a] & chosen[ends_b]
    if not inside.any():
        return
    nodes = np.flatnonzero(chosen)
    local = np.full(len(chosen), -1, dtype=np.int64)
    local[nodes[rng.permutation(len(nodes))]] = np.arange(len(nodes))
    a, b, w = local[ends_a[inside]], local[ends_b[inside]], graph.weight[inside]
    now_a = nodes[mate[nodes] > nodes]
    current = mate[now_a]
    keys = zip(ends_a[inside].tolist(), ends_b[inside].tolist(), strict=True)
    pair_weight = dict(zip(keys, w.tolist(), strict=True))
    before = (
        len(now_a),
        sum(
            pair_weight.get((x, y), 0)
            for x, y in zip(now_a.tolist(), current.tolist(), strict=True)
        ),
    )
    solver: rx.PyGraph = rx.PyGraph(multigraph=False)
    solver.add_nodes_from(range(len(nodes)))
    solver.add_edges_from(list(zip(a.tolist(), b.tolist(), w.tolist(), strict=True)))
    found = rx.max_weight_matching(solver, max_cardinality=True, weight_fn=lambda x: int(x))
    back = np.empty(len(nodes), dtype=np.int64)
    back[local[nodes]] = nodes
    new = [(min(back[x], back[y]), max(back[x], back[y])) for x, y in found]
    after = (len(new), sum(pair_weight[int(x), int(y)] for x, y in new))
    if after > before:
        mate[nodes] = -1
        for x, y in new:
            mate[x], mate[y] = y, x
