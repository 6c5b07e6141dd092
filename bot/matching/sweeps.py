"""Re-solving a group of people with the blossom algorithm, keeping the result only
when it is better.

A re-solve is prepared (who is in the group, the edges among them, what their
current pairs are worth), solved (:func:`bot.matching.blossoms.solve_one`), and
applied: the new pairs replace the old only if they match more people, or as
many with a higher total weight, so a re-solve never makes a round worse.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bot.matching.blossoms import LocalPairs, Neighbourhood, solve_one
from bot.matching.candidate_graph import Graph
from bot.matching.features import Bools, Ints


@dataclass(frozen=True)
class _Resolve:
    """One prepared re-solve: the group to solve and how to judge the answer."""

    back: Ints  # local number -> person
    nodes: Ints  # the people in it
    hood: Neighbourhood
    pair_weight: dict[tuple[int, int], int]
    before: tuple[int, int]  # (pairs, total weight) of the current pairs inside


def resolve(chosen: Bools, mate: Ints, graph: Graph, rng: np.random.Generator) -> None:
    """Re-solve the people in ``chosen`` among themselves (anyone whose partner is
    not chosen keeps them); keep the result if it matches more, or as many and
    scores more."""
    prepared = _prepare(chosen, mate, graph, rng)
    if prepared is not None:
        _apply(prepared, solve_one(prepared.hood), mate)


def resolve_all(groups: Sequence[Ints], mate: Ints, graph: Graph, rng: np.random.Generator) -> None:
    """:func:`resolve` for each group of people in turn."""
    for nodes in groups:
        chosen = np.zeros(graph.count, dtype=np.bool_)
        chosen[nodes] = True
        resolve(chosen, mate, graph, rng)


def _prepare(chosen: Bools, mate: Ints, graph: Graph, rng: np.random.Generator) -> _Resolve | None:
    chosen = chosen & ~((mate >= 0) & ~chosen[mate])  # partner elsewhere: they stay
    ends_a, ends_b = graph.ends_a, graph.ends_b
    inside = chosen[ends_a] & chosen[ends_b]
    if not inside.any():
        return None
    nodes = np.flatnonzero(chosen)
    local = np.full(len(chosen), -1, dtype=np.int64)
    # A seeded shuffle, so that ties do not always favour the same people.
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
