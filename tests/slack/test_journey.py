"""A whole journey through Slack: join, intake modal, round, introduction in a group
DM, check-in buttons, feedback modal; every body recorded by the fake Web API."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from fakes.slack import FakeSlack
from tests.slack.tandem_server import COORDINATOR, Tandem

ANA = {
    "goals": ["Grow technical depth", "Broaden into a new area"],
    "offers": ["Python", "SQL"],
    "wants": ["Public speaking"],
    "level": "3",
    "timezone": "Europe/Lisbon",
    "working_hours": "09:00-17:00",
    "style": None,
    "role": "peer",
    "reverse": "yes",
    "manager": [],
    "avoid": [],
    "intro": "I build data pipelines & love <b>SQL</b>.",
}
BEN = {
    **ANA,
    "offers": ["Public speaking"],
    "wants": ["Python"],
    "timezone": "Europe/Berlin",
    "intro": "Talks & workshops.",
}


def last_post(fake: FakeSlack, channel: str) -> dict[str, Any]:
    calls = fake.of("chat.postMessage")
    for call in reversed(calls):
        if call.body["channel"] == channel:
            return {**call.body, "ts": f"1700000000.{calls.index(call) + 1:06d}"}
    raise AssertionError(f"nothing posted to {channel}")


def post_with(fake: FakeSlack, channel: str, label: str) -> dict[str, Any]:
    """The last message posted to ``channel`` with a button labelled ``label``."""
    calls = fake.of("chat.postMessage")
    for number, call in reversed(list(enumerate(calls, start=1))):
        if call.body["channel"] == channel and f'"text": "{label}"' in text_of(call.body):
            return {**call.body, "ts": f"1700000000.{number:06d}"}
    raise AssertionError(f"no message with {label!r} in {channel}")


def text_of(body: dict[str, Any]) -> str:
    return json.dumps(body.get("blocks") or body.get("view"), ensure_ascii=False)


async def join(tandem: Tandem, fake: FakeSlack, user: str, answers: dict[str, Any]) -> None:
    await tandem.command(user, "join engineering-growth")
    dm = fake.of("conversations.open")[-1]
    channel = "D" + user[-4:].rjust(4, "0")[-4:]
    post = last_post(fake, channel)
    await tandem.click(user, post, "I agree")
    [opened] = fake.of("views.open")[-1:]
    view = opened.body["view"]
    assert view["callback_id"] == "intake:engineering-growth", dm
    chosen = {k: v for k, v in answers.items() if v is not None}
    style = next(b for b in view["blocks"] if b.get("block_id") == "style")
    chosen["style"] = style["element"]["options"][0]["value"]
    response = await tandem.submit(user, view, chosen)
    assert response.status == 200
    assert (await response.text()) in ("", "{}"), await response.text()


async def test_a_pair_from_join_to_feedback(tandem: Tandem, fake: FakeSlack) -> None:
    await join(tandem, fake, "U0ANA", ANA)
    intake = fake.of("views.open")[0].body["view"]
    zone = next(b for b in intake["blocks"] if b.get("block_id") == "timezone")
    assert zone["element"].get("initial_value") == "Europe/Lisbon"  # from the Slack profile
    await join(tandem, fake, "U0BEN", BEN)
    assert "You're in" in text_of(last_post(fake, "D0BEN"))

    # The coordinator reviews and publishes the round.
    await tandem.command(COORDINATOR, "round engineering-growth preview")
    assert "Ana Lima" in text_of(last_post(fake, "DOORD"))
    await tandem.command(COORDINATOR, "round engineering-growth publish")

    # The introduction goes to a group DM of the pair, in working hours.
    tandem.clock.advance(timedelta(hours=1))
    await tandem.send_due()
    groups = [c.body["users"] for c in fake.of("conversations.open") if "," in c.body["users"]]
    assert [set(g.split(",")) for g in groups] == [{"U0ANA", "U0BEN"}]
    intro = last_post(fake, "G0ANA0BEN")
    blocks = text_of(intro)
    assert "<@U0ANA>" in blocks and "<@U0BEN>" in blocks
    assert "Your first meeting" in blocks and "mentoring agreement" in blocks

    # Each accepts the agreement in the group DM; the buttons give way to the answer.
    await tandem.click("U0ANA", intro, "I accept")
    update = fake.of("chat.update")[-1].body
    assert update["channel"] == "G0ANA0BEN" and '"type": "actions"' not in text_of(update)
    assert "<@U0ANA> chose *I accept*" in text_of(update)

    # Goals, one to three, in a modal or question by question.
    goals = post_with(fake, "D0ANA", "Set my goals")
    await tandem.click("U0ANA", goals, "Set my goals")
    assert "Goal 1 of up to 3" in text_of(last_post(fake, "D0ANA"))
    await tandem.dm("U0ANA", "Give a 10-minute talk at the team meeting by 31 March")
    await tandem.dm("U0ANA", "done")

    # The App Home shows the match, the next check-in and the goal, with buttons.
    await tandem.event({"type": "app_home_opened", "user": "U0ANA", "tab": "home"}, "Ev0HOME")
    [published] = fake.of("views.publish")
    assert published.body["user_id"] == "U0ANA"
    home = published.body["view"]
    shown = text_of({"blocks": home["blocks"]})
    assert home["type"] == "home" and "Matched with Ben Okafor" in shown
    assert "Next check-in" in shown and "Monday 18 January" in shown
    assert "Give a 10-minute talk" in shown
    await tandem.click_home("U0ANA", home, "My profile")
    assert "Europe/Lisbon" in text_of(last_post(fake, "D0ANA"))
    assert len(fake.of("views.publish")) == 2  # refreshed after the button

    # Two weeks on, each is asked "did you meet?" privately, with buttons.
    tandem.clock.advance(timedelta(days=14))
    await tandem.beat()
    checkin = post_with(fake, "D0ANA", "Yes, we met")
    await tandem.click("U0ANA", checkin, "Yes, we met")
    prompts = len([c for c in fake.of("chat.postMessage") if "How useful" in text_of(c.body)])
    await tandem.click("U0ANA", checkin, "Yes, we met")  # a double click: nothing new
    again = len([c for c in fake.of("chat.postMessage") if "How useful" in text_of(c.body)])
    assert again == prompts

    # "Yes" brings private feedback: the rating, then a modal for the rest.
    await tandem.click("U0ANA", post_with(fake, "D0ANA", "4"), "4")
    form = fake.of("views.open")[-1].body["view"]
    assert form["callback_id"].startswith("feedback")
    fields = [b["block_id"] for b in form["blocks"] if b["type"] == "input"]
    answers = dict.fromkeys(fields, "")
    empty = await tandem.submit("U0ANA", form, answers)
    rejected = await empty.json()
    assert rejected["response_action"] == "errors" and set(rejected["errors"]) <= set(fields)
    secret = "Ben's <!channel> tips on pacing & pauses were gold"
    answers = {name: secret if name != "note" else "" for name in fields}
    accepted = await tandem.submit("U0ANA", form, answers, view_id="V0FEEDBACK")
    assert accepted.status == 200 and (await accepted.text()) == ""
    assert "Ben Okafor never sees it" in text_of(last_post(fake, "D0ANA"))
    # The partner never sees it, and nothing Tandem posted carries it unescaped.
    everything = json.dumps([c.body for c in fake.calls], ensure_ascii=False)
    assert "<!channel>" not in everything.replace(json.dumps(form, ensure_ascii=False), "")
    assert not any("pacing" in text_of(c.body) for c in fake.of("chat.postMessage"))
