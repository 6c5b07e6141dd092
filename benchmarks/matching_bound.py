"""How close a large round comes to the best its candidate graph allows.

Above 3,000 people the whole-pool optimum cannot be computed in reasonable time,
but the best assignment of the candidate graph (each person choosing one partner,
not necessarily mutually; :mod:`bot.matching.cover`) bounds every pairing of that
graph from above. The gap to it is what the solving loses; the rest of any gap to
the code before issue 18 is what the candidate index misses.
"""

from __future__ import annotations

from collections.abc import Sequence

from benchmarks.matching_quality import pool
from bot.matching import split
from bot.matching.candidate_graph import Edges, Graph
from bot.matching.cover import choices
from bot.matching.proposal import neighbours


def bound_gap(sizes: Sequence[int]) -> None:
    print("\nLarge pairs rounds against the upper bound on their own candidate graph")
    print("  (the best assignment's value; pairs only, before leftovers and trios)")
    for size in sizes:
        people, ctx = pool(size, 11, constrained=False)
        pairs, graph = split.peer_pairs(people, ctx, 1, neighbours(size))
        edges = Edges.join(Edges.of(graph.edges))
        choice = choices(size, edges.a, edges.b, Graph.weights(edges))
        score = edges.as_dict()
        chosen = [(min(i, c), max(i, c)) for i, c in enumerate(choice.tolist()) if c != i]
        bound = sum(score[pair] for pair in chosen) / 2
        got = sum(score[pair] for pair in pairs)
        edges_each = 2 * len(edges.a) / size
        print(
            f"  {size:>6} people: {len(pairs):,} pairs score {got:,.0f}, bound {bound:,.0f} "
            f"({100 * (got / bound - 1):+.3f}%), {edges_each:.1f} candidates each"
        )
