"""Large-pool matching: candidates from working-time groups, solved group by group.

Small pools with a small group limit exercise every path: groups, the full-row
fallback, requested partners, history, and the pass across groups.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.matching import candidates as cand
from bot.matching import split
from bot.matching.profile import Profile
from bot.matching.rounds import peer_round
from bot.matching.score import Blocked, score_pair
from tests.matching.pools import context, pools

ZONES = ("Europe/Berlin", "Europe/London", "America/New_York", "Asia/Kolkata")
SKILLS = ("sql", "python", "speaking", "design", "ml", "go")


def _crowd(size: int, seed: int = 0) -> list[Profile]:
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


def test_one_pass_history_names_each_persons_partners() -> None:
    met = cand.partners_in_history([frozenset({"a", "b"}), frozenset({"a", "c"})])
    assert met == {"a": {"b", "c"}, "b": {"a"}, "c": {"a"}}


def test_requested_partners_are_always_candidates() -> None:
    people = _crowd(60)
    # p000 asks for the person least like them, whom a best-1 graph would never keep.
    ctx = context(people)
    far = min(
        (p for p in people[1:] if not isinstance(score_pair(people[0], p, ctx), Blocked)),
        key=lambda p: score_pair(people[0], p, ctx).total,  # type: ignore[union-attr]
    )
    people[0] = replace(people[0], requested=frozenset({far.id}))
    ctx = context(people)
    _, graph = split.peer_pairs(people, ctx, 1, k=1, limit=10)
    other = people.index(far)
    assert (min(0, other), max(0, other)) in graph.edges


def test_history_excludes_earlier_partners_from_the_candidates() -> None:
    people = _crowd(40)
    everyone = cand.build(people, None, context(people), None)
    met = frozenset(frozenset((people[a].id, people[b].id)) for a, b in list(everyone.edges)[:30])
    ctx = context(people, history=met)
    pairs, graph = split.peer_pairs(people, ctx, 1, k=5, limit=10)
    named = {frozenset((people[a].id, people[b].id)) for a, b in graph.edges}
    assert not named & met
    assert not {frozenset((people[a].id, people[b].id)) for a, b in pairs} & met


def test_someone_whose_group_offers_too_few_partners_is_scored_against_everyone() -> None:
    people = _crowd(30)
    ctx = context(people)
    home = next(p for p in split.groups(split.working_time(people, ctx), [], 1, 6) if 5 in p)
    # Person 5 will not meet anyone in their own group: only others can be candidates.
    people[5] = replace(people[5], avoid=frozenset(people[i].id for i in home if i != 5))
    ctx = context(people)
    pairs, graph = split.peer_pairs(people, ctx, 1, k=3, limit=6)
    theirs = [b if a == 5 else a for a, b in graph.edges if 5 in (a, b)]
    assert theirs and not set(theirs) & set(home.tolist())
    feasible = [p for p in people if not isinstance(score_pair(people[5], p, ctx), Blocked)]
    assert graph.row_feasible[5] == len(feasible) > 0
    assert any(5 in pair for pair in pairs)


@settings(max_examples=200, deadline=None)
@given(pools(min_size=2, max_size=12), st.integers(0, 3), st.integers(2, 5))
def test_split_rounds_match_the_same_people_and_keep_every_rule(
    people: list[Profile], seed: int, limit: int
) -> None:
    ctx = context(people)
    whole = peer_round(people, ctx, seed, trios=False)
    parts = peer_round(people, ctx, seed, trios=False, split_limit=limit)
    assert len(parts.matched_people()) == len(whole.matched_people())  # nobody stranded
    for match in parts.matches:
        a, b = (next(p for p in people if p.id == m) for m in match.members)
        assert not isinstance(score_pair(a, b, ctx), Blocked)


def test_people_who_can_meet_only_a_few_are_matched_before_those_groups_pair_off() -> None:
    # New York (p4, p6; p6 reports to p4) can only meet Berlin (p0, p1, p9); the
    # requests tie Berlin people to Kolkata groups. Splitting must strand nobody.
    where = "BBKKNKNKKB"
    zones = {"B": "Europe/Berlin", "K": "Asia/Kolkata", "N": "America/New_York"}
    people = [
        Profile(
            f"p{i}",
            f"P{i}",
            zones[z],
            hours="07:00-15:00" if i in (2, 8) else "09:00-17:00",
            level=1,
            manager="p4" if i == 6 else None,
            requested=frozenset({"p0"} if i == 2 else {"p5"} if i == 3 else set()),
            waited=True,
        )
        for i, z in enumerate(where)
    ]
    ctx = context(people)
    whole = peer_round(people, ctx, 0, trios=False)
    parts = peer_round(people, ctx, 0, trios=False, split_limit=3)
    assert len(whole.matched_people()) == len(parts.matched_people()) == 10


def test_split_rounds_on_a_crowd_match_everyone_an_unsplit_round_does() -> None:
    people = _crowd(80, seed=3)
    ctx = context(people)
    whole = peer_round(people, ctx, 2, trios=False)
    parts = peer_round(people, ctx, 2, trios=False, split_limit=20)
    assert parts.matched_people() == whole.matched_people()


def test_the_same_seed_gives_the_same_split_round() -> None:
    people = _crowd(90, seed=5)
    ctx = context(people)
    first = peer_round(people, ctx, 4, split_limit=25)
    assert first == peer_round(people, ctx, 4, split_limit=25)
    assert first.matched_people()


def test_groups_keep_requested_partners_together_and_respect_the_limit() -> None:
    when = np.array([float(i % 7) for i in range(50)])
    together = [(0, 49), (3, 30)]
    parts = split.groups(when, together, 1, 10)
    assert sorted(np.concatenate(parts).tolist()) == list(range(50))
    for a, b in together:
        assert any(a in p.tolist() and b in p.tolist() for p in parts)
    assert max(len(p) for p in parts) <= 12
