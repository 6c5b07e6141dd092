"""Talking to Tandem's server the way Slack does: signed HTTP requests in Slack's own
payload formats (slash commands, events, button presses, form submissions)."""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Iterator, Mapping
from typing import Any
from urllib.parse import urlencode

import aiohttp

from fakes.slack import TEAM, FakeSlack

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"


class SlackRequests:
    """Requests as Slack sends them, signed with ``SECRET``, to the server at ``url``;
    each settles (``settle``) unless told not to. Mixed into the running server's
    handle (tests/slack/tandem_server.py), which provides what is declared here."""

    fake: FakeSlack
    url: str
    session: aiohttp.ClientSession
    _ids: Iterator[int]

    async def settle(self) -> int:
        raise NotImplementedError

    async def post(
        self,
        body: str,
        content_type: str,
        *,
        timestamp: int | None = None,
        secret: str = SECRET,
        headers: Mapping[str, str] | None = None,
        settle: bool = True,
    ) -> aiohttp.ClientResponse:
        stamp = str(int(time.time()) if timestamp is None else timestamp)
        base = f"v0:{stamp}:{body}".encode()
        signature = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
        response = await self.session.post(
            self.url + "/slack/events",
            data=body.encode(),
            headers={
                "Content-Type": content_type,
                "X-Slack-Request-Timestamp": stamp,
                "X-Slack-Signature": signature,
                **(headers or {}),
            },
        )
        await response.read()
        if settle:  # what the app does after the ack: the engine, then delivery
            await self.settle()
        return response

    async def command(
        self, user: str, text: str, *, team: str = TEAM, **options: Any
    ) -> aiohttp.ClientResponse:
        body = urlencode(
            {
                "token": "unused",
                "team_id": team,
                "team_domain": "tandem-test",
                "channel_id": "C0GENERAL",
                "channel_name": "general",
                "user_id": user,
                "user_name": self.fake.users.get(user, {}).get("name", user),
                "command": "/mentor",
                "text": text,
                "api_app_id": "A0TANDEM",
                "response_url": "https://hooks.slack.invalid/commands/1",
                "trigger_id": self.trigger(),
            }
        )
        return await self.post(body, "application/x-www-form-urlencoded", **options)

    async def interaction(self, payload: dict[str, Any]) -> aiohttp.ClientResponse:
        body = urlencode({"payload": json.dumps(payload)})
        return await self.post(body, "application/x-www-form-urlencoded")

    async def click(
        self, user: str, post: dict[str, Any], label: str, *, channel: str = ""
    ) -> aiohttp.ClientResponse:
        """Press the button labelled ``label`` in a posted message (a chat.postMessage body)."""
        channel = channel or post["channel"]
        return await self._press(
            user,
            post["blocks"],
            label,
            {
                "container": {
                    "type": "message",
                    "message_ts": post.get("ts", "1700000000.000001"),
                    "channel_id": channel,
                    "is_ephemeral": False,
                },
                "channel": {"id": channel},
                "message": {
                    "ts": post.get("ts"),
                    "text": post.get("text"),
                    "blocks": post["blocks"],
                },
            },
        )

    async def click_home(
        self, user: str, view: dict[str, Any], label: str
    ) -> aiohttp.ClientResponse:
        """Press a button on the App Home tab (a views.publish body's view)."""
        where = {
            "container": {"type": "view", "view_id": "V0HOME"},
            "view": {**view, "id": "V0HOME", "team_id": TEAM},
        }
        return await self._press(user, view["blocks"], label, where)

    async def _press(
        self, user: str, blocks: list[dict[str, Any]], label: str, where: dict[str, Any]
    ) -> aiohttp.ClientResponse:
        """A ``block_actions`` payload for the button ``label`` in ``blocks``."""
        block_id, button = find_button(blocks, label)
        return await self.interaction(
            {
                "type": "block_actions",
                "team": {"id": TEAM, "domain": "tandem-test"},
                "user": {"id": user, "name": self.fake.users[user]["name"], "team_id": TEAM},
                "api_app_id": "A0TANDEM",
                "trigger_id": self.trigger(),
                **where,
                "actions": [{**button, "block_id": block_id, "action_ts": f"{time.time():.6f}"}],
            }
        )

    async def submit(
        self, user: str, view: dict[str, Any], answers: Mapping[str, Any], view_id: str = ""
    ) -> aiohttp.ClientResponse:
        return await self.interaction(
            {
                "type": "view_submission",
                "team": {"id": TEAM, "domain": "tandem-test"},
                "user": {"id": user, "name": self.fake.users[user]["name"], "team_id": TEAM},
                "api_app_id": "A0TANDEM",
                "trigger_id": self.trigger(),
                "view": {
                    **view,
                    "id": view_id or f"V{next(self._ids):08d}",
                    "hash": "1700000000.abc",
                    "team_id": TEAM,
                    "state": {"values": fill(view, answers)},
                },
            }
        )

    async def event(
        self, event: dict[str, Any], event_id: str, *, retry: int = 0, team: str = TEAM
    ) -> aiohttp.ClientResponse:
        body = json.dumps(
            {
                "token": "unused",
                "team_id": team,
                "api_app_id": "A0TANDEM",
                "event": event,
                "type": "event_callback",
                "event_id": event_id,
                "event_time": int(time.time()),
            }
        )
        headers = {"X-Slack-Retry-Num": str(retry), "X-Slack-Retry-Reason": "http_timeout"}
        return await self.post(body, "application/json", headers=headers if retry else None)

    async def dm(self, user: str, text: str, event_id: str = "") -> aiohttp.ClientResponse:
        return await self.event(
            {
                "type": "message",
                "channel": "D" + user[-4:],
                "channel_type": "im",
                "user": user,
                "text": text,
                "ts": f"{time.time():.6f}",
                "team": TEAM,
            },
            event_id or f"Ev{next(self._ids):08d}",
        )

    def trigger(self) -> str:
        return f"{next(self._ids)}.{int(time.time())}.trigger"


def find_button(blocks: list[dict[str, Any]], label: str) -> tuple[str, dict[str, Any]]:
    """The block id and the button labelled ``label``."""
    for block in blocks:
        for element in block.get("elements", []):
            if element.get("type") == "button" and element["text"]["text"] == label:
                return str(block.get("block_id", "")), element
    labels = [
        e["text"]["text"]
        for b in blocks
        for e in b.get("elements", [])
        if e.get("type") == "button"
    ]
    raise AssertionError(f"no button {label!r}; buttons: {labels}")


def fill(view: dict[str, Any], answers: Mapping[str, Any]) -> dict[str, Any]:
    """``view.state.values`` as Slack builds it from what the person entered."""
    values: dict[str, Any] = {}
    for block in view["blocks"]:
        if block["type"] != "input" or block["block_id"] not in answers:
            continue
        element = block["element"]
        answer = answers[block["block_id"]]
        kind = element["type"]
        options = {o["value"]: o for o in element.get("options", [])}
        if kind == "plain_text_input":
            state: dict[str, Any] = {"type": kind, "value": answer}
        elif kind == "static_select":
            state = {"type": kind, "selected_option": options[answer]}
        elif kind == "multi_static_select":
            state = {"type": kind, "selected_options": [options[a] for a in answer]}
        else:
            state = {"type": kind, "selected_users": list(answer)}
        values[block["block_id"]] = {element["action_id"]: state}
    return values
