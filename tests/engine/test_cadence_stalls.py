"""Stalls and silences on an injected clock: a pair that hasn't met for two cycles
is in the coordinator's digest until it meets; three silent cycles pause someone
kindly, free their partner, and a return starts afresh."""

from __future__ import annotations

from tests.dialog import Contains, Lacks, say, verify_dialog
from tests.engine.cadence import Program


def test_a_match_that_hasnt_met_for_two_cycles_is_in_the_coordinators_digest(
    pair: Program,
) -> None:
    for day in (14, 28):
        pair.day(day, hour=10)
        pair.screen(pair.ana)
        say(pair.ana, "Not yet")
    pair.screen(pair.cora)
    pair.day(41, hour=10)
    assert pair.screen(pair.cora) == ""
    pair.day(42, hour=10)  # Monday, and the second cycle without a meeting has closed
    note = pair.screen(pair.cora)
    assert "Haven't met for two cycles (a friendly word might help): Ana and Bo" in note
    verify_dialog(pair.cora, [("stalls engineering-growth", Contains("Ana and Bo"))])
    for day in (43, 44, 45):
        pair.day(day, hour=10)
        assert pair.screen(pair.cora) == ""  # one message a week
    pair.day(49, hour=10)
    assert "Ana and Bo" in pair.screen(pair.cora)  # still stalled, still listed


def test_a_stall_ends_when_the_pair_meets(pair: Program) -> None:
    for day in (14, 28):
        pair.day(day, hour=10)
        pair.screen(pair.ana)
        say(pair.ana, "Not yet")
    pair.day(42, hour=10)
    assert "Ana and Bo" in pair.screen(pair.cora)
    pair.screen(pair.ana)
    say(pair.ana, "Yes")  # the third cycle's check-in
    pair.day(56, hour=10)
    assert "Haven't met for two cycles" not in pair.screen(pair.cora)


def _ana_goes_silent_for_three_cycles(pair: Program) -> None:
    for day in (14, 28, 42):  # Bo answers, Ana never does
        pair.day(day, hour=10)
        pair.screen(pair.ana)
        pair.screen(pair.bo)
        say(pair.bo, "Not yet")
    pair.day(55, hour=10)
    assert "paused your place" not in pair.screen(pair.ana)
    pair.day(56, hour=10)


def test_three_silent_cycles_pause_someone_kindly_and_free_their_partner(pair: Program) -> None:
    _ana_goes_silent_for_three_cycles(pair)
    told = pair.screen(pair.ana)
    assert "I haven't heard from you for a while, so I've paused your place" in told
    assert "say “resume” whenever" in told
    assert "Ana is taking a break from Engineering Growth Partners" in pair.screen(pair.bo)
    verify_dialog(pair.ana, [("profile", Contains("On a break."))])


def test_someone_back_from_a_silence_pause_starts_afresh(pair: Program) -> None:
    _ana_goes_silent_for_three_cycles(pair)
    assert "paused your place" in pair.screen(pair.ana)
    verify_dialog(pair.ana, [("resume", Contains("Welcome back!"))])
    for day in (57, 58, 63):
        pair.day(day, hour=10)
        assert "paused your place" not in pair.screen(pair.ana)
    verify_dialog(pair.ana, [("profile", Lacks("On a break."))])
