"""Pre-issue-18 reference (frozen copy of bot/matching/solve.py at main d8aa2f2).

Used only by benchmarks/matching.py to compare today's matching with the code
before issue 18 on the same pools. Not part of the product; do not edit.

The best whole round on a candidate graph: maximum-weight matching.

Peers form a general graph (not two sides), so this is Edmonds' blossom
algorithm, run by rustworkx's compiled implementation. It matches as many people
as possible and, among those matchings, the one with the highest total score.
Mentoring is the same problem with each mentor present once per place they
offer. Node order is shuffled with the round's seed: ties between equally good
rounds are broken the same way for the same seed.
"""

from __future__ import annotations

import random
from collections.abc import Mapping

import rustworkx as rx

# Scores are compared as integers (hundredths of a point); +1 keeps a zero-score
# pair distinguishable from no pair at all.
_SCALE = 100


def _weight(score: float) -> int:
    return round(score * _SCALE) + 1


def max_weight_pairs(
    count: int, edges: Mapping[tuple[int, int], float], seed: int
) -> list[tuple[int, int]]:
    """Pairs of node indices (smaller first): most pairs, then highest total score."""
    order = list(range(count))
    random.Random(seed).shuffle(order)
    position = {node: n for n, node in enumerate(order)}
    graph: rx.PyGraph = rx.PyGraph(multigraph=False)
    graph.add_nodes_from(order)
    graph.add_edges_from(
        sorted((position[a], position[b], _weight(s)) for (a, b), s in edges.items())
    )
    matched = rx.max_weight_matching(graph, max_cardinality=True, weight_fn=lambda w: int(w))
    pairs = ((order[a], order[b]) for a, b in matched)
    return sorted((min(a, b), max(a, b)) for a, b in pairs)


def max_weight_assignment(
    rows: int, cols: int, capacity: int, edges: Mapping[tuple[int, int], float], seed: int
) -> list[tuple[int, int]]:
    """(row, column) pairs, each row at most once and each column at most ``capacity``
    times: mentees to mentors."""
    slots = {(c, s): rows + c * capacity + s for c in range(cols) for s in range(capacity)}
    expanded = {
        (row, slots[col, s]): score for (row, col), score in edges.items() for s in range(capacity)
    }
    pairs = max_weight_pairs(rows + cols * capacity, expanded, seed)
    return sorted((a, (b - rows) // capacity) for a, b in pairs)
