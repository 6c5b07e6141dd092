"""Re-solving a group with the blossom algorithm keeps only a better result, and
the skill index finds partners beyond its samples."""

from __future__ import annotations

import numpy as np
import pytest

from bot.matching import candidate_graph
from bot.matching.blossoms import Neighbourhood, solve_one
from bot.matching.candidate_graph import Edges, Graph
from bot.matching.candidates import Candidates, Scorer
from bot.matching.neighbourhoods import pairs_of
from bot.matching.participant import Profile
from bot.matching.sweeps import resolve_all
from tests.matching.pools import context


def _graph(count: int, seed: int) -> Graph:
    rng = np.random.default_rng(seed)
    a = rng.integers(0, count, count * 6)
    b = rng.integers(0, count, count * 6)
    keep = a != b
    lo, hi = np.minimum(a, b)[keep], np.maximum(a, b)[keep]
    return Graph(Edges.join(Edges(lo, hi, rng.random(len(lo)) * 50)), count)


def _some_pairs(graph: Graph) -> np.ndarray:
    """Every fourth edge whose people are still free: pairs to improve on, and
    some people alone."""
    mate = np.full(graph.count, -1, dtype=np.int64)
    for a, b in zip(graph.ends_a[::4].tolist(), graph.ends_b[::4].tolist(), strict=True):
        if mate[a] < 0 and mate[b] < 0:
            mate[a], mate[b] = b, a
    return mate


def _value(graph: Graph, mate: np.ndarray) -> tuple[int, int]:
    on = mate[graph.ends_a] == graph.ends_b
    return int(on.sum()), int(graph.weight[on].sum())


@pytest.mark.parametrize("seed", range(5))
def test_a_re_solve_never_matches_fewer_nor_scores_less_for_as_many(seed: int) -> None:
    graph = _graph(300, seed)
    mate = _some_pairs(graph)
    before = _value(graph, mate)
    groups = [np.arange(n, 300, 4) for n in range(4)] + [np.arange(0, 300)]
    resolve_all(groups, mate, graph, np.random.default_rng(seed))
    after = _value(graph, mate)
    assert after > before  # something to improve, and it was improved
    matched = np.flatnonzero(mate >= 0)
    assert (mate[mate[matched]] == matched).all()  # each pair both ways
    assert _value(graph, mate)[0] == len(pairs_of(mate))  # every pair is an edge


def test_a_blossom_solve_gives_the_most_pairs_then_the_most_weight() -> None:
    # A path 0-1-2-3: the heavy middle edge alone is one pair; both ends are two.
    hood = Neighbourhood(4, [0, 1, 2], [1, 2, 3], [1, 100, 1])
    assert solve_one(hood) == [(0, 1), (2, 3)]


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


def test_each_batch_of_learners_gets_its_own_sample_of_teachers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Sixty want SQL and sixty teach it: with samples of 5 teachers, one shared
    sample would give every learner the same few; a sample per batch of 4 learners
    spreads them over many more teachers."""
    sql, go = frozenset({"sql"}), frozenset({"go"})
    learners = [Profile(f"l{n}", f"L{n}", "Europe/Berlin", wants=sql) for n in range(60)]
    teachers = [Profile(f"t{n}", f"T{n}", "Europe/Berlin", offers=sql, wants=go) for n in range(60)]
    people = [*learners, *teachers]
    monkeypatch.setattr(candidate_graph, "COLUMNS", 5)
    monkeypatch.setattr(candidate_graph, "SAMPLE_ROWS", 4)
    scorer = Scorer(people, None, context(people))
    rows, cols, _, _ = candidate_graph.index_candidates(
        scorer, 2, 1, Candidates.empty(scorer.rows, scorer.cols)
    )
    reached = set(cols[rows < 60].tolist())
    assert reached <= set(range(60, 120))
    assert len(reached) > 5 * 3
