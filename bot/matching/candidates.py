"""Scores for a whole pool at once, keeping each person's best candidates.

This is :func:`bot.matching.score.score_pair` in matrix form: skills and goals
become bit sets whose intersections count what two people share (a popcount,
not a matrix product: no BLAS threads, ~25x faster on small vocabularies), hours
a table per pair of working-time classes, so a block of rows is scored against a
block of columns in one go. The hard rules become
masks. A :class:`Scorer` scores any block (some rows against some columns), so a
large pool is never scored pair by pair: :func:`build` scores every pair (small
pools, exact rounds) and :mod:`bot.matching.split` only the pairs its working-time
groups propose. Each row keeps its ``k`` best feasible partners (all of them for
an exact round), which is the graph the solver works on.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bot.matching.hours import SLOT_MINUTES, WORKDAYS, availability
from bot.matching.profile import Profile
from bot.matching.score import (
    FULL_HOURS,
    MAX_COUNTED_GOALS,
    MAX_COUNTED_SKILLS,
    Context,
    Mode,
    Rule,
    level_fit,
)

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
_BLOCK_ROWS = 512
_BLOCKED = -np.inf
_COUNTED_RULES = (Rule.AVOID, Rule.REPORTING_LINE, Rule.REPEAT)


@dataclass
class Candidates:
    """The candidate graph, and for each person why others were ruled out.

    ``edges`` maps (row, column) to a score: for peers rows and columns are the
    same people and each pair appears once (row < column); for mentoring, rows
    are mentees and columns mentors. The counts cover the pairs that were scored:
    every pair for :func:`build`, and for a split round every pair of someone
    whose group offered too few partners.
    """

    edges: dict[tuple[int, int], float]
    row_feasible: Ints
    col_feasible: Ints
    row_blocked: dict[Rule, Ints]
    col_blocked: dict[Rule, Ints]

    @classmethod
    def empty(cls, rows: int, cols: int) -> Candidates:
        return cls(
            {},
            np.zeros(rows, np.int64),
            np.zeros(cols, np.int64),
            {r: np.zeros(rows, np.int64) for r in Rule},
            {r: np.zeros(cols, np.int64) for r in Rule},
        )


class _Features:
    """One side's profiles as matrices over a shared vocabulary."""

    def __init__(
        self,
        people: Sequence[Profile],
        vocab: dict[str, int],
        goals: dict[str, int],
        classes: dict[tuple[str, str], int],
        labels: dict[str, int],
    ) -> None:
        n = len(people)
        self.wants = _onehot(n, len(vocab), ([vocab[s] for s in p.wants] for p in people))
        self.offers = _onehot(n, len(vocab), ([vocab[s] for s in p.offers] for p in people))
        self.goals = _onehot(n, len(goals), ([goals[g] for g in p.goals] for p in people))
        self.wants_bits, self.offers_bits, self.goals_bits = (
            _bits(m) for m in (self.wants, self.offers, self.goals)
        )
        self.level = np.array([p.level for p in people], dtype=np.int64)
        self.when = np.array(
            [classes.setdefault((p.timezone, p.hours), len(classes)) for p in people],
            dtype=np.int64,
        )
        self.style = np.array(
            [labels.setdefault(f"style:{p.style}", len(labels)) if p.style else -1 for p in people],
            dtype=np.int64,
        )
        self.department = np.array(
            [
                labels.setdefault(f"dept:{p.department}", len(labels)) if p.department else -1
                for p in people
            ],
            dtype=np.int64,
        )
        self.reverse = np.array([p.reverse for p in people], dtype=np.bool_)
        self.waited = np.array([p.waited for p in people], dtype=np.bool_)


def _onehot(rows: int, columns: int, indices: Iterable[list[int]]) -> npt.NDArray[np.float32]:
    matrix = np.zeros((rows, max(columns, 1)), dtype=np.float32)
    for row, columns_set in enumerate(indices):
        matrix[row, columns_set] = 1
    return matrix


def _bits(onehot: npt.NDArray[np.float32]) -> npt.NDArray[np.uint64]:
    """Each row's set as bits, 64 to a word: shape (rows, words)."""
    rows, width = onehot.shape
    words = max(1, -(-width // 64))
    padded = np.zeros((rows, words * 64), dtype=np.bool_)
    padded[:, :width] = onehot > 0
    weights = np.left_shift(np.uint64(1), np.arange(64, dtype=np.uint64))
    chunks = padded.reshape(rows, words, 64).astype(np.uint64)
    bits: npt.NDArray[np.uint64] = (chunks * weights).sum(axis=2, dtype=np.uint64)
    return bits


# Bits set in each byte: popcount where numpy has no bitwise_count (numpy < 2).
_BYTE_BITS = np.array([bin(n).count("1") for n in range(256)], dtype=np.uint8)


def _popcount(words: npt.NDArray[np.uint64]) -> npt.NDArray[np.uint8]:
    count = getattr(np, "bitwise_count", None)
    if count is not None:
        counted: npt.NDArray[np.uint8] = count(words)
        return counted
    as_bytes = np.ascontiguousarray(words).view(np.uint8).reshape(*words.shape, 8)
    summed: npt.NDArray[np.uint8] = _BYTE_BITS[as_bytes].sum(axis=-1, dtype=np.uint8)
    return summed


def shared(
    left: npt.NDArray[np.uint64], right: npt.NDArray[np.uint64], cap: int
) -> npt.NDArray[np.int64]:
    """How many items each row of ``left`` shares with each row of ``right``
    (bit sets, one row per person), at most ``cap``."""
    total = _popcount(left[:, None, 0] & right[None, :, 0]).astype(np.int64)
    for word in range(1, left.shape[1]):
        total += _popcount(left[:, None, word] & right[None, :, word])
    return np.minimum(total, cap)


class Scorer:
    """Scores blocks of ``rows`` against ``cols`` (``None``: the same people, as peers)."""

    def __init__(
        self, rows: Sequence[Profile], cols: Sequence[Profile] | None, ctx: Context
    ) -> None:
        self.peers = cols is None
        others = rows if cols is None else cols
        everyone = [*rows, *([] if self.peers else others)]
        vocab = _vocabulary(s for p in everyone for s in (*p.wants, *p.offers))
        goals = _vocabulary(g for p in everyone for g in p.goals)
        labels: dict[str, int] = {}
        self.classes: dict[tuple[str, str], int] = {}
        self.left = _Features(rows, vocab, goals, self.classes, labels)
        self.right = (
            self.left if self.peers else _Features(others, vocab, goals, self.classes, labels)
        )
        self.overlap = _overlap_table(self.classes, ctx)
        self.sparse = _SparsePairs(rows, others, ctx)
        self.ctx = ctx
        self.rows, self.cols = len(rows), len(others)

    def block(self, rows: Ints, cols: Ints, result: Candidates | None = None) -> Floats:
        """Scores of ``rows`` (row indices) against ``cols``; a forbidden pair scores
        minus infinity. With ``result``, counts feasible and ruled-out pairs there."""
        hours = self.overlap[self.left.when[rows, None], self.right.when[None, cols]]
        score = _block_scores(self.left, self.right, rows, cols, hours, self.ctx, self.peers)
        bonus_rows, bonus_cols = self.sparse.within(self.sparse.requested, rows, cols)
        score[bonus_rows, bonus_cols] += self.ctx.settings.weights.requested
        blocked = self._rules(rows, cols, hours, result)
        score[blocked] = _BLOCKED
        if result is not None:
            feasible = ~blocked
            result.row_feasible[rows] += feasible.sum(axis=1)
            result.col_feasible[cols] += feasible.sum(axis=0)
        return score

    def _rules(self, rows: Ints, cols: Ints, hours: Floats, result: Candidates | None) -> Bools:
        """Forbidden pairs, counting for each person the rule that ruled each out
        (in the order :func:`bot.matching.score.blocked_by` checks them)."""
        blocked = rows[:, None] == cols[None, :] if self.peers else _falses(rows, cols)
        count = _Counter(rows, cols, result)
        for rule, pairs in zip(
            _COUNTED_RULES, (self.sparse.avoid, self.sparse.lines, self.sparse.repeat), strict=True
        ):
            r, c = self.sparse.within(pairs, rows, cols)
            mask = _falses(rows, cols)
            mask[r, c] = True
            count(blocked, mask, rule)
        if self.ctx.mode is Mode.MENTOR:
            wrong = (
                self.right.level[None, cols] < self.left.level[rows, None]
            ) & ~self.left.reverse[rows, None]
            count(blocked, wrong, Rule.DIRECTION)
        count(blocked, hours < self.ctx.settings.min_overlap_hours, Rule.HOURS)
        return blocked


def _falses(rows: Ints, cols: Ints) -> Bools:
    return np.zeros((len(rows), len(cols)), dtype=np.bool_)


class _Counter:
    """Adds newly blocked pairs to ``blocked`` and counts them under their rule."""

    def __init__(self, rows: Ints, cols: Ints, result: Candidates | None) -> None:
        self.rows, self.cols, self.result = rows, cols, result

    def __call__(self, blocked: Bools, mask: Bools, rule: Rule) -> None:
        new = mask & ~blocked
        if self.result is not None:
            self.result.row_blocked[rule][self.rows] += new.sum(axis=1)
            self.result.col_blocked[rule][self.cols] += new.sum(axis=0)
        blocked |= new


def build(
    rows: Sequence[Profile], cols: Sequence[Profile] | None, ctx: Context, k: int | None
) -> Candidates:
    """Score every pair of ``rows`` and ``cols`` (``None``: the same people, as peers).

    ``k`` is how many best candidates each row keeps; ``None`` keeps them all.
    """
    scorer = Scorer(rows, cols, ctx)
    result = Candidates.empty(scorer.rows, scorer.cols)
    every_col = np.arange(scorer.cols, dtype=np.int64)
    for start in range(0, scorer.rows, _BLOCK_ROWS):
        block_rows = np.arange(start, min(start + _BLOCK_ROWS, scorer.rows), dtype=np.int64)
        scores = scorer.block(block_rows, every_col, result)
        keep_best(scores, block_rows, every_col, k, scorer.peers, result.edges)
    return result


def _overlap_table(classes: dict[tuple[str, str], int], ctx: Context) -> Floats:
    """Hours in common per working day between every two (timezone, hours) classes.

    Overlap depends only on where and when people work, and a pool has far fewer
    such classes than people, so it is computed once per class pair and looked up.
    """
    ordered = sorted(classes, key=classes.__getitem__)
    slots = (
        np.stack([availability(zone, window, ctx.monday) for zone, window in ordered]).astype(
            np.float32
        )
        if ordered
        else np.zeros((0, 1), np.float32)
    )
    return (slots @ slots.T).astype(np.float64) * SLOT_MINUTES / 60 / WORKDAYS


def _vocabulary(items: Iterable[str]) -> dict[str, int]:
    return {item: n for n, item in enumerate(sorted(set(items)))}


def partners_in_history(history: Iterable[frozenset[str]]) -> dict[str, set[str]]:
    """Each person's recent partners, in one pass over the history."""
    met: dict[str, set[str]] = defaultdict(set)
    for pair in history:
        if len(pair) != 2:
            continue
        a, b = pair
        met[a].add(b)
        met[b].add(a)
    return met


class _SparsePairs:
    """The hard rules and bonuses that name specific pairs, as index arrays."""

    def __init__(self, rows: Sequence[Profile], cols: Sequence[Profile], ctx: Context) -> None:
        col_index = {p.id: j for j, p in enumerate(cols)}
        row_index = {p.id: i for i, p in enumerate(rows)}
        self.rows, self.cols = len(rows), len(cols)
        self.avoid = self._pairs(
            rows, cols, row_index, col_index, lambda p: p.avoid, both_ways=True
        )
        self.lines = (
            _empty()
            if ctx.settings.same_reporting_line
            else self._pairs(
                rows, cols, row_index, col_index, lambda p: ctx.lines.chain(p.id), both_ways=True
            )
        )
        met = partners_in_history(ctx.history)
        self.repeat = self._pairs(
            rows, cols, row_index, col_index, lambda p: met.get(p.id, ()), both_ways=False
        )
        self.requested = self._pairs(
            rows, cols, row_index, col_index, lambda p: p.requested, both_ways=True
        )

    @staticmethod
    def _pairs(
        rows: Sequence[Profile],
        cols: Sequence[Profile],
        row_index: dict[str, int],
        col_index: dict[str, int],
        named: Callable[[Profile], Iterable[str]],
        *,
        both_ways: bool,
    ) -> tuple[Ints, Ints]:
        """(row, column) index pairs where one side's ``named`` ids include the other."""
        found: set[tuple[int, int]] = set()
        for i, person in enumerate(rows):
            found.update((i, col_index[o]) for o in named(person) if o in col_index)
        if both_ways:
            for j, person in enumerate(cols):
                found.update((row_index[o], j) for o in named(person) if o in row_index)
        if not found:
            return _empty()
        pairs = np.array(sorted(found), dtype=np.int64)
        return pairs[:, 0], pairs[:, 1]

    def within(self, pairs: tuple[Ints, Ints], rows: Ints, cols: Ints) -> tuple[Ints, Ints]:
        """The pairs inside a block, as positions in ``rows`` and ``cols``."""
        pair_rows, pair_cols = pairs
        if not len(pair_rows):
            return pair_rows, pair_cols
        row_at = np.full(self.rows, -1, dtype=np.int64)
        row_at[rows] = np.arange(len(rows))
        col_at = np.full(self.cols, -1, dtype=np.int64)
        col_at[cols] = np.arange(len(cols))
        r, c = row_at[pair_rows], col_at[pair_cols]
        inside = (r >= 0) & (c >= 0)
        return r[inside], c[inside]


def _empty() -> tuple[Ints, Ints]:
    return np.zeros(0, np.int64), np.zeros(0, np.int64)


def _block_scores(
    left: _Features,
    right: _Features,
    rows: Ints,
    cols: Ints,
    hours: Floats,
    ctx: Context,
    peers: bool,
) -> Floats:
    w = ctx.settings.weights
    learnt = shared(left.wants_bits[rows], right.offers_bits[cols], MAX_COUNTED_SKILLS)
    if peers:
        taught = shared(left.offers_bits[rows], right.wants_bits[cols], MAX_COUNTED_SKILLS)
        score = (w.skills / 2 / MAX_COUNTED_SKILLS) * (taught + learnt).astype(np.float64)
        score += w.mutual * ((taught > 0) & (learnt > 0))
        gap = left.level[rows, None] - right.level[None, cols]
    else:  # rows are mentees, columns mentors
        score = (w.skills / MAX_COUNTED_SKILLS) * learnt.astype(np.float64)
        gap = right.level[None, cols] - left.level[rows, None]  # mentor minus mentee
        gap = gap if ctx.mode is Mode.MENTOR else -gap
    score += _level_table(ctx.mode, w.level, left.level, right.level)(gap)
    shared_goals = shared(left.goals_bits[rows], right.goals_bits[cols], MAX_COUNTED_GOALS)
    score += (w.goals / MAX_COUNTED_GOALS) * shared_goals
    score += w.hours * np.minimum(hours, FULL_HOURS) / FULL_HOURS
    style, other_style = left.style[rows, None], right.style[None, cols]
    score += w.style * ((style == other_style) & (style >= 0))
    dept, other_dept = left.department[rows, None], right.department[None, cols]
    score += w.department * ((dept != other_dept) & (dept >= 0) & (other_dept >= 0))
    score += w.waited * (left.waited[rows, None] | right.waited[None, cols])
    scores: Floats = np.asarray(score, dtype=np.float64)
    return scores


def _level_table(mode: Mode, weight: float, left: Ints, right: Ints) -> Callable[[Ints], Floats]:
    """Level points for a block of gaps, looked up in a table of every possible gap
    (:func:`bot.matching.score.level_fit`; cheaper than computing it per pair)."""
    low = int(min(left.min(initial=0), right.min(initial=0)))
    high = int(max(left.max(initial=0), right.max(initial=0)))
    reach = high - low
    gaps = range(-reach, reach + 1)
    if mode is Mode.PEER:
        table = np.array([weight * level_fit(g, mode) for g in gaps], dtype=np.float64)
    else:  # the gap is already the mentoring direction (mentor minus mentee in MENTOR)
        table = np.array([weight * level_fit(g, Mode.MENTOR) for g in gaps], dtype=np.float64)

    def points(gap: Ints) -> Floats:
        looked_up: Floats = table[gap + reach]
        return looked_up

    return points


def keep_best(
    scores: Floats,
    rows: Ints,
    cols: Ints,
    k: int | None,
    peers: bool,
    edges: dict[tuple[int, int], float],
) -> None:
    """Add each row's ``k`` best feasible columns (all for ``None``) to ``edges``."""
    count = scores.shape[1]
    take = count if k is None or k >= count else k
    if take < count:
        best = np.argpartition(-scores, take - 1, axis=1)[:, :take]
    else:
        best = np.broadcast_to(np.arange(count), scores.shape)
    picked = np.take_along_axis(scores, best, axis=1)
    local_rows, slots = np.nonzero(picked != _BLOCKED)
    found_rows = rows[local_rows].tolist()
    found_cols = cols[best[local_rows, slots]].tolist()
    values = picked[local_rows, slots].tolist()
    for row, col, value in zip(found_rows, found_cols, values, strict=True):
        key = (min(row, col), max(row, col)) if peers else (row, col)
        edges[key] = value
