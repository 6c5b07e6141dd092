"""Most of a large round at once: the best assignment of the candidate graph's double cover.

Pairing people is a matching on a general graph, which the blossom algorithm
solves exactly but in time that grows far faster than the pool. Each person
choosing one partner, as an assignment between two copies of the pool, is the
same problem without the rule that choices be mutual; an assignment solver
(OR-tools' cost scaling) finds the best such choice for 50,000 people in about
two seconds. Its value bounds every matching's from above, and on our pools
about 95% of people end up choosing each other: those pairs are kept, and the
few left (choices that go round in a cycle, and anyone left to themselves) are
matched by the blossom algorithm among themselves. On the synthetic pools the
round's pairs come within 0.06% of that bound at 50,000 people
(``benchmarks/matching_bound.py``).

Mentoring needs no second step: mentees and mentors are two sides already, so
the best assignment, each mentor taking up to their capacity, is the best set of
pairs (:func:`assign`, a min-cost flow).
"""

from __future__ import annotations

import numpy as np
from ortools.graph.python import linear_sum_assignment, min_cost_flow

from bot.matching.features import Ints


def choices(count: int, a: Ints, b: Ints, weight: Ints) -> Ints:
    """Each person's partner in the best choice of one partner each (on the edges
    ``a[i]``-``b[i]``, integer ``weight`` > 0), where choices need not be mutual:
    it is a permutation, whose cycles of two are pairs; a person who chooses
    themselves chose nobody."""
    top = int(weight.max(initial=0)) + 1
    everyone = np.arange(count, dtype=np.int64)
    # Choosing oneself means choosing nobody; it costs as much as the worst edge could.
    return _solve(
        count,
        np.concatenate([a, b, everyone]),
        np.concatenate([b, a, everyone]),
        np.concatenate([top - weight, top - weight, np.full(count, top, dtype=np.int64)]),
    )


def mutual(choice: Ints) -> Ints:
    """The pairs of :func:`choices` (those who chose each other), as each person's
    partner or -1."""
    everyone = np.arange(len(choice), dtype=np.int64)
    return np.where((choice != everyone) & (choice[choice] == everyone), choice, -1)


def cycles(choice: Ints, people: Ints) -> Ints:
    """``people`` (who are not in a pair of :func:`choices`) in the order of their
    cycles: each cycle's people one after another, then those who chose nobody.
    Along a cycle, neighbours could meet (each chose the next)."""
    seen = np.zeros(len(choice), dtype=np.bool_)
    order: list[int] = []
    alone: list[int] = []
    chosen = choice.tolist()
    for start in people.tolist():
        if seen[start]:
            continue
        if chosen[start] == start:
            seen[start] = True
            alone.append(start)
            continue
        person = start
        while not seen[person]:
            seen[person] = True
            order.append(person)
            person = chosen[person]
    return np.array(order + alone, dtype=np.int64)


# Each mentee beyond a mentor's first costs a hundredth of a point (a weight is a
# hundred per point): where totals tie or nearly, more mentors get a mentee.
# Reverse mentoring, 10,000 people: 6,656 people placed instead of 5,814, the
# same total.
SPREAD = 1


def assign(
    rows: int,
    cols: int,
    a: Ints,
    b: Ints,
    weight: Ints,
    capacity: int = 1,
    *,
    most_first: bool = True,
) -> Ints:
    """Each row's column in the assignment with the most rows assigned, then the
    highest total ``weight`` (integer > 0) less :data:`SPREAD` for each row beyond
    a column's first (``n - 1`` for its n-th), over the edges ``a[i]`` (row) to
    ``b[i]`` (column), each column taken at most ``capacity`` times; -1 for a row
    left without one. A min-cost flow: each row sends one unit to a column (cost
    ``top - weight - most``) or to nobody (cost ``top``), each column passes on at
    most ``capacity``; ``most`` outweighs any total of weights, so one more row
    assigned always wins (as the blossom rounds' maximum cardinality does)."""
    if not rows:
        return np.zeros(0, dtype=np.int64)
    # Without ``most_first`` only the weight counts: the solver is about twice as fast
    # (its costs span less), and where it assigns every row the result is the same.
    most = rows * (int(weight.max(initial=0)) + 1) if most_first else 0
    top = most + int(weight.max(initial=0)) + 1
    source, sink = rows + cols, rows + cols + 1
    row_ids = np.arange(rows, dtype=np.int64)
    col_ids = rows + np.arange(cols, dtype=np.int64)
    # Each column's places as arcs of their own, the n-th costing SPREAD * (n - 1).
    places = np.tile(col_ids, capacity)
    tails = np.concatenate([np.full(rows, source), a, row_ids, places])
    heads = np.concatenate([row_ids, rows + b, np.full(rows, sink), np.full(len(places), sink)])
    caps = np.ones(rows + len(a) + rows + len(places), dtype=np.int64)
    costs = np.concatenate(
        [
            np.zeros(rows, dtype=np.int64),
            top - weight - most,
            np.full(rows, top, dtype=np.int64),
            np.repeat(np.arange(capacity, dtype=np.int64) * SPREAD, cols),
        ]
    )
    flow = min_cost_flow.SimpleMinCostFlow()
    arcs = flow.add_arcs_with_capacity_and_unit_cost(tails, heads, caps, costs)
    supplies = np.zeros(rows + cols + 2, dtype=np.int64)
    supplies[source], supplies[sink] = rows, -rows
    flow.set_nodes_supplies(np.arange(len(supplies), dtype=np.int64), supplies)
    if flow.solve() != flow.OPTIMAL:  # cannot happen: "nobody" is always there
        raise RuntimeError("the flow solver found no assignment")
    used = flow.flows(arcs[rows : rows + len(a)]) > 0
    chosen = np.full(rows, -1, dtype=np.int64)
    chosen[a[used]] = b[used]
    return chosen


def _solve(count: int, left: Ints, right: Ints, cost: Ints) -> Ints:
    """Each left node's right node in the assignment of least total ``cost``."""
    if not count:
        return np.zeros(0, dtype=np.int64)
    solver = linear_sum_assignment.SimpleLinearSumAssignment()
    solver.add_arcs_with_cost(left, right, cost)
    if solver.solve() != solver.OPTIMAL:  # cannot happen: "nobody" is always there
        raise RuntimeError("the assignment solver found no assignment")
    return np.fromiter((solver.right_mate(n) for n in range(count)), np.int64, count)
