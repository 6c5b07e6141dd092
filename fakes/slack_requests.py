"""Requests as Slack sends them to an app: signed, form-encoded slash commands and
button presses (for the tests and benchmarks that play Slack's part)."""

from __future__ import annotations

import hashlib
import hmac
import json
from urllib.parse import urlencode

from fakes.slack_api import TEAM


def signed_headers(secret: str, body: bytes, content_type: str, stamp: int) -> dict[str, str]:
    """The headers Slack puts on a request: its timestamp and HMAC-SHA256 signature."""
    base = f"v0:{stamp}:".encode() + body
    signature = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return {
        "Content-Type": content_type,
        "X-Slack-Request-Timestamp": str(stamp),
        "X-Slack-Signature": signature,
    }


def command_body(user: str, text: str, trigger: str, team: str = TEAM) -> bytes:
    """A ``/mentor`` slash command, form-encoded as Slack posts it."""
    return urlencode(
        {
            "token": "unused",
            "team_id": team,
            "team_domain": "tandem-test",
            "channel_id": "C0GENERAL",
            "channel_name": "general",
            "user_id": user,
            "user_name": user.lower(),
            "command": "/mentor",
            "text": text,
            "api_app_id": "A0TANDEM",
            "response_url": "https://hooks.slack.invalid/commands/1",
            "trigger_id": trigger,
        }
    ).encode()


def button_body(
    user: str, action_id: str, value: str, trigger: str, channel: str, team: str = TEAM
) -> bytes:
    """A ``block_actions`` payload: ``user`` pressed a button in a message in ``channel``."""
    button = {
        "type": "button",
        "action_id": action_id,
        "block_id": "agreement.9",
        "text": {"type": "plain_text", "text": "I agree"},
        "value": value,
        "action_ts": "1700000000.000001",
    }
    payload = {
        "type": "block_actions",
        "team": {"id": team, "domain": "tandem-test"},
        "user": {"id": user, "name": user.lower(), "team_id": team},
        "api_app_id": "A0TANDEM",
        "trigger_id": trigger,
        "container": {
            "type": "message",
            "message_ts": "1700000000.000001",
            "channel_id": channel,
            "is_ephemeral": False,
        },
        "channel": {"id": channel},
        "message": {
            "ts": "1700000000.000001",
            "text": "Join?",
            "blocks": [{"type": "actions", "block_id": "agreement.9", "elements": [button]}],
        },
        "actions": [button],
    }
    return urlencode({"payload": json.dumps(payload)}).encode()
