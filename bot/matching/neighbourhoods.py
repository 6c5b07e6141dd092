"""A first round over the candidate graph, then large-neighbourhood search (blossom)."""

from __future__ import annotations

import itertools
import math
from collections.abc import Sequence

import numpy as np

from bot.matching.blossoms import Neighbourhood, solve_one
from bot.matching.candidate_graph import Edges, Graph
from bot.matching.features import Bools, Ints
from bot.matching.solve import _SCALE
from bot.matching.sweeps import neighbourhood_sweeps, resolve

HARD_BONUS = 1e6
REPAIR_LIMIT = 2000


def mates(pairs: Sequence[tuple[int, int]], count: int) -> Ints:
    mate = np.full(count, -1, dtype=np.int64)
    for a, b in pairs:
        mate[a], mate[b] = b, a
    return mate


def pairs_of(mate: Ints) -> list[tuple[int, int]]:
    return sorted((a, b) for a, b in enumerate(mate.tolist()) if a < b)


def first_round(edges: Edges, hard: Ints, mate: Ints, rng: np.random.Generator) -> None:
    """People with few partners first (with anyone they may meet), then best pair
    first among the others."""
    few = np.zeros(len(mate), dtype=np.bool_)
    few[hard] = True
    # Each person with few partners matched counts far more than any score, so
    # this pass matches as many of them as possible (not just as many pairs).
    touch = few[edges.a] | few[edges.b]
    if touch.any():
        bonus = HARD_BONUS * (few[edges.a].astype(np.int64) + few[edges.b])
        nodes = np.unique(np.concatenate([edges.a[touch], edges.b[touch]]))
        weight = np.round(edges.score * _SCALE).astype(np.int64) + 1 + bonus
        _blossom(nodes, edges.a[touch], edges.b[touch], weight[touch], mate, rng)
    _greedy_arrays(edges, mate)


def mask(nodes: Ints, count: int) -> Bools:
    chosen = np.zeros(count, dtype=np.bool_)
    chosen[nodes] = True
    return chosen


def _greedy_arrays(edges: Edges, mate: Ints) -> None:
    """Best pair first among people not yet matched in ``mate``."""
    order = np.lexsort((edges.b, edges.a, -edges.score))
    used = (mate != -1).tolist()
    for a, b in zip(edges.a[order].tolist(), edges.b[order].tolist(), strict=True):
        if not (used[a] or used[b]):
            used[a] = used[b] = True
            mate[a], mate[b] = b, a


def greedy(edges: dict[tuple[int, int], float], taken: Bools) -> list[tuple[int, int]]:
    """Best pair first among people not ``taken``: a quick start for :func:`improve`."""
    mate = np.where(taken, -2, -1).astype(np.int64)
    _greedy_arrays(Edges.join(Edges.of(edges)), mate)
    return pairs_of(np.where(mate == -2, -1, mate))


def repair(graph: Graph, mate: Ints, rng: np.random.Generator, people: int) -> None:
    """Re-solve around whoever is still unmatched, so splitting strands nobody a
    whole-pool round would match.

    A round that could match more people has an augmenting path: from someone
    unmatched, alternately along a candidate edge and a current pair, to someone
    else unmatched. Every such path lies among the people reachable that way, so
    solving them again (their current pairs included) finds it. The search starts
    from the unmatched among the first ``people`` nodes (for mentoring: mentees,
    not a mentor's empty places) and stops at :data:`REPAIR_LIMIT` people, to
    keep the cost bounded on huge pools.
    """
    free = np.flatnonzero(mate[:people] < 0)
    free = free[graph.start[free + 1] > graph.start[free]]  # with someone to meet
    if len(free) < (2 if people == graph.count else 1):
        return
    nobody = np.zeros(graph.count, dtype=np.bool_)
    resolve(graph.grow(free, REPAIR_LIMIT, mate, nobody), mate, graph, rng)


def cut(order: Ints, limit: int) -> list[Ints]:
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
    mate = mates(pairs, count)
    graph = Graph(Edges.join(Edges.of(edges)), count)
    neighbourhood_sweeps(graph, mate, size, np.random.default_rng(seed), passes)
    return pairs_of(mate)


def _blossom(
    nodes: Ints, a: Ints, b: Ints, weight: Ints, mate: Ints, rng: np.random.Generator
) -> None:
    """Match ``nodes`` (all unmatched in ``mate``) along the edges ``a``-``b``:
    most pairs, then the highest total ``weight``."""
    local = np.full(len(mate), -1, dtype=np.int64)
    local[nodes[rng.permutation(len(nodes))]] = np.arange(len(nodes))
    hood = Neighbourhood(len(nodes), local[a].tolist(), local[b].tolist(), weight.tolist())
    found = solve_one(hood)
    back = np.empty(len(nodes), dtype=np.int64)
    back[local[nodes]] = nodes
    for x, y in found:
        mate[back[x]], mate[back[y]] = back[y], back[x]
