"""Socket Mode: the same app over Slack's WebSocket, for people without a public URL."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from adapters.slack.config import SlackConfig
from fakes.slack import APP_TOKEN, BOT_TOKEN, TEAM, FakeSlack
from tests.slack.slack_requests import SECRET
from tests.slack.tandem_server import Tandem, start_tandem, stop_tandem


@pytest.fixture
async def over_socket(tmp_path: Path, fake: FakeSlack) -> AsyncIterator[Tandem]:
    config = SlackConfig(
        signing_secret=SECRET, bot_token=BOT_TOKEN, app_token=APP_TOKEN, api_url=fake.url
    )
    running = await start_tandem(tmp_path, fake, config, socket_mode=True)
    await asyncio.wait_for(fake.connected.wait(), timeout=10)
    yield running
    await stop_tandem(running)


async def test_a_slash_command_over_the_socket(over_socket: Tandem, fake: FakeSlack) -> None:
    [opened] = fake.of("apps.connections.open")
    assert opened.token == APP_TOKEN
    command = {
        "team_id": TEAM,
        "user_id": "U0ANA",
        "user_name": "Ana Lima",
        "command": "/mentor",
        "text": "help",
        "channel_id": "C0GENERAL",
        "trigger_id": "1.2.socket",
        "api_app_id": "A0TANDEM",
    }
    ack = await fake.envelope("slash_commands", command, "env-1")
    assert ack["envelope_id"] == "env-1"
    await over_socket.settle()
    [post] = fake.of("chat.postMessage")
    assert post.body["channel"] == "D0ANA" and "join" in str(post.body["blocks"])
