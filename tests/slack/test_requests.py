"""Slack's rules for requests: signatures, timestamps, acks, retries, 2xx for events."""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import json
import time
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from adapters.slack.config import SlackConfig
from fakes.slack import BOT_TOKEN, FakeSlack
from store.tables import OutboxRow
from tests.slack.slack_requests import SECRET
from tests.slack.tandem_server import Tandem, start_tandem, stop_tandem


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


@pytest.mark.parametrize(
    ("body", "signed", "status"),
    [
        (b"{bad", False, 401),
        (b"payload=notjson", False, 401),
        (b"\xff\xfe not utf-8", False, 401),
        (b"payload=notjson", True, 400),
        (b"payload=%5B%5D", True, 400),  # JSON, but not an object
        (b"payload=%7B%7D", True, 404),  # nothing Slack would send: bolt has no handler
        (b"\xff\xfe not utf-8", True, 401),  # the verifier cannot read it either
    ],
)
async def test_a_malformed_request_is_refused_never_a_500(
    tandem: Tandem, fake: FakeSlack, body: bytes, signed: bool, status: int
) -> None:
    stamp = str(int(time.time()))
    secret = SECRET if signed else "wrong"
    signature = (
        "v0="
        + hmac.new(secret.encode(), f"v0:{stamp}:".encode() + body, hashlib.sha256).hexdigest()
    )
    response = await tandem.session.post(
        tandem.url + "/slack/events",
        data=body,
        headers={
            "Content-Type": "application/x-www-form-urlencoded",
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signature,
        },
    )
    assert response.status == status
    assert not fake.of("chat.postMessage")


async def test_a_timestamp_that_is_not_a_number_is_401(tandem: Tandem) -> None:
    response = await tandem.session.post(
        tandem.url + "/slack/events",
        data=b"command=%2Fmentor&text=help",
        headers={"X-Slack-Request-Timestamp": "abc", "X-Slack-Signature": "v0=00"},
    )
    assert response.status == 401


async def test_a_slow_slack_profile_does_not_hold_up_the_ack(
    tandem: Tandem, fake: FakeSlack
) -> None:
    fake.held["users.info"] = asyncio.Event()  # Slack does not answer the profile lookup
    users = ["U0ANA", "U0BEN", "U0CY", "U0DIA", "U0EDU"]
    acks = await asyncio.gather(*(tandem.command(user, "help", settle=False) for user in users * 2))
    # Every ack came back while the lookup was still unanswered: none waited for it.
    assert [r.status for r in acks] == [200] * 10
    assert not fake.of("users.info") and not fake.of("chat.postMessage")
    fake.held["users.info"].set()
    await tandem.settle()
    assert len(fake.of("chat.postMessage")) == 10


def _action_payload(**changes: object) -> dict[str, object]:
    payload: dict[str, object] = {
        "type": "block_actions",
        "team": {"id": "T0TANDEM"},
        "user": {"id": "U0ANA", "name": "ana"},
        "trigger_id": "1.2.3",
        "actions": [{"type": "button", "action_id": "agree:engineering-growth#0", "value": "yes"}],
    }
    return {**payload, **changes}


def _view_payload(**view: object) -> dict[str, object]:
    return {
        "type": "view_submission",
        "team": {"id": "T0TANDEM"},
        "user": {"id": "U0ANA", "name": "ana"},
        "view": view,
    }


@pytest.mark.parametrize(
    "payload",
    [
        _action_payload(actions=[]),
        _action_payload(actions=["agree"]),
        _action_payload(user={}),
        _view_payload(id="V1", callback_id="intake:x"),  # no type
        _view_payload(type="modal", callback_id="intake:x"),  # no id
    ],
)
async def test_a_signed_but_malformed_interaction_is_400_never_500(
    tandem: Tandem, fake: FakeSlack, payload: dict[str, object]
) -> None:
    response = await tandem.interaction(payload)
    assert response.status == 400
    assert "malformed" in (await response.json())["error"]
    assert not fake.calls


@pytest.mark.parametrize("missing", ["trigger_id", "user_id", "team_id"])
async def test_a_signed_command_without_what_it_needs_is_400(
    tandem: Tandem, fake: FakeSlack, missing: str
) -> None:
    fields = {
        "team_id": "T0TANDEM",
        "user_id": "U0ANA",
        "command": "/mentor",
        "text": "help",
        "trigger_id": "1.2.3",
    }
    del fields[missing]
    response = await tandem.post(urlencode(fields), "application/x-www-form-urlencoded")
    assert response.status == 400
    assert not fake.calls


async def test_an_event_callback_without_an_event_is_400(tandem: Tandem) -> None:
    body = json.dumps({"type": "event_callback", "team_id": "T0TANDEM", "event_id": "Ev1"})
    response = await tandem.post(body, "application/json")
    assert response.status == 400


async def test_slack_unreachable_at_the_first_request_is_acked_and_retried_later(
    tmp_path: Path, fake: FakeSlack
) -> None:
    # Nothing listens on port 9: no auth.test, no Web API at all.
    dead = SlackConfig(signing_secret=SECRET, bot_token=BOT_TOKEN, api_url="http://127.0.0.1:9/")
    tandem = await start_tandem(tmp_path, fake, dead)
    try:
        response = await tandem.command("U0ANA", "help")
        assert response.status == 200  # the request is taken; the reply waits for Slack
        with tandem.app.database.connect() as db:
            row = db.execute(select(OutboxRow.status, OutboxRow.last_error)).one()
        assert row.status == "pending" and row.last_error.startswith("network")
    finally:
        await stop_tandem(tandem)
