"""Group mentoring's candidates: for each mentor and topic they teach, the mentees
who want it, best suited first, scored in matrix form.

Scoring every mentor against every mentee pair by pair grows with their product
(10,000 people: some 20 million pairs, a quarter of an hour). Only mentees who
want a topic a mentor teaches can join that mentor's group, so each topic's
mentors are scored against that topic's mentees only, a block at a time, with the
numpy scorer (:mod:`bot.matching.candidates`). Each (mentor, topic) keeps its
:data:`KEEP` best; when a group needs more because those were taken or break a
rule, :meth:`Keen.all_of` scores the mentees still free for that one mentor and
topic.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from bot.matching.candidates import Scorer
from bot.matching.features import Bools, Floats, Ints
from bot.matching.participant import Profile
from bot.matching.score import Context

KEEP = 64  # enough for a group of five after earlier groups took most of them
_MENTORS_AT_ONCE = 256
# Scores compared after rounding: the matrix and the reference scorer add the same
# points in different orders, and a last-bit difference must not reorder a tie.
_DIGITS = 6


class Keen:
    """Each (mentor, topic)'s mentees, best suited first (ties by id)."""

    def __init__(
        self, mentors: Sequence[Profile], mentees: Sequence[Profile], ctx: Context
    ) -> None:
        self.scorer = Scorer(mentees, mentors, ctx)
        self._rank = np.empty(len(mentees), dtype=np.int64)  # by id, for ties
        self._rank[np.argsort([p.id for p in mentees], kind="stable")] = np.arange(len(mentees))
        self._wanting = {
            topic: np.array([n for n, p in enumerate(mentees) if topic in p.wants], np.int64)
            for topic in {t for p in mentors for t in p.offers}
        }
        self.best: dict[tuple[int, str], Ints] = {}
        self.cut: set[tuple[int, str]] = set()  # lists that KEEP shortened
        self.suitable = np.zeros(len(mentors), dtype=np.int64)
        for topic, wanting in sorted(self._wanting.items()):
            teaching = np.array([n for n, p in enumerate(mentors) if topic in p.offers])
            for start in range(0, len(teaching), _MENTORS_AT_ONCE):
                self._score(topic, wanting, teaching[start : start + _MENTORS_AT_ONCE])

    def _score(self, topic: str, wanting: Ints, mentors: Ints) -> None:
        scores = self.scorer.block(wanting, mentors) if len(wanting) else None
        for column, mentor in enumerate(mentors.tolist()):
            ordered = self._ordered(wanting, scores[:, column] if scores is not None else None)
            self.suitable[mentor] += len(ordered)
            self.best[(mentor, topic)] = ordered[:KEEP]
            if len(ordered) > KEEP:
                self.cut.add((mentor, topic))

    def _ordered(self, wanting: Ints, scores: Floats | None) -> Ints:
        if scores is None:
            return np.zeros(0, dtype=np.int64)
        fits = scores != -np.inf
        people, rounded = wanting[fits], np.round(scores[fits], _DIGITS)
        ordered: Ints = people[np.lexsort((self._rank[people], -rounded))]
        return ordered

    def all_of(self, mentor: int, topic: str, free: Bools | None = None) -> Ints:
        """Every mentee who wants ``topic`` and suits ``mentor`` (and is ``free``,
        when given), best first."""
        wanting = self._wanting.get(topic, np.zeros(0, dtype=np.int64))
        if free is not None:
            wanting = wanting[free[wanting]]
        if not len(wanting):
            return wanting
        scores = self.scorer.block(wanting, np.array([mentor], dtype=np.int64))[:, 0]
        return self._ordered(wanting, scores)
