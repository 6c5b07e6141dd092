"""Large-neighbourhood search: re-solve neighbourhoods of the candidate graph with
the blossom algorithm, keeping a neighbourhood's new pairs only when they are better.

A re-solve is prepared here (who is in the neighbourhood, the edges among them,
what the current pairs are worth), solved by a :class:`~bot.matching.blossoms.Blossoms`
(here or in worker processes), and its result applied here. Neighbourhoods that
share nobody do not change each other's result, so a batch of them is solved
side by side and applied in order, exactly as one after another would be.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bot.matching.blossoms import Blossoms, InProcess, LocalPairs, Neighbourhood
from bot.matching.candidate_graph import Graph
from bot.matching.features import Bools, Ints

# The overlapping sweep re-solves at most this many neighbourhoods per ``size``
# people (see :func:`neighbourhood_sweeps`).
OVERLAP_CALLS = 5
# Overlapping neighbourhoods are grown and solved this many at a time, each grown
# around the others of its batch. A constant, not the number of workers, so the
# round is the same on every machine.
OVERLAP_BATCH = 2
# Neighbourhoods that share nobody are prepared, solved and applied this many at a
# time: enough to keep the workers busy, few enough that their edges stay small.
AT_ONCE = 16

_HERE = InProcess()


@dataclass(frozen=True)
class _Resolve:
    """One prepared re-solve: the neighbourhood to solve and how to judge the answer."""

    back: Ints  # local number -> person
    nodes: Ints  # the people in it
    hood: Neighbourhood
    pair_weight: dict[tuple[int, int], int]
    before: tuple[int, int]  # (pairs, total weight) of the current pairs inside


def resolve(
    chosen: Bools, mate: Ints, graph: Graph, rng: np.random.Generator, solver: Blossoms = _HERE
) -> None:
    """Re-solve the people in ``chosen`` (whose partners are all chosen too) among
    themselves; keep the result if it matches as many and scores as much."""
    resolve_all([np.flatnonzero(chosen)], mate, graph, rng, solver)


def resolve_all(
    groups: Sequence[Ints],
    mate: Ints,
    graph: Graph,
    rng: np.random.Generator,
    solver: Blossoms = _HERE,
) -> None:
    """:func:`resolve` for neighbourhoods (their people) that share nobody, solved side
    by side, :data:`AT_ONCE` at a time (what is prepared for one is held until it is
    applied)."""
    seen = np.zeros(graph.count, dtype=np.bool_)
    for nodes in groups:
        if seen[nodes].any():  # sharing nobody is what makes side by side the same
            raise ValueError("neighbourhoods solved side by side must share nobody")
        seen[nodes] = True
    for start in range(0, len(groups), AT_ONCE):
        part = groups[start : start + AT_ONCE]
        chosen = (_mask(nodes, graph.count) for nodes in part)
        prepared = [p for c in chosen if (p := _prepare(c, mate, graph, rng)) is not None]
        answers = solver.solve([p.hood for p in prepared])
        for item, found in zip(prepared, answers, strict=True):
            _apply(item, found, mate)


def _mask(nodes: Ints, count: int) -> Bools:
    chosen = np.zeros(count, dtype=np.bool_)
    chosen[nodes] = True
    return chosen


def _prepare(chosen: Bools, mate: Ints, graph: Graph, rng: np.random.Generator) -> _Resolve | None:
    chosen = chosen & ~((mate >= 0) & ~chosen[mate])  # partner elsewhere: they stay
    ends_a, ends_b = graph.ends_a, graph.ends_b
    inside = chosen[ends_a] & chosen[ends_b]
    if not inside.any():
        return None
    nodes = np.flatnonzero(chosen)
    local = np.full(len(chosen), -1, dtype=np.int64)
    local[nodes[rng.permutation(len(nodes))]] = np.arange(len(nodes))
    a, b, w = local[ends_a[inside]], local[ends_b[inside]], graph.weight[inside]
    now_a = nodes[mate[nodes] > nodes]
    keys = zip(ends_a[inside].tolist(), ends_b[inside].tolist(), strict=True)
    pair_weight = dict(zip(keys, w.tolist(), strict=True))
    current = zip(now_a.tolist(), mate[now_a].tolist(), strict=True)
    before = (len(now_a), sum(pair_weight.get(pair, 0) for pair in current))
    back = np.empty(len(nodes), dtype=np.int64)
    back[local[nodes]] = nodes
    hood = Neighbourhood(len(nodes), a.tolist(), b.tolist(), w.tolist())
    return _Resolve(back, nodes, hood, pair_weight, before)


def _apply(item: _Resolve, found: LocalPairs, mate: Ints) -> None:
    back = item.back.tolist()
    new = [(min(back[x], back[y]), max(back[x], back[y])) for x, y in found]
    after = (len(new), sum(item.pair_weight[pair] for pair in new))
    if after > item.before:
        mate[item.nodes] = -1
        for x, y in new:
            mate[x], mate[y] = y, x


def neighbourhood_sweeps(
    graph: Graph,
    mate: Ints,
    size: int,
    rng: np.random.Generator,
    passes: int,
    solver: Blossoms = _HERE,
) -> None:
    """``passes`` sweeps (see :func:`bot.matching.neighbourhoods.improve`). Each sweep
    but the last cuts the pool into disjoint neighbourhoods, each sweep's twice as
    large as the one before (cheap: about one blossom per neighbourhood, all solved
    side by side); the last lets neighbourhoods of ``size`` overlap, from seeds in a
    random order, until everyone has been in one (several blossoms per person, but
    it joins what the cuts kept apart). On the synthetic 10,000-person pool,
    against the code before issue 18: 1,000 then 2,000 then overlapping 1,000
    scores -0.39%; 1,000 twice then overlapping -0.42%; overlapping twice -0.19% at
    twice the time."""
    if passes <= 0 or graph.count < 4 or not len(graph.weight):
        return
    # The overlapping sweep would end like a coupon collector (the last people not
    # yet re-solved each cost a whole neighbourhood, more of them the larger the
    # pool): at most OVERLAP_CALLS neighbourhoods per ``size`` people keeps it linear.
    budget = math.ceil(OVERLAP_CALLS * graph.count / size)
    for sweep in range(passes):
        order = rng.permutation(graph.count).tolist()
        if sweep < passes - 1:
            _disjoint(graph, mate, size << sweep, order, rng, solver)
        else:
            _overlapping(graph, mate, size, order, budget, rng, solver)


def _disjoint(
    graph: Graph,
    mate: Ints,
    reach: int,
    order: list[int],
    rng: np.random.Generator,
    solver: Blossoms,
) -> None:
    """Neighbourhoods that cut the pool, grown from seeds in ``order``. A re-solve
    changes pairs only inside its neighbourhood, and a neighbourhood holds its
    people's partners, so all of them are grown first and solved together."""
    done = np.zeros(graph.count, dtype=np.bool_)
    groups = []
    for first in order:
        if not done[first]:
            chosen = _grown(graph, mate, first, reach, done)
            done |= chosen
            groups.append(np.flatnonzero(chosen))
    resolve_all(groups, mate, graph, rng, solver)


def _overlapping(
    graph: Graph,
    mate: Ints,
    reach: int,
    order: list[int],
    budget: int,
    rng: np.random.Generator,
    solver: Blossoms,
) -> None:
    """Neighbourhoods that may overlap earlier ones, :data:`OVERLAP_BATCH` at a time
    (those of a batch share nobody), until everyone was in one or the budget is spent."""
    done = np.zeros(graph.count, dtype=np.bool_)
    batch: list[Ints] = []
    taken = np.zeros(graph.count, dtype=np.bool_)  # by this batch
    for first in order:
        if budget <= 0:
            break
        budget -= not done[first]
        if done[first] or taken[first]:
            continue
        chosen = _grown(graph, mate, first, reach, taken)
        done |= chosen
        taken |= chosen
        batch.append(np.flatnonzero(chosen))
        if len(batch) == OVERLAP_BATCH:
            resolve_all(batch, mate, graph, rng, solver)
            batch, taken = [], np.zeros(graph.count, dtype=np.bool_)
    resolve_all(batch, mate, graph, rng, solver)


def _grown(graph: Graph, mate: Ints, first: int, reach: int, taken: Bools) -> Bools:
    """About ``reach`` people around ``first`` and not ``taken``, with their partners."""
    chosen = graph.grow(np.array([first], dtype=np.int64), reach, mate, taken)
    partners = mate[chosen]
    chosen[partners[partners >= 0]] = True
    return chosen
