"""The blossom algorithm on one bounded group of people.

A large round uses it only where the assignment (:mod:`bot.matching.cover`)
leaves work: the people left over, and the repair around whoever is still
unmatched. Each call sees at most a few thousand people, so its cost, which grows
far faster than the group, stays small.
"""

from __future__ import annotations

from dataclasses import dataclass

import rustworkx as rx

# A group's pairs, in its own numbering: each (x, y) with x < y.
LocalPairs = list[tuple[int, int]]


@dataclass(frozen=True)
class Neighbourhood:
    """People numbered ``0..count-1`` and the edges among them, ``(a[i], b[i])``
    with weight ``w[i]``."""

    count: int
    a: list[int]
    b: list[int]
    w: list[int]


def solve_one(hood: Neighbourhood) -> LocalPairs:
    """The most pairs, then the highest total weight: each pair ``(x, y)`` with x < y."""
    graph: rx.PyGraph = rx.PyGraph(multigraph=False)
    graph.add_nodes_from(range(hood.count))
    graph.add_edges_from(list(zip(hood.a, hood.b, hood.w, strict=True)))
    found = rx.max_weight_matching(graph, max_cardinality=True, weight_fn=int)
    return sorted((min(x, y), max(x, y)) for x, y in found)
