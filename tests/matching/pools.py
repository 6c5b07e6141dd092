"""Hypothesis strategies: small pools of people with every kind of constraint."""

from __future__ import annotations

from datetime import date

import numpy as np
from hypothesis import strategies as st

from bot.matching.participant import Profile
from bot.matching.score import Context, Mode, ReportingLines
from bot.matching.tuning import MatchingSettings

ON = date(2027, 1, 6)
SKILLS = ("sql", "python", "speaking", "design", "ml")
ZONES = ("Europe/Berlin", "Europe/London", "America/New_York", "Asia/Kolkata", "Australia/Sydney")
HOURS = ("09:00-17:00", "07:00-15:00", "12:00-20:00")


@st.composite
def pools(draw: st.DrawFn, min_size: int = 2, max_size: int = 8) -> list[Profile]:
    size = draw(st.integers(min_size, max_size))
    ids = [f"p{i}" for i in range(size)]
    skill = st.frozensets(st.sampled_from(SKILLS), max_size=3)
    others = st.frozensets(st.sampled_from(ids), max_size=1)
    return [
        Profile(
            id=person,
            name=person.upper(),
            timezone=draw(st.sampled_from(ZONES)),
            hours=draw(st.sampled_from(HOURS)),
            level=draw(st.integers(1, 5)),
            offers=draw(skill),
            wants=draw(skill),
            goals=draw(st.frozensets(st.sampled_from(("a", "b", "c")), max_size=2)),
            style=draw(st.sampled_from(("", "x", "y"))),
            role=draw(st.sampled_from(("peer", "mentor", "mentee", "either"))),
            reverse=draw(st.booleans()),
            avoid=draw(others) if draw(st.booleans()) else frozenset(),
            manager=draw(st.sampled_from([None, *ids])),
            department=draw(st.sampled_from(("", "d1", "d2"))),
            requested=draw(others) if draw(st.integers(0, 4)) == 0 else frozenset(),
            waited=draw(st.integers(0, 5)) == 0,
        )
        for person in ids
    ]


def context(
    people: list[Profile],
    mode: Mode = Mode.PEER,
    history: frozenset[frozenset[str]] = frozenset(),
    settings: MatchingSettings | None = None,
) -> Context:
    lines = ReportingLines({p.id: p.manager for p in people})
    return Context(settings or MatchingSettings(), ON, mode, history, lines)


ZONES = ("Europe/Berlin", "Europe/London", "America/New_York", "Asia/Kolkata")
SKILLS = ("sql", "python", "speaking", "design", "ml", "go")


def crowd(size: int, seed: int = 0) -> list[Profile]:
    """``size`` people in four zones, each teaching one skill and wanting another."""
    rng = np.random.default_rng(seed)
    people = []
    for i in range(size):
        offers, wants = rng.choice(len(SKILLS), 2, replace=False)
        people.append(
            Profile(
                f"p{i:03d}",
                f"P{i}",
                ZONES[int(rng.integers(len(ZONES)))],
                level=int(rng.integers(1, 6)),
                offers=frozenset({SKILLS[offers]}),
                wants=frozenset({SKILLS[wants]}),
            )
        )
    return people
