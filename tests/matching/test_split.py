"""Large-pool matching: candidates from a skill index, the best assignment, then
whoever is left and a repair, for pairs and for mentoring.

Small pools with a small limit exercise every path: the full-row fallback,
requested partners, history, leftovers and the repair.
"""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from bot.matching import candidate_graph, pair_rules, proposal, split
from bot.matching import candidates as cand
from bot.matching.participant import Profile
from bot.matching.proposal import peer_round
from bot.matching.score import Blocked, Mode, score_pair
from bot.matching.tuning import MatchingSettings
from tests.matching.pools import context, crowd, pools


def test_one_pass_history_names_each_persons_partners() -> None:
    met = pair_rules.partners_in_history([frozenset({"a", "b"}), frozenset({"a", "c"})])
    assert met == {"a": {"b", "c"}, "b": {"a"}, "c": {"a"}}


def test_requested_partners_are_always_candidates() -> None:
    people = crowd(60)
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
    people = crowd(40)
    everyone = cand.build(people, None, context(people), None)
    met = frozenset(frozenset((people[a].id, people[b].id)) for a, b in list(everyone.edges)[:30])
    ctx = context(people, history=met)
    pairs, graph = split.peer_pairs(people, ctx, 1, k=5, limit=10)
    named = {frozenset((people[a].id, people[b].id)) for a, b in graph.edges}
    assert not named & met
    assert not {frozenset((people[a].id, people[b].id)) for a, b in pairs} & met


def test_someone_nobody_teaches_is_scored_against_everyone() -> None:
    people = crowd(30)
    # Person 5 wants a skill nobody offers: the skill index finds them no partner.
    people[5] = replace(people[5], wants=frozenset({"knitting"}))
    ctx = context(people)
    pairs, graph = split.peer_pairs(people, ctx, 1, k=3, limit=6)
    feasible = [p for p in people if not isinstance(score_pair(people[5], p, ctx), Blocked)]
    assert graph.row_feasible[5] == len(feasible) > 0
    assert any(5 in edge for edge in graph.edges)
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
    people = crowd(80, seed=3)
    ctx = context(people)
    whole = peer_round(people, ctx, 2, trios=False)
    parts = peer_round(people, ctx, 2, trios=False, split_limit=20)
    assert parts.matched_people() == whole.matched_people()


def test_the_same_seed_gives_the_same_split_round() -> None:
    people = crowd(90, seed=5)
    ctx = context(people)
    first = peer_round(people, ctx, 4, split_limit=25)
    assert first == peer_round(people, ctx, 4, split_limit=25)
    assert first.matched_people()


def test_large_pools_are_split_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    people = crowd(80, seed=3)
    ctx = context(people)
    whole = peer_round(people, ctx, 2, trios=False, split_limit=None)
    monkeypatch.setattr(proposal, "SPLIT_ABOVE", 50)
    default = peer_round(people, ctx, 2, trios=False)
    assert default == peer_round(people, ctx, 2, trios=False, split_limit=split.GROUP_LIMIT)
    assert default.matched_people() == whole.matched_people()
    assert default.total() >= 0.97 * whole.total()


def _mentor_pairs(round_: proposal.Proposal) -> list[tuple[str, str]]:
    return [(m.members[0], m.members[1]) for m in round_.matches]


@settings(max_examples=80, deadline=None)
@given(
    pools(min_size=2, max_size=14),
    st.integers(0, 3),
    st.integers(2, 6),
    st.sampled_from([Mode.MENTOR, Mode.REVERSE]),
)
def test_split_mentoring_keeps_capacity_and_every_rule(
    people: list[Profile], seed: int, limit: int, mode: Mode
) -> None:
    ctx = context(people, mode=mode, settings=MatchingSettings(mentor_capacity=2))
    parts = proposal.mentoring_round(people, ctx, seed, split_limit=limit)
    by_id = {p.id: p for p in people}
    seats: dict[str, int] = {}
    for mentor, mentee in _mentor_pairs(parts):
        seats[mentor] = seats.get(mentor, 0) + 1
        assert not isinstance(score_pair(by_id[mentor], by_id[mentee], ctx), Blocked)
    assert all(used <= 2 for used in seats.values())
    mentees = [mentee for _, mentee in _mentor_pairs(parts)]
    assert len(mentees) == len(set(mentees))


def test_split_mentoring_matches_as_many_and_scores_close_to_the_whole_round() -> None:
    people = crowd(120, seed=4)
    ctx = context(people, mode=Mode.MENTOR, settings=MatchingSettings(mentor_capacity=2))
    whole = proposal.mentoring_round(people, ctx, 3, split_limit=None)
    parts = proposal.mentoring_round(people, ctx, 3, split_limit=20)
    assert len(parts.matches) >= len(whole.matches)
    assert parts.total() >= 0.97 * whole.total()
    assert parts == proposal.mentoring_round(people, ctx, 3, split_limit=20)  # same seed


def test_split_mentoring_keeps_requested_mentors_as_candidates() -> None:
    people = crowd(50, seed=6)
    ctx = context(people, mode=Mode.MENTOR)
    mentors, mentees = proposal.split_sides(people, Mode.MENTOR)
    mentee = mentees[0]
    mentor = next(m for m in mentors if not isinstance(score_pair(m, mentee, ctx), Blocked))
    people = [replace(p, requested=frozenset({mentor.id})) if p is mentee else p for p in people]
    ctx = context(people, mode=Mode.MENTOR)
    mentors, mentees = proposal.split_sides(people, Mode.MENTOR)
    _, graph = split.mentor_pairs(mentees, mentors, ctx, 1, 1, 2)
    assert (0, mentors.index(mentor)) in graph.edges


def test_split_mentoring_is_the_default_above_the_threshold(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    people = crowd(80, seed=8)
    ctx = context(people, mode=Mode.MENTOR)
    monkeypatch.setattr(proposal, "SPLIT_ABOVE", 50)
    default = proposal.mentoring_round(people, ctx, 2)
    assert default == proposal.mentoring_round(people, ctx, 2, split_limit=split.GROUP_LIMIT)


def test_edges_join_keeps_each_pair_once() -> None:
    ints = np.array
    first = candidate_graph.Edges(ints([3, 1]), ints([1, 2]), np.array([5.0, 6.0]))
    again = candidate_graph.Edges(ints([1]), ints([3]), np.array([5.0]))
    joined = candidate_graph.Edges.join(first, again)
    assert joined.as_dict() == {(1, 2): 6.0, (1, 3): 5.0}
    kept = candidate_graph.Edges.join(first, again, ordered=False).as_dict()
    assert kept == {(1, 2): 6.0, (1, 3): 5.0, (3, 1): 5.0}
