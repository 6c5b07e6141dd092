"""Tandem's server on 127.0.0.1 with the Slack app mounted, and a way to talk to it
the way Slack does: signed HTTP requests in Slack's own payload formats."""

from __future__ import annotations

import asyncio
import dataclasses
import hashlib
import hmac
import itertools
import json
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import aiohttp
from aiohttp import web

from adapters.slack.config import SlackConfig
from adapters.slack.receiver import SlackReceiver
from bot.admin import bundled_programs, install_programs
from bot.clock import ManualClock
from bot.delivery import one_by_one
from fakes.slack import BOT_TOKEN, TEAM, FakeSlack
from tandem.bootstrap import App, build, prepare_database
from tandem.serve import SERVICE, Service, make_server
from tandem.settings import Settings

SECRET = "8f742231b10e8888abcd99yyyzzz85a5"
START = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)  # a Monday
COORDINATOR = "U0COORD"
PACING_SECONDS = 3.0  # waits this short pass by themselves when a test settles
PROGRAM_CHANNEL = "C0PROGRAM"


@dataclass
class Pacing:
    """The outbox's pauses between messages: each recorded, and the test's clock
    moved on by it, instead of slept (tests never sleep)."""

    clock: ManualClock
    waits: list[float] = field(default_factory=list)

    def sleep(self, seconds: float) -> None:
        self.waits.append(round(seconds, 3))
        self.clock.advance(timedelta(seconds=seconds))


@dataclass
class Tandem:
    """The running server and what a test needs to drive it."""

    app: App
    clock: ManualClock
    fake: FakeSlack
    url: str
    service: Service
    runner: web.AppRunner
    session: aiohttp.ClientSession
    pacing: Pacing
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))

    # --- requests as Slack sends them --------------------------------------------------

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

    # --- time passing ----------------------------------------------------------------

    @property
    def receiver(self) -> SlackReceiver:
        receiver = self.service.handoff._receivers["slack"]
        assert isinstance(receiver, SlackReceiver)
        return receiver

    async def settle(self) -> int:
        """What the workers of ``tandem serve`` do after an ack: queued events to the
        engine, then the outbox, until nothing is left, letting the few seconds
        pass that a conversation's pacing asks for. In a thread, as the server runs
        them: the fake Slack shares this event loop."""
        await self.service.background.idle()
        done = await asyncio.to_thread(self.service.settle)
        waited = 0.0
        while (due := self.service.courier.next_due()) is not None and waited < PACING_SECONDS:
            # Due, but not claimable yet (a conversation's pace, a Retry-After):
            # a moment passes, then the outbox looks again.
            wait = min(max((due - self.clock.now()).total_seconds(), 0.0) or 1.0, PACING_SECONDS)
            if waited + wait > PACING_SECONDS:
                break
            self.pacing.sleep(wait)
            waited += wait
            done += await asyncio.to_thread(self.service.settle)
        return done

    async def beat(self) -> int:
        """One scheduler tick, then the outbox (as ``tandem serve`` does)."""
        await asyncio.to_thread(self.service.cadence.tick)
        return await self.settle()

    async def send_due(self) -> int:
        return await asyncio.to_thread(self.service.courier.drain)


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


async def start_tandem(
    tmp: Path, fake: FakeSlack, config: SlackConfig | None = None, *, socket_mode: bool = False
) -> Tandem:
    config = config or SlackConfig(signing_secret=SECRET, bot_token=BOT_TOKEN, api_url=fake.url)
    config = dataclasses.replace(config, socket_mode=socket_mode)
    settings = Settings(
        database_url=f"sqlite:///{tmp / 'slack.db'}", data_dir=tmp, platforms={"slack": config}
    )
    clock = ManualClock(START)
    app = build(settings, clock=clock, worker="test")
    prepare_database(app)
    programs = [
        spec.model_copy(update={"coordinators": (COORDINATOR,), "channel": PROGRAM_CHANNEL})
        for spec in bundled_programs()
    ]
    install_programs(app.uow, clock, "slack", TEAM, programs)
    pacing = Pacing(clock)
    # No scheduler and no workers: the test moves time and settles itself, and
    # conversations are sent one after another, so every run goes the same way.
    server = make_server(app, schedule=False, workers=False, sleep=pacing.sleep, fan_out=one_by_one)
    runner = web.AppRunner(server)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
    session = aiohttp.ClientSession()
    return Tandem(
        app, clock, fake, f"http://127.0.0.1:{port}", server[SERVICE], runner, session, pacing
    )


async def stop_tandem(tandem: Tandem) -> None:
    await tandem.session.close()
    await tandem.runner.cleanup()
    tandem.app.close()
