"""A feedback poll in the program channel: buttons, a tally updated in place,
hidden until five have answered."""

from __future__ import annotations

from fakes.slack import FakeSlack
from tests.slack.tandem_server import COORDINATOR, PROGRAM_CHANNEL, Tandem
from tests.slack.test_journey import ANA, join, last_post, text_of

PEOPLE = ["U0ANA", "U0BEN", "U0CY", "U0DIA", "U0EDU"]


async def test_a_poll_in_the_program_channel(tandem: Tandem, fake: FakeSlack) -> None:
    for user in PEOPLE:
        await join(tandem, fake, user, ANA)
    await tandem.command(
        COORDINATOR, "poll engineering-growth How useful are sessions? | Very | Not yet"
    )
    poll = last_post(fake, PROGRAM_CHANNEL)
    assert "How useful are sessions?" in text_of(poll)
    assert "Tandem must" not in text_of(last_post(fake, "DOORD"))

    await tandem.click(COORDINATOR, poll, "Very")  # not taking part: told so, nothing counted
    assert "This poll is for people taking part" in text_of(last_post(fake, "DOORD"))
    assert not [c for c in fake.of("chat.update") if c.body["channel"] == PROGRAM_CHANNEL]

    for number, user in enumerate(PEOPLE[:4], start=1):
        await tandem.click(user, poll, "Very")
        update = fake.of("chat.update")[-1].body
        assert update["channel"] == PROGRAM_CHANNEL and update["ts"] == poll["ts"]
        assert f"{number} answered so far" in text_of(update) and "%" not in text_of(update)
        assert '"type": "actions"' in text_of(update)  # still open to the rest
    await tandem.click("U0EDU", poll, "Not yet")
    tally = text_of(fake.of("chat.update")[-1].body)
    assert "Very: 80% (4)" in tally and "Not yet: 20% (1)" in tally
    assert "<@U0" not in tally  # totals only, never who
