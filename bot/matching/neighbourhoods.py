"""Helpers of the large round: pairs as a ``mate`` array, cuts, and the repair that
strands nobody a whole-pool round would match."""

from __future__ import annotations

import itertools
import math

import numpy as np

from bot.matching.candidate_graph import Graph
from bot.matching.features import Bools, Ints
from bot.matching.sweeps import resolve

REPAIR_LIMIT = 2000


def pairs_of(mate: Ints) -> list[tuple[int, int]]:
    return sorted((a, b) for a, b in enumerate(mate.tolist()) if a < b)


def mask(nodes: Ints, count: int) -> Bools:
    chosen = np.zeros(count, dtype=np.bool_)
    chosen[nodes] = True
    return chosen


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
