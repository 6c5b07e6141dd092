"""The Slack app on slack-bolt: verify, translate, call the engine, render, send.

Order matters for "nothing lost": each listener hands the event to the engine
first (one transaction: the event id, the new state and every reply in the
outbox), then acknowledges Slack, then delivers. A crash after the ack leaves
the replies in the outbox, where the dispatcher finds them. Bolt runs with
``process_before_response`` so that an event is only acknowledged once the
engine has it; delivery goes on in the background, well inside Slack's 3 s.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import inbound
from adapters.slack.config import SlackConfig
from adapters.slack.outbound import SlackSender
from adapters.slack.render import escape, modal
from bot.dispatch import SendError
from bot.engine import Engine, Outcome
from bot.events import Actor, Inbound
from bot.logs import log_failure

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"
_PROFILES = 10_000  # timezones remembered per process


@dataclass
class SlackBridge:
    """Between Slack's requests and the engine (everything blocking runs in threads)."""

    engine: Engine
    sender: SlackSender
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)
    _zones: OrderedDict[tuple[str, str], str | None] = field(default_factory=OrderedDict)

    async def handle(self, event: Inbound) -> Outcome:
        return await asyncio.to_thread(self.engine.handle, event)

    def later(self, work: Callable[[], Awaitable[None]]) -> None:
        """Run ``work`` after the ack; the task is kept so it is not collected."""
        task = asyncio.create_task(self._guarded(work))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def settle(self) -> None:
        """Wait for background deliveries (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks))

    async def _guarded(self, work: Callable[[], Awaitable[None]]) -> None:
        try:
            await work()
        except Exception as error:  # noqa: BLE001 - the outbox still has the messages
            log_failure(log, "delivering to Slack", error)

    async def deliver(self, actor: Actor, outcome: Outcome, trigger_id: str | None = None) -> None:
        """Open the outcome's form and post its messages, recording each delivery."""
        if outcome.form is not None and trigger_id:
            await self._quietly(
                self.sender.open_modal, actor.workspace, trigger_id, modal(outcome.form)
            )
        for outbound in outcome.messages:
            platform_id = await self._quietly(self.sender.post, actor.workspace, outbound)
            if platform_id is not None:
                await asyncio.to_thread(self.engine.delivered, actor, [outbound.key], platform_id)

    async def _quietly(self, call: Callable[..., Any], *args: Any) -> Any:
        try:
            return await asyncio.to_thread(call, *args)
        except SendError as error:
            # Left in the outbox: the dispatcher tries again after the reply grace.
            log.warning("Slack call failed, left for the outbox: %s", error)
            return None

    async def timezone(self, team: str, user: str) -> str | None:
        """The person's timezone from their Slack profile (remembered a while)."""
        if (team, user) in self._zones:
            self._zones.move_to_end((team, user))
            return self._zones[(team, user)]
        try:
            info = await asyncio.to_thread(lambda: self.sender.client(team).users_info(user=user))
            zone = info["user"].get("tz") if info.get("ok") else None
        except Exception:  # noqa: BLE001 - a default answer is a nicety, never a blocker
            zone = None
        self._zones[(team, user)] = zone
        if len(self._zones) > _PROFILES:
            self._zones.popitem(last=False)
        return zone


def build_bolt(bridge: SlackBridge, config: SlackConfig) -> AsyncApp:
    """The bolt app with every listener Tandem needs (single-workspace token mode)."""
    bolt = AsyncApp(
        signing_secret=config.signing_secret,
        client=AsyncWebClient(token=config.bot_token, base_url=config.api_url),
        process_before_response=True,
    )
    _listen(bolt, bridge)
    return bolt


def _listen(bolt: AsyncApp, bridge: SlackBridge) -> None:
    @bolt.command("/mentor")
    async def on_command(ack: Any, body: dict[str, Any]) -> None:
        zone = await bridge.timezone(inbound.team_of(body), body["user_id"])
        event = inbound.command(body, zone)
        outcome = await bridge.handle(event)
        await ack()
        bridge.later(lambda: bridge.deliver(event.actor, outcome, body.get("trigger_id")))

    @bolt.action(re.compile(".+"))
    async def on_action(ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        user = str((body.get("user") or {}).get("id", ""))
        event = inbound.choice(body, action, await bridge.timezone(inbound.team_of(body), user))
        if event is None:
            await ack()
            return
        outcome = await bridge.handle(event)
        await ack()
        bridge.later(lambda: _answered(bridge, body, action, event.actor, outcome))

    @bolt.view(re.compile(".+"))
    async def on_submit(ack: Any, body: dict[str, Any]) -> None:
        event = inbound.submission(body)
        outcome = await bridge.handle(event)
        if outcome.form_errors:
            await ack(response_action="errors", errors=_errors(body, outcome))
            return
        if outcome.form is not None:
            await ack(response_action="update", view=modal(outcome.form))
        else:
            await ack()
        bridge.later(lambda: bridge.deliver(event.actor, Outcome(outcome.messages)))

    @bolt.event("message")
    async def on_message(body: dict[str, Any]) -> None:
        event = inbound.direct_message(body)
        if event is None:
            return
        outcome = await bridge.handle(event)
        bridge.later(lambda: bridge.deliver(event.actor, outcome))

    @bolt.event(re.compile(".+"))
    async def on_other_event() -> None:
        """Every subscribed event gets a 2xx, handled or not."""


async def _answered(
    bridge: SlackBridge,
    body: dict[str, Any],
    action: dict[str, Any],
    actor: Actor,
    outcome: Outcome,
) -> None:
    """Deliver the replies, and show the answer in place of the buttons pressed."""
    await bridge.deliver(actor, outcome, body.get("trigger_id"))
    container = body.get("container") or {}
    message = body.get("message") or {}
    if container.get("type") != "message" or not message.get("blocks"):
        return
    label = _label(action)
    kept = [b for b in message["blocks"] if b.get("type") != "actions"]
    kept.append(
        {
            "type": "context",
            "elements": [{"type": "mrkdwn", "text": f"<@{actor.user}> chose *{escape(label)}*"}],
        }
    )
    text = str(message.get("text", ""))  # Slack's own (already escaped) fallback text
    try:
        await asyncio.to_thread(
            bridge.sender.update,
            actor.workspace,
            str(container.get("channel_id")),
            str(container.get("message_ts")),
            kept,
            text,
        )
    except SendError as error:
        log.warning("could not update the answered message: %s", error)


def _errors(body: dict[str, Any], outcome: Outcome) -> dict[str, str]:
    """Errors by input block; one about the whole form goes on the first input."""
    inputs = [b.get("block_id") for b in body["view"].get("blocks", []) if b.get("type") == "input"]
    errors: dict[str, str] = {}
    for name, text in outcome.form_errors.items():
        block = name if name in inputs else (inputs[0] if inputs else name)
        errors[block] = (f"{errors[block]} " if block in errors else "") + text
    return {block: text[:150] for block, text in errors.items()}


def _label(action: dict[str, Any]) -> str:
    if action.get("type") == "button":
        return str((action.get("text") or {}).get("text", ""))[:75]
    chosen = action.get("selected_option") or {}
    if chosen:
        return str((chosen.get("text") or {}).get("text", ""))[:75]
    picked = action.get("selected_options") or ()
    return ", ".join(str((o.get("text") or {}).get("text", "")) for o in picked)[:200]


def mount(server: web.Application, bolt: AsyncApp) -> None:
    """Serve the bolt app on ``server`` at ``/slack/events``."""

    async def events(request: web.Request) -> web.Response:
        response = await bolt.async_dispatch(await to_bolt_request(request))
        return await to_aiohttp_response(response)

    server.router.add_post(EVENTS_PATH, events)
