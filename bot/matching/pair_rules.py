"""The rules that name pairs (avoid, reporting lines, repeats, requests) as index arrays."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence

import numpy as np

from bot.matching.features import (
    Ints,
)
from bot.matching.participant import Profile
from bot.matching.score import (
    Context,
)


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


class SparsePairs:
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
        """The pairs inside a block, as positions in ``rows`` and ``cols`` (distinct
        people each). Looks up only the block's rows, so a block costs what it holds,
        not what the pool holds: a large round scores thousands of blocks."""
        pair_rows, pair_cols = pairs  # sorted by row (see _pairs)
        if not len(pair_rows):
            return pair_rows, pair_cols
        starts = np.searchsorted(pair_rows, rows, side="left")
        lengths = np.searchsorted(pair_rows, rows, side="right") - starts
        total = int(lengths.sum())
        at = np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(total)
        row_pos = np.repeat(np.arange(len(rows), dtype=np.int64), lengths)
        wanted = pair_cols[at]
        by_col = np.argsort(cols, kind="stable")
        ordered = cols[by_col]
        place = np.minimum(np.searchsorted(ordered, wanted), max(len(cols) - 1, 0))
        inside = ordered[place] == wanted if len(cols) else np.zeros(total, dtype=np.bool_)
        return row_pos[inside], by_col[place[inside]]


def _empty() -> tuple[Ints, Ints]:
    return np.zeros(0, np.int64), np.zeros(0, np.int64)
