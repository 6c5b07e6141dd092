"""Slack's rules for what Tandem sends: rate limits, pacing, escaping, idempotency."""

from __future__ import annotations

import asyncio
import json
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.delivery import Courier
from bot.model import Workspace
from bot.outbound import Message, Outbound
from bot.platform import Platform, SendResult
from fakes.slack import FakeSlack
from store.tables import EnrolmentRow, OutboxRow
from tests.slack.tandem_server import Tandem
from tests.slack.test_journey import ANA, BEN, join, last_post, text_of


async def test_a_429_is_honoured_by_the_outbox_not_by_sleeping(
    tandem: Tandem, fake: FakeSlack
) -> None:
    await join(tandem, fake, "U0ANA", ANA)
    await join(tandem, fake, "U0BEN", BEN)
    await tandem.command("U0COORD", "round engineering-growth preview")
    await tandem.command("U0COORD", "round engineering-growth publish", settle=False)
    await asyncio.to_thread(tandem.service.handoff.drain)  # published; nothing sent yet
    fake.fail_next("chat.postMessage", 429, "ratelimited", {"Retry-After": "30"})
    await tandem.send_due()
    with tandem.app.database.connect() as db:
        waiting = {
            key: (retry_at, attempts)
            for key, retry_at, attempts in db.execute(
                select(OutboxRow.key, OutboxRow.retry_at, OutboxRow.attempts).where(
                    OutboxRow.status != "sent"
                )
            )
        }
    # The introduction met the 429; the messages behind it were not even tried.
    # All wait for Slack's Retry-After, and nothing slept through it.
    assert {"match1:intro", "match1:goals:1", "match1:goals:2"} <= set(waiting)
    latest = tandem.clock.now() + timedelta(seconds=30)
    assert all(at is not None and at <= latest for at, _ in waiting.values())
    assert {k: a for k, (_, a) in waiting.items() if a} == {"match1:intro": 1}
    assert not tandem.pacing.waits
    posts = len(fake.of("chat.postMessage"))
    tandem.clock.advance(timedelta(seconds=31))
    await tandem.send_due()
    assert all(s == "sent" for s in statuses(tandem))
    assert len(fake.of("chat.postMessage")) == posts + len(waiting)
    assert len([c for c in fake.of("chat.postMessage") if c.body["channel"] == "G0ANA0BEN"]) == 2


async def test_posts_to_one_channel_are_paced(tandem: Tandem, fake: FakeSlack) -> None:
    for text in ("help", "programs", "help", "programs", "help"):
        await tandem.command("U0ANA", text, settle=False)
    await tandem.command("U0BEN", "help", settle=False)
    await tandem.settle()
    # Ana's DM took a burst of three, then one a second; Ben's was not held up.
    channels = [c.body["channel"] for c in fake.of("chat.postMessage")]
    assert channels == ["D0ANA"] * 3 + ["D0BEN"] + ["D0ANA"] * 2
    assert tandem.pacing.waits == [1.0, 1.0]
    assert all(s == "sent" for s in statuses(tandem))


async def test_what_people_typed_is_escaped_everywhere_it_is_shown(
    tandem: Tandem, fake: FakeSlack
) -> None:
    hostile = {**ANA, "intro": "Hi <!channel> & <@U0BEN|ben> <https://evil.example|click>"}
    await join(tandem, fake, "U0ANA", hostile)
    await tandem.command("U0ANA", "profile")
    shown = text_of(last_post(fake, "D0ANA"))
    assert "&lt;!channel&gt; &amp; &lt;@U0BEN|ben&gt; &lt;https://evil.example|click&gt;" in shown
    everything = json.dumps([c.body.get("blocks") for c in fake.of("chat.postMessage")])
    assert "<!channel>" not in everything and "<https://evil" not in everything


async def test_an_unknown_command_gets_a_line_and_the_closest_command(
    tandem: Tandem, fake: FakeSlack
) -> None:
    await tandem.command("U0ANA", "make me a sandwich")
    assert "Say “help” to see what I can do." in text_of(last_post(fake, "D0ANA"))
    await tandem.command("U0ANA", "jion")
    assert "Did you mean “join [program]”?" in text_of(last_post(fake, "D0ANA"))


async def test_a_double_submission_changes_nothing_twice(tandem: Tandem, fake: FakeSlack) -> None:
    await tandem.command("U0ANA", "join engineering-growth")
    await tandem.click("U0ANA", last_post(fake, "D0ANA"), "I agree")
    view = fake.of("views.open")[-1].body["view"]
    answers = {k: v for k, v in ANA.items() if v is not None}
    style = next(b for b in view["blocks"] if b.get("block_id") == "style")
    answers["style"] = style["element"]["options"][0]["value"]
    # Both at once, as a double click on Submit sends them.
    first, second = await asyncio.gather(
        tandem.submit("U0ANA", view, answers, view_id="V0SAME"),
        tandem.submit("U0ANA", view, answers, view_id="V0SAME"),
    )
    assert first.status == second.status == 200
    welcomes = [c for c in fake.of("chat.postMessage") if "You're in" in text_of(c.body)]
    assert len(welcomes) == 1
    third = await tandem.submit("U0ANA", view, answers, view_id="V0SAME")  # and later
    assert third.status == 200
    welcomes = [c for c in fake.of("chat.postMessage") if "You're in" in text_of(c.body)]
    assert len(welcomes) == 1


async def test_shared_messages_are_never_updated_with_an_older_version(
    tandem: Tandem, fake: FakeSlack
) -> None:
    where = ("C0PROGRAM", "1700000000.000001")
    block = [{"type": "section", "text": {"type": "mrkdwn", "text": "v"}}]
    for text, version in (("3 answered", 3), ("2 answered", 2), ("4 answered", 4)):  # 2 is late
        await asyncio.to_thread(tandem.receiver.update, "T0TANDEM", where, block, text, version)
    assert [c.body["text"] for c in fake.of("chat.update")] == ["3 answered", "4 answered"]


async def test_a_double_click_answers_once(tandem: Tandem, fake: FakeSlack) -> None:
    await tandem.command("U0ANA", "join engineering-growth")
    agreement = last_post(fake, "D0ANA")
    await asyncio.gather(
        tandem.click("U0ANA", agreement, "I agree"), tandem.click("U0ANA", agreement, "I agree")
    )
    # Each press may show the form (closing it and pressing again must bring it back),
    # but it is the same survey, for one enrolment.
    assert {c.body["view"]["callback_id"] for c in fake.of("views.open")} == {
        "intake:engineering-growth"
    }
    # Whatever the second click showed, Ana is asked the intake once, not enrolled twice.
    with tandem.app.database.connect() as db:
        assert len(db.execute(select(EnrolmentRow.id)).all()) == 1


async def test_a_reply_that_fails_at_once_is_sent_later_by_the_outbox(
    tandem: Tandem, fake: FakeSlack
) -> None:
    fake.fail_next("chat.postMessage", 500, "internal_error")
    await tandem.command("U0ANA", "help")
    assert statuses(tandem) == ["pending"]
    tandem.clock.advance(timedelta(seconds=16))  # past the first backoff
    await tandem.send_due()
    assert statuses(tandem) == ["sent"]
    delivered = [c for c in fake.of("chat.postMessage") if c.token]
    assert len(delivered) == 2  # the failed try and the one that reached Ana
    # A 500 may come after Slack posted: Tandem looked before posting again.
    assert len(fake.of("conversations.history")) == 1


async def test_a_permanent_error_is_recorded_and_not_retried(
    tandem: Tandem, fake: FakeSlack
) -> None:
    fake.fail_next("chat.postMessage", 200, "channel_not_found")
    await tandem.command("U0ANA", "help")
    assert statuses(tandem) == ["failed"]
    tandem.clock.advance(timedelta(hours=3))
    await tandem.send_due()
    assert len(fake.of("chat.postMessage")) == 1


def statuses(tandem: Tandem) -> list[str]:
    with tandem.app.database.connect() as db:
        return [s for (s,) in db.execute(select(OutboxRow.status).order_by(OutboxRow.id))]


class Crash(BaseException):
    """The process dies (not an error the dispatcher handles)."""


class DiesAfterPosting:
    """Posts to Slack, then the process dies before recording it."""

    def __init__(self, real: Platform) -> None:
        self.real = real
        self.name = real.name
        self.capabilities = real.capabilities

    def send(self, workspace: Workspace, outbound: Outbound, *, again: bool = False) -> SendResult:
        self.real.send(workspace, outbound, again=again)
        raise Crash

    def update(self, workspace: Workspace, platform_id: str, message: Message) -> SendResult:
        return self.real.update(workspace, platform_id, message)


async def test_a_crash_after_posting_does_not_post_twice(tandem: Tandem, fake: FakeSlack) -> None:
    await join(tandem, fake, "U0ANA", ANA)
    await join(tandem, fake, "U0BEN", BEN)
    await tandem.command("U0COORD", "round engineering-growth preview")
    await tandem.command("U0COORD", "round engineering-growth publish", settle=False)
    tandem.clock.advance(timedelta(hours=1))
    await asyncio.to_thread(tandem.service.handoff.drain)
    dying = Courier(
        tandem.app.uow,
        tandem.clock,
        {"slack": DiesAfterPosting(tandem.app.platforms["slack"])},
        "w1",
    )
    with pytest.raises(Crash):
        await asyncio.to_thread(dying.run_once)
    posted = len(fake.of("chat.postMessage"))
    tandem.clock.advance(timedelta(minutes=6))  # the dead worker's lease runs out
    await tandem.send_due()
    assert fake.of("conversations.history")  # looked before sending again
    group = [c for c in fake.of("chat.postMessage") if c.body["channel"] == "G0ANA0BEN"]
    assert len(group) == 1  # the introduction, once
    assert all(s == "sent" for s in statuses(tandem))
    assert len(fake.of("chat.postMessage")) > posted


async def test_a_bad_answer_in_the_intake_modal_is_shown_on_its_field(
    tandem: Tandem, fake: FakeSlack
) -> None:
    await tandem.command("U0ANA", "join engineering-growth")
    await tandem.click("U0ANA", last_post(fake, "D0ANA"), "I agree")
    view = fake.of("views.open")[-1].body["view"]
    answers = {k: v for k, v in ANA.items() if v is not None}
    style = next(b for b in view["blocks"] if b.get("block_id") == "style")
    answers |= {"style": style["element"]["options"][0]["value"], "timezone": "Mars/Olympus"}
    response = await tandem.submit("U0ANA", view, answers, "V0ONE")
    body = await response.json()
    assert body["response_action"] == "errors"
    assert list(body["errors"]) == ["timezone"]
    assert "Mars/Olympus" in body["errors"]["timezone"] and len(body["errors"]["timezone"]) <= 150
    assert not [c for c in fake.of("chat.postMessage") if "You're in" in text_of(c.body)]
    # Corrected in the same modal and submitted again: taken, not mistaken for a retry.
    fixed = await tandem.submit("U0ANA", view, answers | {"timezone": "Europe/Lisbon"}, "V0ONE")
    assert fixed.status == 200 and await fixed.text() == ""
    assert [c for c in fake.of("chat.postMessage") if "You're in" in text_of(c.body)]
    with tandem.app.database.connect() as db:
        assert db.scalar(select(EnrolmentRow.status)) == "active"


async def test_after_a_429_nothing_goes_to_that_workspace_until_retry_after(
    tandem: Tandem, fake: FakeSlack
) -> None:
    fake.fail_next("chat.postMessage", 429, "ratelimited", {"Retry-After": "20"})
    await tandem.command("U0ANA", "help")
    tried = len(fake.of("chat.postMessage"))
    await tandem.command("U0BEN", "help")  # within Retry-After: not even tried
    assert len(fake.of("chat.postMessage")) == tried
    assert statuses(tandem) == ["pending", "pending"]
    tandem.clock.advance(timedelta(seconds=21))  # past Retry-After
    await tandem.send_due()
    assert statuses(tandem) == ["sent", "sent"]


async def test_a_429_while_looking_a_message_up_holds_only_its_conversation(
    tandem: Tandem, fake: FakeSlack
) -> None:
    fake.fail_next("chat.postMessage", 500, "internal_error")  # maybe posted: look first
    await tandem.command("U0ANA", "help")
    fake.fail_next("conversations.history", 429, "ratelimited", {"Retry-After": "30"})
    tandem.clock.advance(timedelta(seconds=16))
    await tandem.send_due()
    await tandem.command("U0BEN", "help")  # Ben's DM is not held up by Ana's
    assert [c.body["channel"] for c in fake.of("chat.postMessage")] == ["D0ANA", "D0BEN"]
    assert statuses(tandem) == ["pending", "sent"]
    tandem.clock.advance(timedelta(seconds=31))
    await tandem.send_due()
    assert statuses(tandem) == ["sent", "sent"]
    assert len(fake.of("conversations.history")) == 2
