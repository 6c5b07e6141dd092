"""The best assignment (bot/matching/cover.py), checked against every possibility
on small graphs, and what it brings a large round."""

from __future__ import annotations

import itertools
from collections import Counter

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.matching.cover import SPREAD, assign, choices, cycles, mutual
from bot.matching.proposal import peer_round
from tests.matching.pools import context, crowd

Edge = tuple[int, int, int]


@st.composite
def bipartite(draw: st.DrawFn) -> tuple[int, int, list[Edge]]:
    rows, cols = draw(st.integers(0, 5)), draw(st.integers(0, 5))
    cells = [(r, c) for r in range(rows) for c in range(cols)]
    chosen = draw(st.lists(st.sampled_from(cells), unique=True)) if cells else []
    return rows, cols, [(r, c, draw(st.integers(1, 40))) for r, c in chosen]


@st.composite
def general(draw: st.DrawFn) -> tuple[int, list[Edge]]:
    count = draw(st.integers(0, 8))
    pairs = list(itertools.combinations(range(count), 2))
    chosen = draw(st.lists(st.sampled_from(pairs), unique=True)) if pairs else []
    return count, [(a, b, draw(st.integers(1, 40))) for a, b in chosen]


def _arrays(edges: list[Edge]) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    a, b, w = (np.array([e[n] for e in edges], dtype=np.int64) for n in range(3))
    return a, b, w


def _best_assignment(rows: int, cols: int, edges: list[Edge], capacity: int) -> tuple[int, int]:
    """(rows assigned, total weight less crowding) of the best assignment."""
    weight = {(r, c): w for r, c, w in edges}
    best = (0, 0)
    for choice in itertools.product(range(-1, cols), repeat=rows):
        taken = Counter(c for c in choice if c >= 0)
        if all(n <= capacity for n in taken.values()) and all(
            c < 0 or (r, c) in weight for r, c in enumerate(choice)
        ):
            value = sum(weight[(r, c)] for r, c in enumerate(choice) if c >= 0)
            crowding = sum(n * (n - 1) // 2 for n in taken.values()) * SPREAD
            best = max(best, (sum(taken.values()), value - crowding))
    return best


def test_mentees_spread_over_mentors_where_the_totals_tie() -> None:
    # Two mentees, two mentors of capacity 2, every fit the same: one each.
    a, b, w = _arrays([(0, 0, 30), (0, 1, 30), (1, 0, 30), (1, 1, 30)])
    chosen = assign(2, 2, a, b, w, capacity=2)
    assert sorted(chosen.tolist()) == [0, 1]


@settings(max_examples=150, deadline=None)
@given(bipartite(), st.integers(1, 3))
def test_the_assignment_is_the_best_there_is(
    graph: tuple[int, int, list[Edge]], capacity: int
) -> None:
    rows, cols, edges = graph
    chosen = assign(rows, cols, *_arrays(edges), capacity)
    weight = {(r, c): w for r, c, w in edges}
    taken = Counter(int(c) for c in chosen if c >= 0)
    assert all(n <= capacity for n in taken.values())  # each column at most capacity
    assert all(c < 0 or (r, int(c)) in weight for r, c in enumerate(chosen))
    total = sum(weight[(r, int(c))] for r, c in enumerate(chosen) if c >= 0)
    crowding = sum(n * (n - 1) // 2 for n in taken.values()) * SPREAD
    assert (sum(taken.values()), total - crowding) == _best_assignment(rows, cols, edges, capacity)


@settings(max_examples=150, deadline=None)
@given(general())
def test_choices_are_a_permutation_along_edges_whose_pairs_are_mutual(
    graph: tuple[int, list[Edge]],
) -> None:
    count, edges = graph
    choice = choices(count, *_arrays(edges))
    assert sorted(choice.tolist()) == list(range(count))
    together = {(min(a, b), max(a, b)) for a, b, _ in edges}
    assert all(c == p or (min(p, c), max(p, c)) in together for p, c in enumerate(choice))
    mate = mutual(choice)
    left = np.flatnonzero(mate < 0)
    assert sorted(cycles(choice, left).tolist()) == left.tolist()  # each once
    together = {(min(a, b), max(a, b)) for a, b, _ in edges}
    for person, partner in enumerate(mate.tolist()):
        if partner >= 0:
            assert mate[partner] == person
            assert (min(person, partner), max(person, partner)) in together


def test_where_everyone_has_one_best_partner_they_choose_each_other() -> None:
    # Two strong pairs joined by weak edges: 0-1 and 2-3 choose each other.
    a, b, w = _arrays([(0, 1, 30), (2, 3, 30), (1, 2, 5), (0, 3, 5)])
    assert mutual(choices(4, a, b, w)).tolist() == [1, 0, 3, 2]


def test_a_cycle_leaves_its_people_to_the_next_step_side_by_side() -> None:
    # A triangle has no mutual best choice: each chooses the next one round; the
    # fourth person can meet nobody and comes last.
    a, b, w = _arrays([(0, 1, 10), (1, 2, 10), (0, 2, 10)])
    choice = choices(4, a, b, w)
    assert mutual(choice).tolist() == [-1, -1, -1, -1]
    order = cycles(choice, np.arange(4))
    assert order[-1] == 3 and sorted(order[:3].tolist()) == [0, 1, 2]
    assert all(choice[x] == y for x, y in itertools.pairwise(order[:3].tolist()))


def test_a_split_round_scores_within_a_hair_of_the_whole_round() -> None:
    people = crowd(240, seed=9)
    ctx = context(people)
    whole = peer_round(people, ctx, 2, trios=False, split_limit=None)
    parts = peer_round(people, ctx, 2, trios=False, split_limit=60)
    assert parts.matched_people() == whole.matched_people()
    assert parts.total() >= 0.995 * whole.total()


def test_the_most_rows_come_first_unless_only_the_weight_counts() -> None:
    # Ana fits the first mentor best, but only Ana can take the second one.
    a, b, w = _arrays([(0, 0, 100), (0, 1, 1), (1, 0, 1)])
    assert assign(2, 2, a, b, w).tolist() == [1, 0]
    assert assign(2, 2, a, b, w, most_first=False).tolist() == [0, -1]
