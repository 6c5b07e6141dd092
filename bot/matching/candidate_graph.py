"""The candidate graph of a large pool: candidates from a skill index, held as arrays."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from bot.matching.candidates import Candidates, Scorer, keep_best
from bot.matching.features import Bools, Floats, Ints
from bot.matching.score import Rule
from bot.matching.solve import _SCALE

FEW = 3
FULL_ROWS = 256  # rows scored against everyone at once
# Teachers scored per skill (and per pair of skills exchanged), in a seeded sample
# when there are more. On the synthetic 50,000-person pool against the code
# before issue 18: per skill only, 1,000 scores -4.8%; with the exchanges, 1,000
# scores -1.4% in 69 s and 500 -1.5% in 60 s.
COLUMNS = 500
# Mentoring has no exchange searches: each skill's search samples more teachers
# for about the same cost. Reverse mentoring at 10,000 people against the code
# before issue 18: 500 scores -0.25%, 1,000 -0.01%.
MENTORING_COLUMNS = 1000
SAMPLE_ROWS = 128


def keep_feasible(
    scorer: Scorer,
    scores: Floats,
    rows: Ints,
    cols: Ints,
    k: int | None,
    edges: dict[tuple[int, int], float],
) -> None:
    """Each row's best ``k``, and every feasible requested pair in the block."""
    keep_best(scores, rows, cols, k, scorer.peers, edges)
    r, c = scorer.sparse.within(scorer.sparse.requested, rows, cols)
    for a, b, value in zip(rows[r].tolist(), cols[c].tolist(), scores[r, c].tolist(), strict=True):
        if value != -np.inf:
            edges[(min(a, b), max(a, b)) if scorer.peers else (a, b)] = value


def _reset(counts: Sequence[Ints], blocked: dict[Rule, Ints], index: Ints) -> None:
    for array in (*counts, *blocked.values()):
        array[index] = 0


def full_rows(scorer: Scorer, rows: Ints, k: int | None, result: Candidates) -> None:
    """Score ``rows`` against every column: their counts become exact."""
    _reset([result.row_feasible], result.row_blocked, rows)
    every_col = np.arange(scorer.cols, dtype=np.int64)
    scratch = Candidates.empty(scorer.rows, scorer.cols)
    for start in range(0, len(rows), FULL_ROWS):
        batch = rows[start : start + FULL_ROWS]
        keep_feasible(
            scorer, scorer.block(batch, every_col, scratch), batch, every_col, k, result.edges
        )
    result.row_feasible[rows] = scratch.row_feasible[rows]
    for rule, array in result.row_blocked.items():
        array[rows] = scratch.row_blocked[rule][rows]


class Edges:
    """Candidate pairs as arrays: ends (``a < b``) and scores, each pair once."""

    def __init__(self, a: Ints, b: Ints, score: Floats) -> None:
        self.a, self.b, self.score = a, b, score

    @classmethod
    def of(cls, edges: dict[tuple[int, int], float]) -> Edges:
        ends = np.array(list(edges), dtype=np.int64).reshape(-1, 2)
        scores = np.fromiter(edges.values(), dtype=np.float64, count=len(edges))
        return cls(ends[:, 0], ends[:, 1], scores)

    @classmethod
    def join(cls, *parts: Edges, ordered: bool = True) -> Edges:
        """All pairs of ``parts``, each once, sorted by their ends; ``ordered``: the
        smaller end first (peers), else as given (mentee, mentor)."""
        a = np.concatenate([p.a for p in parts])
        b = np.concatenate([p.b for p in parts])
        score = np.concatenate([p.score for p in parts])
        lo, hi = (np.minimum(a, b), np.maximum(a, b)) if ordered else (a, b)
        order = np.lexsort((hi, lo))
        lo, hi, score = lo[order], hi[order], score[order]
        fresh = np.ones(len(lo), dtype=np.bool_)
        fresh[1:] = (lo[1:] != lo[:-1]) | (hi[1:] != hi[:-1])
        return cls(lo[fresh], hi[fresh], score[fresh])

    def as_dict(self) -> dict[tuple[int, int], float]:
        ends = zip(self.a.tolist(), self.b.tolist(), strict=True)
        return dict(zip(ends, self.score.tolist(), strict=True))


def index_candidates(
    scorer: Scorer, k: int | None, seed: int, result: Candidates
) -> tuple[Ints, Ints, Floats, Ints]:
    """Each row's best ``k`` among the columns who teach a skill they want to learn
    (for each such skill at most :data:`COLUMNS` teachers, in a seeded order; for
    peers, also among those who would teach it and learn something back), as
    (rows, columns, scores); and the rows with fewer than :data:`FEW` feasible
    partners found that way."""
    # One skill's people are a row here (skills x people, contiguous): the loops
    # below take hundreds of them.
    wants = np.ascontiguousarray((scorer.left.wants > 0).T)
    offers = np.ascontiguousarray((scorer.right.offers > 0).T)
    rng = np.random.default_rng(seed)
    found_rows: list[Ints] = []
    found_cols: list[Ints] = []
    found_scores: list[Floats] = []

    sample = COLUMNS if scorer.peers else MENTORING_COLUMNS

    def best_of(rows: Ints, everyone: Ints) -> None:
        if not len(rows) or not len(everyone):
            return
        take = min(sample, len(everyone)) if k is None else min(k, sample, len(everyone))
        for first in range(0, len(rows), SAMPLE_ROWS):
            batch = rows[first : first + SAMPLE_ROWS]
            # Each batch its own sample: together the batches reach many more of
            # the people who could teach them, so they do not all compete for the
            # same few (a sample's best are everyone's best).
            cols = everyone
            if len(everyone) > sample:
                cols = np.sort(rng.choice(everyone, sample, replace=False))
            scores = scorer.block(batch, cols, result)
            best = np.argpartition(-scores, take - 1, axis=1)[:, :take]
            found_rows.append(np.repeat(batch, take))
            found_cols.append(cols[best].reshape(-1))
            found_scores.append(np.take_along_axis(scores, best, axis=1).reshape(-1))

    # Everyone against a sample of everyone: partners who share goals, hours and
    # level but no skill, where the skills searches find too few.
    best_of(np.arange(scorer.rows, dtype=np.int64), np.arange(scorer.cols, dtype=np.int64))
    for skill in range(len(wants)):
        best_of(np.flatnonzero(wants[skill]), np.flatnonzero(offers[skill]))
    if scorer.peers:
        # Exchanges both ways score most (each teaches the other, and the mutual
        # bonus): in a large pool a sample of a skill's teachers misses most of them,
        # so each (wanted, offered) pair of skills is searched on its own as well.
        gives = np.ascontiguousarray((scorer.left.offers > 0).T)
        needs = np.ascontiguousarray((scorer.right.wants > 0).T)
        for skill, back in zip(*np.nonzero(wants.astype(np.int64) @ gives.T), strict=True):
            rows = np.flatnonzero(wants[skill] & gives[back])
            best_of(rows, np.flatnonzero(offers[skill] & needs[back]))
    nothing = np.zeros(0, dtype=np.int64)
    row, col = np.concatenate([nothing, *found_rows]), np.concatenate([nothing, *found_cols])
    score = np.concatenate([np.zeros(0), *found_scores])
    alive = score != -np.inf
    row, col, score = row[alive], col[alive], score[alive]
    if not len(row):
        return nothing, nothing, np.zeros(0), np.arange(scorer.rows, dtype=np.int64)
    # Each row's distinct columns, best first (ties by column), in one sort of one
    # integer key. A pair found through two searches has the same score both times,
    # so its copies sit side by side and one is kept.
    weight = np.round(score * _SCALE).astype(np.int64)
    worst, span = int(weight.min()), int(weight.max()) - int(weight.min()) + 1
    key = (row * span + (span - 1 - (weight - worst))) * scorer.cols + col
    order = np.argsort(key)
    key, row, col, score = key[order], row[order], col[order], score[order]
    fresh = np.ones(len(key), dtype=np.bool_)
    fresh[1:] = key[1:] != key[:-1]
    row, col, score = row[fresh], col[fresh], score[fresh]
    rank = np.arange(len(row)) - np.searchsorted(row, row)
    keep = rank < (len(row) if k is None else k)
    distinct = np.bincount(row, minlength=scorer.rows)
    hard = np.flatnonzero(distinct < FEW).astype(np.int64)
    return row[keep], col[keep], score[keep], hard


def requested_pairs(scorer: Scorer, edges: dict[tuple[int, int], float]) -> None:
    """Requested partners are always candidates (when no rule forbids the pair)."""
    rows, cols = scorer.sparse.requested
    for a, b in zip(rows.tolist(), cols.tolist(), strict=True):
        if a != b or not scorer.peers:
            value = float(scorer.block(np.array([a]), np.array([b]))[0, 0])
            if value != -np.inf:
                edges[(min(a, b), max(a, b)) if scorer.peers else (a, b)] = value


class Graph:
    """The candidate graph as arrays: each edge's ends and weight, and each
    person's candidates (``near[start[x]:start[x + 1]]``)."""

    def __init__(self, edges: Edges, count: int) -> None:
        self.count = count
        self.ends_a, self.ends_b = edges.a, edges.b
        self.weight = self.weights(edges)
        both = np.concatenate([self.ends_a, self.ends_b])
        other = np.concatenate([self.ends_b, self.ends_a])
        self.near = other[np.argsort(both, kind="stable")]
        self.start = np.zeros(count + 1, dtype=np.int64)
        np.cumsum(np.bincount(both, minlength=count), out=self.start[1:])

    @staticmethod
    def weights(edges: Edges) -> Ints:
        """The solvers' integer weights (``solve._weight``, vectorised): all > 0."""
        weight: Ints = np.round(edges.score * _SCALE).astype(np.int64) + 1
        return weight

    def grow(self, first: Ints, size: int, mate: Ints, taken: Bools) -> Bools:
        """About ``size`` people around ``first`` and not ``taken``: layer by layer
        their candidates, with everyone's current partner."""
        chosen = taken.copy()
        layer = first
        total = 0
        while layer.size and total < size:
            partners = mate[layer]
            layer = np.unique(np.concatenate([layer, partners[partners >= 0]]))
            layer = layer[~chosen[layer]]
            chosen[layer] = True
            total += layer.size
            lengths = self.start[layer + 1] - self.start[layer]
            offsets = np.repeat(self.start[layer] - np.cumsum(lengths) + lengths, lengths)
            reach = self.near[offsets + np.arange(lengths.sum())]
            layer = np.unique(reach[~chosen[reach]])
            if total + layer.size > size:
                layer = layer[: max(0, size - total)]
        return chosen & ~taken
