"""Pre-issue-18 reference (frozen copy of bot/matching/candidates.py at main d8aa2f2).

Used only by benchmarks/matching.py to compare today's matching with the code
before issue 18 on the same pools. Not part of the product; do not edit.

Scores for a whole pool at once, keeping each person's best candidates.

This is :func:`bot.matching.score.score_pair` in matrix form: skills, goals and
hours become 0/1 matrices whose products count what two people share, so a pool
of 10,000 is scored in blocks of rows in seconds rather than pair by pair. The
hard rules become masks. Each row keeps its ``k`` best feasible partners (all of
them for an exact round), which is the graph the solver works on.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from bot.matching.hours import SLOT_MINUTES, WORKDAYS, availability
from bot.matching.participant import Profile
from bot.matching.score import (
    FULL_HOURS,
    MAX_COUNTED_GOALS,
    MAX_COUNTED_SKILLS,
    Context,
    Mode,
    Rule,
)

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
_BLOCK_ROWS = 512
_BLOCKED = -np.inf


@dataclass
class Candidates:
    """The candidate graph, and for each person why others were ruled out.

    ``edges`` maps (row, column) to a score: for peers rows and columns are the
    same people and each pair appears once (row < column); for mentoring, rows
    are mentees and columns mentors.
    """

    edges: dict[tuple[int, int], float]
    row_feasible: Ints
    col_feasible: Ints
    row_blocked: dict[Rule, Ints]
    col_blocked: dict[Rule, Ints]


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


def build(
    rows: Sequence[Profile], cols: Sequence[Profile] | None, ctx: Context, k: int | None
) -> Candidates:
    """Score ``rows`` against ``cols`` (``None``: the same people, as peers).

    ``k`` is how many best candidates each row keeps; ``None`` keeps them all.
    """
    peers = cols is None
    others = rows if cols is None else cols
    everyone = [*rows, *([] if peers else others)]
    vocab = _vocabulary(s for p in everyone for s in (*p.wants, *p.offers))
    goals = _vocabulary(g for p in everyone for g in p.goals)
    labels: dict[str, int] = {}
    classes: dict[tuple[str, str], int] = {}
    left = _Features(rows, vocab, goals, classes, labels)
    right = left if peers else _Features(others, vocab, goals, classes, labels)
    overlap = _overlap_table(classes, ctx)
    sparse = _SparsePairs(rows, others, ctx)
    result = Candidates(
        {},
        np.zeros(len(rows), np.int64),
        np.zeros(len(others), np.int64),
        {r: np.zeros(len(rows), np.int64) for r in Rule},
        {r: np.zeros(len(others), np.int64) for r in Rule},
    )
    for start in range(0, len(rows), _BLOCK_ROWS):
        stop = min(start + _BLOCK_ROWS, len(rows))
        hours = overlap[left.when[start:stop, None], right.when[None, :]]
        scores = _block_scores(left, right, start, stop, hours, ctx, sparse, result, peers)
        _keep_best(scores, start, k, peers, result)
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


class _SparsePairs:
    """The hard rules and bonuses that name specific pairs, as index arrays."""

    def __init__(self, rows: Sequence[Profile], cols: Sequence[Profile], ctx: Context) -> None:
        col_index = {p.id: j for j, p in enumerate(cols)}
        row_index = {p.id: i for i, p in enumerate(rows)}
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
        history = (
            {
                p.id: {q for pair in ctx.history if p.id in pair for q in pair if q != p.id}
                for p in rows
            }
            if ctx.history
            else {}
        )
        self.repeat = self._pairs(
            rows,
            cols,
            row_index,
            col_index,
            lambda p: frozenset(history.get(p.id, ())),
            both_ways=False,
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

    @staticmethod
    def within(pairs: tuple[Ints, Ints], start: int, stop: int) -> tuple[Ints, Ints]:
        rows, cols = pairs
        inside = (rows >= start) & (rows < stop)
        return rows[inside] - start, cols[inside]


def _empty() -> tuple[Ints, Ints]:
    return np.zeros(0, np.int64), np.zeros(0, np.int64)


def _block_scores(
    left: _Features,
    right: _Features,
    start: int,
    stop: int,
    hours: Floats,
    ctx: Context,
    sparse: _SparsePairs,
    result: Candidates,
    peers: bool,
) -> Floats:
    w = ctx.settings.weights
    rows = slice(start, stop)
    if peers:
        taught = np.minimum(left.offers[rows] @ right.wants.T, MAX_COUNTED_SKILLS)
        learnt = np.minimum(left.wants[rows] @ right.offers.T, MAX_COUNTED_SKILLS)
        score = (w.skills / 2 / MAX_COUNTED_SKILLS) * (taught + learnt).astype(np.float64)
        score += w.mutual * ((taught > 0) & (learnt > 0))
        gap = left.level[rows, None] - right.level[None, :]
        score += w.level * np.maximum(0.0, 1 - np.abs(gap) / 3)
    else:  # rows are mentees, columns mentors
        learnt = np.minimum(left.wants[rows] @ right.offers.T, MAX_COUNTED_SKILLS)
        score = (w.skills / MAX_COUNTED_SKILLS) * learnt.astype(np.float64)
        gap = right.level[None, :] - left.level[rows, None]  # mentor minus mentee
        score += w.level * _level_fit(gap if ctx.mode is Mode.MENTOR else -gap)
    shared_goals = np.minimum(left.goals[rows] @ right.goals.T, MAX_COUNTED_GOALS)
    score += (w.goals / MAX_COUNTED_GOALS) * shared_goals
    score += w.hours * np.minimum(hours, FULL_HOURS) / FULL_HOURS
    style = left.style[rows, None]
    score += w.style * ((style == right.style[None, :]) & (style >= 0))
    dept = left.department[rows, None]
    score += w.department * (
        (dept != right.department[None, :]) & (dept >= 0) & (right.department[None, :] >= 0)
    )
    score += w.waited * (left.waited[rows, None] | right.waited[None, :])
    bonus_rows, bonus_cols = sparse.within(sparse.requested, start, stop)
    score[bonus_rows, bonus_cols] += w.requested
    _apply_rules(score, hours, left, right, start, stop, ctx, sparse, result, peers)
    scores: Floats = np.asarray(score, dtype=np.float64)
    return scores


def _level_fit(direction: Ints) -> Floats:
    """:func:`bot.matching.score.level_fit` for mentoring, element-wise."""
    fit = np.where(direction > 3, 0.3, 0.0)
    fit = np.where(direction == 3, 0.6, fit)
    fit = np.where((direction == 1) | (direction == 2), 1.0, fit)
    return np.where(direction == 0, 0.2, fit)


def _apply_rules(
    score: Floats,
    hours: Floats,
    left: _Features,
    right: _Features,
    start: int,
    stop: int,
    ctx: Context,
    sparse: _SparsePairs,
    result: Candidates,
    peers: bool,
) -> None:
    """Mask forbidden pairs, counting for each person the rule that ruled each out
    (in the order :func:`bot.matching.score.blocked_by` checks them)."""
    blocked = np.zeros(score.shape, dtype=np.bool_)
    if peers:
        local = np.arange(stop - start)
        blocked[local, local + start] = True
    for rule, pairs in (
        (Rule.AVOID, sparse.avoid),
        (Rule.REPORTING_LINE, sparse.lines),
        (Rule.REPEAT, sparse.repeat),
    ):
        r, c = sparse.within(pairs, start, stop)
        _count(blocked, r, c, rule, start, result)
    if ctx.mode is Mode.MENTOR:
        wrong = (right.level[None, :] < left.level[start:stop, None]) & ~left.reverse[
            start:stop, None
        ]
        _count_mask(blocked, wrong, Rule.DIRECTION, start, result)
    _count_mask(blocked, hours < ctx.settings.min_overlap_hours, Rule.HOURS, start, result)
    score[blocked] = _BLOCKED
    feasible = ~blocked
    result.row_feasible[start:stop] += feasible.sum(axis=1)
    result.col_feasible += feasible.sum(axis=0)


def _count(
    blocked: npt.NDArray[np.bool_], r: Ints, c: Ints, rule: Rule, start: int, result: Candidates
) -> None:
    mask = np.zeros(blocked.shape, dtype=np.bool_)
    mask[r, c] = True
    _count_mask(blocked, mask, rule, start, result)


def _count_mask(
    blocked: npt.NDArray[np.bool_],
    mask: npt.NDArray[np.bool_],
    rule: Rule,
    start: int,
    result: Candidates,
) -> None:
    new = mask & ~blocked
    result.row_blocked[rule][start : start + blocked.shape[0]] += new.sum(axis=1)
    result.col_blocked[rule] += new.sum(axis=0)
    blocked |= new


def _keep_best(scores: Floats, start: int, k: int | None, peers: bool, result: Candidates) -> None:
    count = scores.shape[1]
    take = count if k is None or k >= count else k
    if take < count:
        best = np.argpartition(-scores, take - 1, axis=1)[:, :take]
    else:
        best = np.broadcast_to(np.arange(count), scores.shape)
    for local, columns in enumerate(best):
        row = start + local
        for col in columns.tolist():
            value = float(scores[local, col])
            if value == _BLOCKED:
                continue
            key = (min(row, col), max(row, col)) if peers else (row, col)
            result.edges[key] = value
