"""Recognition in the console: kudos (private, shared only with both yeses, a few a
week) and a coordinator's spotlight of a pair's story (posted when both agree)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

import pytest

from adapters.console.chat import PLATFORM, WORKSPACE, ConsoleChat
from adapters.console.render import render
from bot.admin import bundled_programs, install_programs
from bot.clock import ManualClock
from bot.codec import message_from_data
from bot.events import ChoicePicked
from tandem.bootstrap import App
from tests.dialog import Contains, say, verify_dialog
from tests.engine.cadence import running
from tests.engine.scripts import answers_for, enrol
from tests.engine.stored import count, rows

Chat = Callable[..., ConsoleChat]
CHANNEL = "C0PROGRAM"


@pytest.fixture
def with_channel(app: App, clock: ManualClock) -> App:
    growth = bundled_programs()[0].model_copy(update={"channel": CHANNEL})
    install_programs(app.uow, clock, PLATFORM, WORKSPACE, [growth])
    return app


def channel_posts(app: App) -> list[str]:
    """What was posted in the program's channel, rendered as the console would."""
    posts = rows(app, "outbox", conversation=f"channel:{CHANNEL}")
    return [" ".join(render(message_from_data(r.payload)).split()) for r in posts]


def kudos_rows(app: App) -> int:
    return count(app, "recognitions")


def kudos_ids(app: App) -> list[tuple[int]]:
    return [(int(r.id),) for r in rows(app, "recognitions")]


def two(chat: Chat) -> tuple[ConsoleChat, ConsoleChat]:
    ana, bo = chat("Ana"), chat("Bo")
    enrol(ana, answers_for(offers="SQL", wants="Python"))
    enrol(bo, answers_for(offers="Python", wants="SQL", timezone="London"))
    ana.open(), bo.open()
    return ana, bo


def test_kudos_reaches_its_person_privately_with_who_sent_it(
    chat: Chat, app: App, clock: ManualClock
) -> None:
    ana, bo = two(chat)
    clock.set(clock.now().replace(hour=10))  # working hours in Berlin and London
    verify_dialog(
        ana,
        [
            (
                "kudos @bo thanks for the *SQL* walkthrough <!channel>",
                "Sent: Bo will hear it from me privately, in their working hours.",
            ),
        ],
    )
    assert bo.open() == [
        "Kudos from @ana (Engineering Growth Partners):\n"
        "thanks for the *SQL* walkthrough <!channel>"
    ]
    assert channel_posts(app) == []  # no channel: nothing to share, nothing asked


def test_kudos_is_shared_only_when_both_say_yes(
    with_channel: App, chat: Chat, clock: ManualClock
) -> None:
    ana, bo = two(chat)
    clock.set(clock.now().replace(hour=10))
    verify_dialog(
        ana,
        [
            (
                "kudos @bo thanks for the SQL walkthrough",
                Contains(
                    "Sent: Bo will hear it from me privately",
                    "Would you like it shared in Engineering Growth Partners's channel as a "
                    "spotlight? Only if Bo agrees too",
                    "[1] Yes, share it  [2] No, keep it private",
                ),
            ),
            ("1", "Thank you. It will be shared only once everyone it's about has said yes too."),
        ],
    )
    assert channel_posts(with_channel) == []
    assert Contains("Kudos", "from @ana", "May I share it").check(" ".join(bo.open())) is None
    verify_dialog(
        bo,
        [
            (
                "Yes, share it",
                "Everyone said yes: it's shared in Engineering Growth Partners's channel.",
            )
        ],
    )
    assert channel_posts(with_channel) == [
        "== Spotlight == @ana thanks @bo: thanks for the SQL walkthrough"
    ]
    # The same press again (a retry, a second device) posts nothing twice.
    [(kudos_id,)] = kudos_ids(with_channel)
    again = ChoicePicked(
        event_id="again-1", actor=bo.actor, action=f"kudos:{kudos_id}", values=("yes",)
    )
    bo.show(with_channel.engine.handle(again))
    assert len(channel_posts(with_channel)) == 1


def test_a_no_from_either_keeps_it_private(
    with_channel: App, chat: Chat, clock: ManualClock
) -> None:
    ana, bo = two(chat)
    clock.set(clock.now().replace(hour=10))
    say(ana, "kudos @bo thanks for reviewing my query")
    verify_dialog(ana, [("No, keep it private", "OK: it stays private.")])
    bo.open()
    verify_dialog(
        bo,
        [
            (
                "Yes, share it",
                "Thank you. It will be shared only once everyone it's about has said yes too.",
            )
        ],
    )
    assert channel_posts(with_channel) == []


def test_bad_kudos_are_refused_and_change_nothing(chat: Chat, app: App) -> None:
    ana, _ = two(chat)
    cy = chat("Cy")  # has talked to Tandem, but takes part in nothing
    say(cy, "help")
    verify_dialog(
        ana,
        [
            (
                "kudos",
                "Say “kudos @name what they did”, e.g. “kudos @sam thanks for walking me "
                "through the schema”. They hear it from me privately.",
            ),
            (
                "kudos @nobody thanks",
                "I don't know anyone called @nobody here yet. You can name a colleague who "
                "has talked to Tandem.",
            ),
            (
                "kudos nowhere @bo thanks",
                Contains("I don't know a program or a person called “nowhere” here."),
            ),
            ("kudos @ana well done me", "That's you! Kudos are for a colleague."),
            ("kudos @bo", "What did Bo do? Say “kudos @bo thanks for …”."),
            (
                "kudos @cy thanks",
                "Cy isn't taking part in Engineering Growth Partners; kudos go to people in "
                "the same program.",
            ),
            (
                "kudos leadership-mentoring @bo thanks",
                "You're not taking part in Leadership Mentoring, so you can't send kudos there.",
            ),
            ("kudos @bo " + "x" * 10_000, Contains("10,010 characters long")),
            ("kudos @bo " + "x" * 285, Contains("the limit here is 280")),
        ],
    )
    assert kudos_rows(app) == 0
    verify_dialog(
        cy,
        [
            (
                "kudos @ana thanks",
                "Kudos go to people in a program you take part in. Say “join” to take part.",
            )
        ],
    )
    assert kudos_rows(app) == 0


def test_a_few_kudos_a_week_keep_them_meaningful(chat: Chat, app: App, clock: ManualClock) -> None:
    ana, _ = two(chat)
    for n in range(3):
        assert "Sent:" in say(ana, f"kudos @bo thanks, number {n + 1}")
    verify_dialog(
        ana,
        [
            (
                "kudos @bo one more",
                "You've sent 3 kudos in Engineering Growth Partners this week, the most a "
                "week: keeping them few keeps them meaningful. You can send more from Monday.",
            )
        ],
    )
    assert kudos_rows(app) == 3
    clock.advance(timedelta(days=7))
    assert "Sent:" in say(ana, "kudos @bo thanks again")


def test_a_coordinator_spotlights_a_pair_when_both_agree(
    with_channel: App, chat: Chat, clock: ManualClock
) -> None:
    pair = running(chat, with_channel, clock)
    ana, bo, cora = pair.ana, pair.bo, pair.cora
    cora.open()
    verify_dialog(
        cora,
        [
            (
                "spotlight engineering-growth @ana @bo Shipped the billing export together",
                "Asked Ana and Bo. It's posted in Engineering Growth Partners's channel only "
                "when both say yes; I'll tell you when it is.",
            ),
        ],
    )
    pair.day(1, hour=10)
    assert "would like to share your story with Bo" in pair.screen(ana)
    assert "Shipped the billing export together" in pair.screen(bo)
    verify_dialog(ana, [("Yes, share it", Contains("only once everyone"))])
    assert channel_posts(with_channel) == []
    verify_dialog(bo, [("1", Contains("Everyone said yes"))])
    assert channel_posts(with_channel) == [
        "== Spotlight == From Engineering Growth Partners: @ana and @bo Shipped the "
        "billing export together"
    ]
    assert "The spotlight of Ana and Bo is now in" in pair.screen(cora)


def test_bad_spotlights_are_refused_and_change_nothing(
    with_channel: App, chat: Chat, clock: ManualClock
) -> None:
    pair = running(chat, with_channel, clock)
    cy = chat("Cy")
    enrol(cy, answers_for())
    verify_dialog(
        pair.cora,
        [
            ("spotlight", Contains("Say “spotlight @a @b their story”")),
            (
                "spotlight engineering-growth @ana @nobody story",
                Contains("I don't know anyone called @nobody"),
            ),
            ("spotlight @ana @ana story", "A spotlight is about two different people."),
            (
                "spotlight engineering-growth @ana @cy story",
                "Ana and Cy haven't been matched in Engineering Growth Partners; a spotlight "
                "tells a pair's story.",
            ),
            (
                "spotlight @ana @bo",
                "What's their story? Say “spotlight @a @b what they did together”.",
            ),
            ("spotlight engineering-growth @ana @bo " + "y" * 10_000, Contains("characters long")),
        ],
    )
    verify_dialog(
        pair.ana, [("spotlight @ana @bo story", "Only a program's coordinators can do that.")]
    )
    assert kudos_rows(with_channel) == 0
