"""Polls in a program's channel: coordinators ask, participants answer with a
button, and the tally (never who said what) appears from five answers on."""

from __future__ import annotations

from collections.abc import Callable

import pytest

from adapters.console.chat import PLATFORM, WORKSPACE, ConsoleChat, counter, user_id
from adapters.console.render import render
from bot import outbound as m
from bot.admin import bundled_programs, install_programs
from bot.clock import ManualClock
from bot.engine import Outcome
from bot.events import Actor, ChoicePicked, CommandIssued
from tandem.bootstrap import App
from tests.engine.scripts import enrol

Chat = Callable[..., ConsoleChat]
CHANNEL = "C0PROGRAM"
ASK = "poll engineering-growth How useful are your sessions? | Very | Somewhat | Not yet"
_ids = counter("poll-test")


def actor(name: str) -> Actor:
    return Actor(WORKSPACE, user_id(name), name, None, PLATFORM)


def command(app: App, name: str, text: str) -> Outcome:
    return app.engine.handle(CommandIssued(event_id=_ids(), actor=actor(name), text=text))


def press(app: App, name: str, poll: m.Outbound, label: str) -> Outcome:
    [buttons] = [b for b in poll.message.blocks if isinstance(b, m.Buttons)]
    [value] = [o.value for o in buttons.options if o.label == label]
    event = ChoicePicked(event_id=_ids(), actor=actor(name), action=buttons.action, values=(value,))
    return app.engine.handle(event)


@pytest.fixture
def with_channel(app: App, clock: ManualClock) -> App:
    growth = bundled_programs()[0].model_copy(update={"channel": CHANNEL})
    install_programs(app.uow, clock, PLATFORM, WORKSPACE, [growth])
    return app


def posted_poll(outcome: Outcome) -> m.Outbound:
    [poll] = [o for o in outcome.messages if isinstance(o.to, m.ToChannel)]
    assert poll.to == m.ToChannel(CHANNEL) and poll.message.kind == "poll"
    return poll


def test_answers_are_counted_and_shown_only_in_aggregate(with_channel: App, chat: Chat) -> None:
    people = ["Ana", "Bo", "Cy", "Di", "Ed", "Flo"]
    for name in people:
        enrol(chat(name))
    asked = command(with_channel, "Coordinator", ASK)
    poll = posted_poll(asked)
    assert "0 answered so far" in render(poll.message)

    tallies = [press(with_channel, name, poll, "Very").replace for name in people[:4]]
    assert all(t is not None and "answered so far" in render(t) for t in tallies)
    assert "4 answered so far" in render(tallies[-1])  # type: ignore[arg-type]
    assert "%" not in render(tallies[-1])  # type: ignore[arg-type]

    fifth = press(with_channel, "Ed", poll, "Not yet").replace
    assert fifth is not None
    shown = render(fifth)
    assert "Very: 80% (4)" in shown and "Not yet: 20% (1)" in shown and "Somewhat: 0% (0)" in shown
    # A second press changes that person's answer; it is never counted twice.
    changed_press = press(with_channel, "Ed", poll, "Very")
    changed = changed_press.replace
    assert changed is not None and "Very: 100% (5)" in render(changed)
    # Every answer, a changed one too, makes a newer version of the tally.
    assert changed_press.replace_version == 6
    assert "5 answered" in render(changed)
    for name in people:  # nobody's name or answer, only totals
        assert name not in render(changed)


def test_only_participants_answer(with_channel: App, chat: Chat) -> None:
    enrol(chat("Ana"))
    poll = posted_poll(command(with_channel, "Coordinator", ASK))
    outsider = press(with_channel, "Zed", poll, "Very")
    assert outsider.replace is None
    assert "This poll is for people taking part in Engineering Growth Partners." in render(
        outsider.messages[0].message
    )


def test_only_coordinators_ask_and_polls_need_a_channel(app: App, chat: Chat) -> None:
    refused = command(app, "Ana", ASK)
    assert "Only a program's coordinators can do that." in render(refused.messages[0].message)
    no_channel = command(app, "Coordinator", ASK)
    assert "has no channel yet" in render(no_channel.messages[0].message)
    assert not [o for o in no_channel.messages if isinstance(o.to, m.ToChannel)]


@pytest.mark.parametrize(
    ("text", "says"),
    [
        ("poll engineering-growth", "a question, then two to five answers"),
        ("poll engineering-growth Q? | one", "two to five different answers"),
        ("poll engineering-growth Q? | a | a", "two to five different answers"),
        ("poll engineering-growth Q? | a | b | c | d | e | f", "two to five different answers"),
    ],
)
def test_a_badly_formed_poll_gets_the_format(with_channel: App, text: str, says: str) -> None:
    outcome = command(with_channel, "Coordinator", text)
    assert says in " ".join(render(outcome.messages[0].message).split())
    assert not [o for o in outcome.messages if isinstance(o.to, m.ToChannel)]


def test_a_question_alone_gets_the_default_answers(with_channel: App) -> None:
    poll = posted_poll(
        command(with_channel, "Coordinator", "poll engineering-growth How's it going?")
    )
    assert "Going well" in render(poll.message) and "Struggling" in render(poll.message)


def test_a_stale_poll_button(with_channel: App, chat: Chat) -> None:
    enrol(chat("Ana"))
    stale = ChoicePicked(event_id=_ids(), actor=actor("Ana"), action="poll:999", values=("0",))
    outcome = with_channel.engine.handle(stale)
    assert "That poll isn't running any more." in render(outcome.messages[0].message)


MENTOR = ("I agree", "mentor", "Help a new lead find their feet.", "1, 3", "none", "4")
MENTEE = ("I agree", "mentee", "Get ready to lead a team.", "none", "1, 4", "2")
REST = ("Berlin", "ok", "skip", "none")


def test_in_a_mentoring_program_the_mentors_answer(
    app: App, clock: ManualClock, chat: Chat
) -> None:
    leadership = bundled_programs()[1].model_copy(update={"channel": CHANNEL})
    install_programs(app.uow, clock, PLATFORM, WORKSPACE, [leadership])
    for name, answers in (("Mo", MENTOR), ("Tee", MENTEE)):
        person = chat(name)
        replies = [person.send("join leadership-mentoring")]
        for answer in (*answers, *REST):
            replies.append(person.send(answer))
        assert "You're in" in "\n".join(replies[-1]), replies[-1]
    asked = command(app, "Coordinator", "poll leadership-mentoring Is mentoring going well?")
    poll = posted_poll(asked)
    assert "For the mentors of Leadership Mentoring." in render(poll.message)
    assert press(app, "Mo", poll, "Going well").replace is not None
    mentee = press(app, "Tee", poll, "Going well")
    assert mentee.replace is None
    assert "This poll is for the mentors of Leadership Mentoring." in render(
        mentee.messages[0].message
    )
