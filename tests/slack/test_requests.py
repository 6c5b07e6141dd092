"""Slack's rules for requests: signatures, timestamps, acks, retries, 2xx for events."""

from __future__ import annotations

import time

from tests.slack.fake_slack import FakeSlack
from tests.slack.harness import Tandem


async def test_help_is_answered_in_a_direct_message(tandem: Tandem, fake: FakeSlack) -> None:
    response = await tandem.command("U0ANA", "help")
    assert response.status == 200
    [post] = fake.of("chat.postMessage")
    assert post.body["channel"] == "DANA" or post.body["channel"].startswith("D")
    assert "join" in str(post.body["blocks"])
    assert fake.of("conversations.open")[0].body["users"] == "U0ANA"


async def test_a_bad_signature_is_401_and_reaches_nothing(tandem: Tandem, fake: FakeSlack) -> None:
    response = await tandem.post(
        "command=/mentor&text=help", "application/x-www-form-urlencoded", secret="not-the-secret"
    )
    assert response.status == 401
    assert not fake.of("chat.postMessage")


async def test_a_stale_timestamp_is_401(tandem: Tandem, fake: FakeSlack) -> None:
    stale = int(time.time()) - 10 * 60
    response = await tandem.command("U0ANA", "help", timestamp=stale)
    assert response.status == 401
    assert not fake.of("chat.postMessage")


async def test_an_event_retry_changes_nothing_twice(tandem: Tandem, fake: FakeSlack) -> None:
    first = await tandem.dm("U0ANA", "help", event_id="Ev0RETRY")
    again = await tandem.event(
        {
            "type": "message",
            "channel": "D0ANA",
            "channel_type": "im",
            "user": "U0ANA",
            "text": "help",
            "ts": "1.0",
            "team": "T0TANDEM",
        },
        "Ev0RETRY",
        retry=1,
    )
    assert first.status == 200 and again.status == 200
    assert len(fake.of("chat.postMessage")) == 1


async def test_every_subscribed_event_gets_a_2xx(tandem: Tandem) -> None:
    for event in (
        {"type": "app_home_opened", "user": "U0ANA", "channel": "D0ANA", "tab": "home"},
        {"type": "app_uninstalled"},
        {"type": "tokens_revoked", "tokens": {"bot": ["U0TANDEMBOT"]}},
        {
            "type": "message",
            "channel": "C1",
            "channel_type": "channel",
            "user": "U0ANA",
            "text": "hi",
            "ts": "1.0",
        },
        {
            "type": "message",
            "subtype": "bot_message",
            "channel": "D0ANA",
            "channel_type": "im",
            "bot_id": "B1",
            "text": "hi",
            "ts": "1.0",
        },
    ):
        response = await tandem.event(event, f"Ev-{event['type']}-{len(str(event))}")
        assert 200 <= response.status < 300, event
