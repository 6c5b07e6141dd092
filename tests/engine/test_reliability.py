"""Nothing lost, nothing doubled: retries, double clicks, crashes, failures."""

from __future__ import annotations

import logging
from collections.abc import Callable

import pytest

from adapters.console.chat import WORKSPACE, ConsoleChat, counter
from adapters.console.platform import PLATFORM
from bot.engine import Engine
from bot.events import Actor, ChoicePicked, CommandIssued, TextReplied
from bot.flows import COMMANDS, build_router
from bot.router import Router
from bot.turn import Command, Turn
from tandem.bootstrap import App
from tests.conftest import on_every_store
from tests.dialog import say
from tests.engine.scripts import enrol

# The end-to-end path holds on the real databases as on the fake (rollbacks, retries).
pytestmark = on_every_store

Chat = Callable[..., ConsoleChat]
ANA = Actor(WORKSPACE, "ana", "Ana", None, PLATFORM)


def _answers(app: App, user: str) -> dict[str, object]:
    with app.uow() as uow:
        ws = uow.workspaces.ensure(PLATFORM, WORKSPACE, app.clock.now())
        person = uow.people.find(ws.id, user)
        assert person is not None
        return dict(uow.answers.of(uow.enrolments.of_person(person.id)[0].id))


def test_a_retried_event_changes_nothing_twice(app: App) -> None:
    engine = app.engine
    engine.handle(CommandIssued(event_id="e1", actor=ANA, text="join engineering-growth"))
    engine.handle(
        ChoicePicked(event_id="e2", actor=ANA, action="agree:engineering-growth", values=("yes",))
    )
    first = engine.handle(TextReplied(event_id="e3", actor=ANA, text="1"))
    again = engine.handle(TextReplied(event_id="e3", actor=ANA, text="1"))
    assert not first.duplicate and again.duplicate
    # The retry answered nothing: we are still on question 2, not question 3.
    reply = engine.handle(TextReplied(event_id="e4", actor=ANA, text="SQL"))
    assert "Question 3 of 12" in reply.messages[0].message.summary
    assert _answers(app, "ana")["goals"] == ["Grow technical depth"]


def test_a_retried_event_leaves_the_first_replies_to_go_out_once(app: App) -> None:
    first = app.engine.handle(CommandIssued(event_id="e1", actor=ANA, text="help"))
    retry = app.engine.handle(CommandIssued(event_id="e1", actor=ANA, text="help"))
    assert retry.duplicate and retry.messages == ()
    # The first attempt's replies are in the outbox, once: the retry added nothing.
    assert app.courier().drain() == len(first.messages) == 1
    app.engine.handle(CommandIssued(event_id="e1", actor=ANA, text="help"))
    assert app.courier().drain() == 0


def test_a_double_click_on_a_survey_button_answers_once(app: App) -> None:
    engine = app.engine
    engine.handle(CommandIssued(event_id="e1", actor=ANA, text="join engineering-growth"))
    engine.handle(
        ChoicePicked(event_id="e2", actor=ANA, action="agree:engineering-growth", values=("yes",))
    )
    agree_again = engine.handle(
        ChoicePicked(event_id="e3", actor=ANA, action="agree:engineering-growth", values=("yes",))
    )
    assert agree_again.messages == ()
    click = ChoicePicked(
        event_id="e4",
        actor=ANA,
        action="intake:engineering-growth:goals",
        values=("Grow technical depth",),
    )
    engine.handle(click)
    second = engine.handle(
        ChoicePicked(
            event_id="e5",
            actor=ANA,
            action="intake:engineering-growth:goals",
            values=("Become a better communicator",),
        )
    )
    assert "You've answered that one already" in str(second.messages[0].message)
    assert "Question 2 of 12" in second.messages[0].message.summary
    assert _answers(app, "ana")["goals"] == ["Grow technical depth"]


def test_messages_survive_a_crash_between_saving_and_showing(app: App) -> None:
    # The engine committed the reply, then the process died before printing it.
    lost = app.engine.handle(
        CommandIssued(event_id="e1", actor=ANA, text="join engineering-growth")
    )
    assert lost.messages
    reopened = app.chat("Ana", event_ids=counter("later"))
    shown = reopened.open()
    assert len(shown) == 1 and "Do you agree to take part" in shown[0]
    assert reopened.open() == []  # delivered now, so not shown twice


def test_a_failure_inside_the_engine_apologises_and_changes_nothing(
    app: App, caplog: pytest.LogCaptureFixture
) -> None:
    def explode(turn: Turn, args: str) -> None:
        turn.uow.enrolments.add(turn.workspace.id, 1, turn.person.id, turn.now)
        raise RuntimeError(f"could not handle {args!r}")  # quotes what the person typed

    commands = (*COMMANDS, Command("explode", "explode", "fails", explode))
    router = build_router()
    failing = Engine(
        app.engine._uow,
        app.clock,
        Router(commands, router._flows, router._forms, router._unknown),
    )
    chat = ConsoleChat(failing, app.uow, app.courier(), "Ana", event_ids=counter("x"))
    with caplog.at_level(logging.ERROR):
        reply = say(chat, "explode my password is hunter2")
    assert reply.startswith("Sorry, something went wrong on my side")
    assert "Traceback" not in reply and "hunter2" not in reply
    assert "hunter2" not in caplog.text and "RuntimeError" in caplog.text
    assert "You haven't joined" in say(chat, "profile")  # the enrolment was rolled back


def test_a_message_for_someone_else_waits_for_them(chat: Chat, app: App) -> None:
    enrol(chat("Ana Lima"))
    bo = chat("Bo")
    assert bo.open() == []
