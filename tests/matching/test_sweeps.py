"""Neighbourhoods solved side by side give what one after another gives, here or in
worker processes: the same seed, the same round, on any machine."""

from __future__ import annotations

import numpy as np
import pytest

from bot.matching import blossoms, candidate_graph, proposal, split, sweeps
from bot.matching.blossoms import InProcess, Neighbourhood, solve_one
from bot.matching.candidate_graph import Edges, Graph
from bot.matching.candidates import Candidates, Scorer
from bot.matching.neighbourhoods import mask
from bot.matching.participant import Profile
from bot.matching.sweeps import resolve, resolve_all
from tests.matching.pools import context, crowd


def _graph(count: int, seed: int) -> Graph:
    rng = np.random.default_rng(seed)
    a = rng.integers(0, count, count * 6)
    b = rng.integers(0, count, count * 6)
    keep = a != b
    lo, hi = np.minimum(a, b)[keep], np.maximum(a, b)[keep]
    return Graph(Edges.join(Edges(lo, hi, rng.random(len(lo)) * 50)), count)


def _greedy_mate(count: int) -> np.ndarray:
    mate = np.full(count, -1, dtype=np.int64)
    for x in range(0, count - 1, 4):  # some pairs to improve on, some people alone
        mate[x], mate[x + 1] = x + 1, x
    return mate


def test_disjoint_neighbourhoods_together_match_one_after_another() -> None:
    graph = _graph(600, 3)
    parts = [np.arange(n, 600, 3) for n in range(3)]  # every third person
    alone = _greedy_mate(600)
    rng = np.random.default_rng(5)
    for nodes in parts:
        resolve(mask(nodes, 600), alone, graph, rng)
    together = _greedy_mate(600)
    resolve_all(parts, together, graph, np.random.default_rng(5))
    assert (alone == together).all()
    assert (together != _greedy_mate(600)).any()  # the re-solves did change something


def test_neighbourhoods_that_share_someone_are_refused() -> None:
    graph = _graph(100, 1)
    with pytest.raises(ValueError, match="share nobody"):
        resolve_all(
            [np.arange(0, 60), np.arange(50, 100)],
            _greedy_mate(100),
            graph,
            np.random.default_rng(1),
        )


def test_side_by_side_a_few_at_a_time_is_the_same(monkeypatch: pytest.MonkeyPatch) -> None:
    graph = _graph(600, 8)
    parts = [np.arange(n, 600, 5) for n in range(5)]
    all_at_once = _greedy_mate(600)
    resolve_all(parts, all_at_once, graph, np.random.default_rng(2))
    monkeypatch.setattr(sweeps, "AT_ONCE", 2)
    two_at_a_time = _greedy_mate(600)
    resolve_all(parts, two_at_a_time, graph, np.random.default_rng(2))
    assert (all_at_once == two_at_a_time).all()


def test_a_blossom_solve_gives_the_most_pairs_then_the_most_weight() -> None:
    # A path 0-1-2-3: the heavy middle edge alone is one pair; both ends are two.
    hood = Neighbourhood(4, [0, 1, 2], [1, 2, 3], [1, 100, 1])
    assert solve_one(hood) == [(0, 1), (2, 3)]
    assert InProcess().solve([hood, hood]) == [[(0, 1), (2, 3)]] * 2


def test_worker_processes_give_the_same_round(monkeypatch: pytest.MonkeyPatch) -> None:
    people = crowd(400, seed=4)
    ctx = context(people)
    monkeypatch.setattr(blossoms, "PARALLEL_FROM", 0)
    monkeypatch.setattr(blossoms, "workers_here", lambda: 1)
    here = split.peer_pairs(people, ctx, 7, proposal.neighbours(len(people)), limit=120)[0]
    monkeypatch.setattr(blossoms, "workers_here", lambda: 2)
    with blossoms.blossoms(len(people)) as solver:
        assert isinstance(solver, blossoms.Processes)
    there = split.peer_pairs(people, ctx, 7, proposal.neighbours(len(people)), limit=120)[0]
    assert here == there


def test_a_partner_who_would_teach_back_is_found_beyond_the_sample(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Many teach SQL, one of them wants the Go that Ana teaches: with only a few of
    SQL's teachers sampled, the search by exchange still finds that one."""
    ana = Profile("ana", "Ana", "Europe/Berlin", wants=frozenset({"sql"}), offers=frozenset({"go"}))
    cal = Profile("cal", "Cal", "Europe/Berlin", wants=frozenset({"go"}), offers=frozenset({"sql"}))
    ml, sql = frozenset({"ml"}), frozenset({"sql"})
    others = [Profile(f"t{n}", f"T{n}", "Europe/Berlin", wants=ml, offers=sql) for n in range(40)]
    people = [ana, *others, cal]
    monkeypatch.setattr(candidate_graph, "COLUMNS", 3)
    scorer = Scorer(people, None, context(people))
    result = Candidates.empty(scorer.rows, scorer.cols)
    rows, cols, _, _ = candidate_graph.index_candidates(scorer, 3, 1, result)
    assert len(people) - 1 in cols[rows == 0].tolist()  # Cal, for Ana
