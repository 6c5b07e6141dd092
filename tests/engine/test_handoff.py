"""The inbound queue: stored before the ack, handed to the engine after, nothing lost."""

from __future__ import annotations

from datetime import datetime, timedelta

from adapters.console.chat import WORKSPACE
from bot.clock import ManualClock
from bot.engine import Engine, Outcome
from bot.events import CHAT, Actor, CommandIssued, Inbound, Surface, TextReplied
from bot.flows import build_router
from bot.handoff import LEASE, Handoff, Received
from bot.ports import Unavailable, UnitOfWork
from tandem.bootstrap import App
from tests.engine.stored import rows

PLATFORM = "queued"  # a platform of the test's own, with the receiver below
ANA = Actor(WORKSPACE, "ana", "Ana", None, PLATFORM)


class Receiver:
    """Records what it was asked to do; fails to prepare when told to."""

    def __init__(self, *, fail_prepare: bool = False) -> None:
        self.fail_prepare = fail_prepare
        self.finished: list[tuple[str, bool]] = []  # (event id, was a duplicate)

    def prepare(self, received: Received, now: datetime) -> Inbound:
        if self.fail_prepare:
            raise RuntimeError("the platform's profile lookup broke")
        return received.event

    def finish(self, received: Received, event: Inbound, outcome: Outcome) -> None:
        self.finished.append((event.event_id, outcome.duplicate))


class Away:
    """A unit of work factory whose store is away for the first ``times`` calls."""

    def __init__(self, app: App, times: int) -> None:
        self._app = app
        self._left = times

    def __call__(self) -> UnitOfWork:
        if self._left > 0:
            self._left -= 1
            raise Unavailable("the database did not answer")
        return self._app.uow()


def _intake(app: App, receiver: Receiver, engine: Engine | None = None) -> Handoff:
    return Handoff(app.uow, engine or app.engine, app.clock, "w", {PLATFORM: receiver})


def _said(n: int, text: str = "help", surface: Surface = CHAT) -> Received:
    return Received(CommandIssued(event_id=f"e{n}", actor=ANA, surface=surface, text=text))


def _outbox_keys(app: App) -> list[str]:
    return [row.key for row in rows(app, "outbox")]


def test_events_are_stored_once_then_handled_in_order(app: App) -> None:
    receiver = Receiver()
    intake = _intake(app, receiver)
    assert intake.accept([_said(1), _said(2, "programs"), _said(1)]) == [True, True, False]
    assert intake.accept([_said(2, "programs")]) == [False]  # Slack's retry of e2
    assert intake.run_once() == 2
    assert receiver.finished == [("e1", False), ("e2", False)]
    assert _outbox_keys(app) == ["e1#0", "e2#0"]
    assert intake.run_once() == 0


def test_an_event_waits_in_the_queue_while_the_store_is_away(app: App, clock: ManualClock) -> None:
    receiver = Receiver()
    intake = _intake(app, receiver)
    intake.accept([_said(1), _said(2, "programs")])
    away = Engine(Away(app, times=1), clock, build_router())
    assert _intake(app, receiver, away).run_once() == 0  # nothing handled, nothing lost
    assert receiver.finished == [] and _outbox_keys(app) == []
    assert intake.run_once() == 0  # held by the first worker until its lease runs out
    clock.advance(LEASE + timedelta(seconds=1))
    assert intake.run_once() == 2
    assert _outbox_keys(app) == ["e1#0", "e2#0"]  # and still in order


def test_a_receiver_that_cannot_prepare_an_event_does_not_lose_it(app: App) -> None:
    receiver = Receiver(fail_prepare=True)
    intake = _intake(app, receiver)
    intake.accept([_said(1, "join engineering-growth", Surface(forms=True))])
    assert intake.run_once() == 1
    # Handled all the same, in plain chat: the agreement is a message, no form.
    assert receiver.finished == [("e1", False)] and _outbox_keys(app) == ["e1#0"]


def test_a_person_s_later_events_wait_behind_one_that_must_be_tried_again(
    app: App, clock: ManualClock
) -> None:
    receiver = Receiver()
    bo = Actor(WORKSPACE, "bo", "Bo", None, PLATFORM)
    _intake(app, receiver).accept(
        [
            _said(1),
            _said(2, "programs"),
            Received(TextReplied(event_id="b1", actor=bo, text="help")),
        ]
    )
    away = Engine(Away(app, times=1), clock, build_router())
    assert _intake(app, receiver, away).run_once() == 1  # Bo's; Ana's two wait together
    assert [e for e, _ in receiver.finished] == ["b1"]
