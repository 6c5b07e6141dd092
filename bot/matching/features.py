"""People as arrays for scoring in blocks: skills and goals as bit sets, level and hours tables."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

import numpy as np
import numpy.typing as npt

from bot.matching.hours import SLOT_MINUTES, WORKDAYS, availability
from bot.matching.participant import Profile
from bot.matching.score import (
    Context,
    Mode,
    level_fit,
)

Floats = npt.NDArray[np.float64]
Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]


class Features:
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


def overlap_table(classes: dict[tuple[str, str], int], ctx: Context) -> Floats:
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


def vocabulary(items: Iterable[str]) -> dict[str, int]:
    return {item: n for n, item in enumerate(sorted(set(items)))}


def level_table(mode: Mode, weight: float, left: Ints, right: Ints) -> Callable[[Ints], Floats]:
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
