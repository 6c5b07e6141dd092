"""Reasons in plain words, for a member (second person) or for a coordinator."""

from __future__ import annotations

from datetime import date

from bot.matching.explain import Words, explain, sentence
from bot.matching.participant import Profile
from bot.matching.score import Context, Mode, PairScore, Reason, score_pair
from bot.matching.tuning import MatchingSettings

ANA = Profile(
    "ana",
    "Ana",
    "Europe/Berlin",
    offers=frozenset({"sql"}),
    wants=frozenset({"public speaking"}),
    level=4,
    goals=frozenset({"grow technical depth"}),
    style="structured",
)
BO = Profile(
    "bo",
    "Bo",
    "Europe/London",
    offers=frozenset({"public speaking"}),
    wants=frozenset({"sql"}),
    level=3,
    goals=frozenset({"grow technical depth"}),
    style="structured",
)
LABELS = {
    "sql": "SQL",
    "public speaking": "public speaking",
    "grow technical depth": "Grow technical depth",
}
NAMES = {"ana": "Ana", "bo": "Bo"}


def _reasons(mode: Mode = Mode.PEER) -> tuple[Reason, ...]:
    result = score_pair(ANA, BO, Context(MatchingSettings(), date(2027, 1, 6), mode))
    assert isinstance(result, PairScore)
    return result.reasons


def test_a_member_reads_what_they_will_learn_first() -> None:
    assert sentence(_reasons(), Words(NAMES, LABELS, "ana")) == (
        "Bo can help you with public speaking, and you can help Bo with SQL; you both want to "
        "grow technical depth; you share 7 working hours a day."
    )


def test_a_coordinator_reads_it_in_the_third_person() -> None:
    assert explain(_reasons(), Words(NAMES, LABELS), limit=5) == [
        "Ana can help Bo with SQL, and Bo can help Ana with public speaking",
        "they both want to grow technical depth",
        "they share 7 working hours a day",
        "they're at a similar stage of their careers",
        "they both like structured sessions",
    ]


def test_mentoring_explains_experience() -> None:
    phrases = explain(_reasons(Mode.MENTOR), Words(NAMES, LABELS, "bo"), limit=4)
    assert "Ana can share a few more years of experience with you" in phrases


def test_circle_reasons() -> None:
    reasons = (
        Reason("topic", 45, ("ana", "bo", "cy"), ("ml",)),
        Reason("facilitates", 0, ("ana",), ("ml",)),
        Reason("group_hours", 0, ("ana", "bo", "cy"), value=3.25),
    )
    assert sentence(reasons, Words({**NAMES, "cy": "Cy"}, {"ml": "Machine learning"}, "bo")) == (
        "You all want to learn Machine learning; Ana will facilitate and can teach it; the "
        "group shares 3 working hours a day."
    )


def test_no_reasons_no_sentence() -> None:
    assert sentence((), Words(NAMES, LABELS)) == ""
