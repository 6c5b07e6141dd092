"""The report's facts as each store reads them (in memory, SQLite, PostgreSQL): ratings and
statuses, never what anyone wrote, and a wrap-up comment only once its writer shared it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import timedelta

from adapters.console.chat import WORKSPACE, ConsoleChat
from adapters.console.platform import PLATFORM
from bot.clock import ManualClock
from bot.report.facts import ProgramFacts
from tandem.bootstrap import App
from tests.conftest import on_every_store
from tests.dialog import say
from tests.engine.cadence import MATCHED, running

FEEDBACK_WORDS = ("We paired on a real query.", "Window functions.", "Bo talks too much.")
ANA_SAYS = "I run data reviews on my own now."
BO_SAYS = "Not much, honestly."


def _facts(app: App, clock: ManualClock) -> ProgramFacts:
    with app.uow() as uow:
        workspace = uow.workspaces.ensure(PLATFORM, WORKSPACE, clock.now())
        program = uow.programs.get(workspace.id, "engineering-growth")
        assert program is not None
        return uow.reports.facts(program.id)


@on_every_store
def test_facts_hold_ratings_never_feedback_text_and_only_shared_comments(
    app: App, clock: ManualClock, chat: Callable[..., ConsoleChat]
) -> None:
    pair = running(chat, app, clock)
    pair.day(14, hour=10)
    pair.screen(pair.ana), pair.screen(pair.bo)
    for line in ("1", "4", *FEEDBACK_WORDS):
        say(pair.ana, line)
    pair.at(MATCHED + timedelta(days=182, hours=1))
    pair.screen(pair.ana), pair.screen(pair.bo)
    for person, score, comment in ((pair.ana, "9", ANA_SAYS), (pair.bo, "3", BO_SAYS)):
        for line in ("Start", score, comment, "Not this time"):
            say(person, line)

    facts = _facts(app, clock)
    assert [(f.rating, f.completed_at is not None) for f in facts.feedback if f.rating] == [
        (4, True)
    ]
    # Options are numbered from [1] 0: the ninth is a score of 8.
    assert sorted(w.recommend for w in facts.wrapups if w.recommend is not None) == [2, 8]
    assert [w.shared for w in facts.wrapups] == [None, None]  # nobody shared: nothing read
    everything = repr(facts)
    for private in (*FEEDBACK_WORDS, ANA_SAYS, BO_SAYS):
        assert private not in everything, private

    ana = next(p.person_id for p in facts.people if p.name == "Ana")
    (match_id,) = {w.match_id for w in facts.wrapups if w.person_id == ana}
    with app.uow() as uow:
        wrapup = uow.wrapups.get(match_id, ana)
        assert wrapup is not None
        uow.wrapups.save(replace(wrapup, shared=True))
        uow.commit()
    facts = _facts(app, clock)
    shared = {w.person_id: w.shared for w in facts.wrapups}
    assert shared[ana] == ANA_SAYS
    assert [text for who, text in shared.items() if who != ana] == [None]
    assert BO_SAYS not in repr(facts)
    assert all(word not in repr(facts) for word in FEEDBACK_WORDS)
