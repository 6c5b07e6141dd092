"""The best whole round on a candidate graph: maximum-weight matching.

Peers form a general graph (not two sides), so this is Edmonds' blossom
algorithm, run by rustworkx's compiled implementation. It matches as many people
as possible and, among those matchings, the one with the highest total score.
Mentoring is the same problem with each mentor present once per place they
offer. Node order is shuffled with the round's seed: ties between equally good
rounds are broken the same way for the same seed.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence

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
    rows: int,
    cols: int,
    capacity: int | Sequence[int],
    edges: Mapping[tuple[int, int], float],
    seed: int,
) -> list[tuple[int, int]]:
    """(row, column) pairs, each row at most once and each column at most its
    ``capacity`` (one for all, or one per column) times: mentees to mentors."""
    places = [capacity] * cols if isinstance(capacity, int) else list(capacity)
    first = [rows]
    for room in places:
        first.append(first[-1] + room)
    slot_col = [c for c, room in enumerate(places) for _ in range(room)]
    expanded = {
        (row, first[col] + s): score
        for (row, col), score in edges.items()
        for s in range(places[col])
    }
    pairs = max_weight_pairs(first[-1], expanded, seed)
    return sorted((a, slot_col[b - rows]) for a, b in pairs)


def pairs_among(
    nodes: Sequence[int], edges: Mapping[tuple[int, int], float], seed: int
) -> list[tuple[int, int]]:
    """:func:`max_weight_pairs` on the part of the graph between ``nodes``."""
    local = {node: n for n, node in enumerate(nodes)}
    inside = {(local[a], local[b]): s for (a, b), s in edges.items() if a in local and b in local}
    found = ((nodes[a], nodes[b]) for a, b in max_weight_pairs(len(nodes), inside, seed))
    return sorted((min(a, b), max(a, b)) for a, b in found)


def assignment_among(
    rows: Sequence[int],
    cols: Sequence[int],
    capacity: Sequence[int],
    edges: Mapping[tuple[int, int], float],
    seed: int,
) -> list[tuple[int, int]]:
    """:func:`max_weight_assignment` between some rows and some columns, each
    column with its own remaining ``capacity`` (indexed by column)."""
    row_at = {row: n for n, row in enumerate(rows)}
    col_at = {col: n for n, col in enumerate(cols)}
    inside = {
        (row_at[r], col_at[c]): s for (r, c), s in edges.items() if r in row_at and c in col_at
    }
    room = [capacity[c] for c in cols]
    found = max_weight_assignment(len(rows), len(cols), room, inside, seed)
    return sorted((rows[r], cols[c]) for r, c in found)
