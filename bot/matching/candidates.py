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

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from bot.matching.features import (
    Bools,
    Features,
    Floats,
    Ints,
    level_table,
    overlap_table,
    shared,
    vocabulary,
)
from bot.matching.pair_rules import SparsePairs
from bot.matching.participant import Profile
from bot.matching.score import (
    FULL_HOURS,
    MAX_COUNTED_GOALS,
    MAX_COUNTED_SKILLS,
    Context,
    Mode,
    Rule,
)

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


class Scorer:
    """Scores blocks of ``rows`` against ``cols`` (``None``: the same people, as peers)."""

    def __init__(
        self, rows: Sequence[Profile], cols: Sequence[Profile] | None, ctx: Context
    ) -> None:
        self.peers = cols is None
        others = rows if cols is None else cols
        everyone = [*rows, *([] if self.peers else others)]
        vocab = vocabulary(s for p in everyone for s in (*p.wants, *p.offers))
        goals = vocabulary(g for p in everyone for g in p.goals)
        labels: dict[str, int] = {}
        self.classes: dict[tuple[str, str], int] = {}
        self.left = Features(rows, vocab, goals, self.classes, labels)
        self.right = (
            self.left if self.peers else Features(others, vocab, goals, self.classes, labels)
        )
        self.overlap = overlap_table(self.classes, ctx)
        self.sparse = SparsePairs(rows, others, ctx)
        self.profiles, self.others = rows, others
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
    rows: Sequence[Profile],
    cols: Sequence[Profile] | None,
    ctx: Context,
    k: int | None,
    scorer: Scorer | None = None,
) -> Candidates:
    """Score every pair of ``rows`` and ``cols`` (``None``: the same people, as peers).

    ``k`` is how many best candidates each row keeps; ``None`` keeps them all.
    ``scorer``: one already built for these people.
    """
    scorer = Scorer(rows, cols, ctx) if scorer is None else scorer
    result = Candidates.empty(scorer.rows, scorer.cols)
    every_col = np.arange(scorer.cols, dtype=np.int64)
    for start in range(0, scorer.rows, _BLOCK_ROWS):
        block_rows = np.arange(start, min(start + _BLOCK_ROWS, scorer.rows), dtype=np.int64)
        scores = scorer.block(block_rows, every_col, result)
        keep_best(scores, block_rows, every_col, k, scorer.peers, result.edges)
    return result


def _block_scores(
    left: Features,
    right: Features,
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
    score += level_table(ctx.mode, w.level, left.level, right.level)(gap)
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
