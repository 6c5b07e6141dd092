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
from functools import partial
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import inbound
from adapters.slack.config import BOT_SCOPES, SlackConfig
from adapters.slack.installations import InstallationStore, SignedStates
from adapters.slack.outbound import SlackSender
from adapters.slack.render import escape, fallback_text, kind_of, message_blocks, modal
from adapters.slack.render import home_view as home_tab
from bot.dispatch import SendError
from bot.engine import Engine, Outcome
from bot.events import Actor, Inbound
from bot.logs import log_failure
from store.installations import SqlInstallations

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
_PROFILES = 10_000  # timezones remembered per process
PROFILE_SECONDS = 1.0  # how long a command may wait for the person's Slack profile
SHARED = frozenset({"poll"})  # kinds of message that many people answer


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
            # A retried event hands back what its first try left unrecorded: that
            # try may have posted it, so Slack is asked first.
            post = partial(self.sender.post, again=outcome.duplicate)
            platform_id = await self._quietly(post, actor.workspace, outbound)
            if platform_id is not None:
                await asyncio.to_thread(self.engine.delivered, actor, [outbound.key], platform_id)

    async def _quietly(self, call: Callable[..., Any], *args: Any) -> Any:
        try:
            return await asyncio.to_thread(call, *args)
        except SendError as error:
            # Left in the outbox: the dispatcher tries again after the reply grace.
            log.warning("Slack call failed, left for the outbox: %s", error)
            return None

    async def publish_home(self, actor: Actor) -> None:
        """Show the person's App Home as it is now."""
        view = home_tab(await asyncio.to_thread(self.engine.home, actor))
        await self._quietly(self.sender.publish_home, actor.workspace, actor.user, view)

    async def timezone(self, team: str, user: str) -> str | None:
        """The person's timezone from their Slack profile (remembered a while)."""
        if (team, user) in self._zones:
            self._zones.move_to_end((team, user))
            return self._zones[(team, user)]
        try:
            # Before the ack, so bounded well inside Slack's 3 s.
            lookup = asyncio.to_thread(lambda: self.sender.client(team).users_info(user=user))
            info = await asyncio.wait_for(lookup, PROFILE_SECONDS)
            zone = info["user"].get("tz") if info.get("ok") else None
        except Exception:  # noqa: BLE001 - a default answer is a nicety, never a blocker
            return None  # not remembered: next time Slack may answer
        self._zones[(team, user)] = zone
        if len(self._zones) > _PROFILES:
            self._zones.popitem(last=False)
        return zone


def build_bolt(
    bridge: SlackBridge, config: SlackConfig, installations: SqlInstallations
) -> AsyncApp:
    """The bolt app with every listener Tandem needs: one workspace with a bot token,
    or many, installed through OAuth and kept in Tandem's database."""
    if config.oauth:
        bolt = AsyncApp(
            signing_secret=config.signing_secret,
            client=AsyncWebClient(base_url=config.api_url),
            process_before_response=True,
            oauth_settings=AsyncOAuthSettings(
                client_id=config.client_id,
                client_secret=config.client_secret,
                scopes=list(BOT_SCOPES),
                installation_store=InstallationStore(installations),
                installation_store_bot_only=True,
                state_store=SignedStates(config.client_secret),
                install_path=INSTALL_PATH,
                redirect_uri_path=REDIRECT_PATH,
            ),
        )
    else:
        bolt = AsyncApp(
            signing_secret=config.signing_secret,
            client=AsyncWebClient(token=config.bot_token, base_url=config.api_url),
            process_before_response=True,
        )
    _listen(bolt, bridge)
    _uninstalls(bolt, installations)
    return bolt


def _uninstalls(bolt: AsyncApp, installations: SqlInstallations) -> None:
    """A workspace that removes Tandem, or revokes its token, is forgotten at once."""

    async def forget(body: dict[str, Any]) -> None:
        team = inbound.team_of(body)
        removed = bool(team) and await asyncio.to_thread(remove, team)
        if removed:
            log.info("Slack workspace %s removed Tandem; its token is deleted", team)

    def remove(team: str) -> bool:
        return installations.remove(inbound.PLATFORM, team)

    @bolt.event("app_uninstalled")
    async def on_uninstalled(body: dict[str, Any]) -> None:
        await forget(body)

    @bolt.event("tokens_revoked")
    async def on_revoked(body: dict[str, Any]) -> None:
        if ((body.get("event") or {}).get("tokens") or {}).get("bot"):
            await forget(body)


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
        if (body.get("view") or {}).get("type") == "home":
            bridge.later(lambda: bridge.publish_home(event.actor))  # show what changed

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

    @bolt.event("app_home_opened")
    async def on_home(body: dict[str, Any]) -> None:
        if (body.get("event") or {}).get("tab", "home") != "home":
            return  # the Messages tab
        user = str((body.get("event") or {}).get("user", ""))
        actor = inbound.actor(inbound.team_of(body), user)
        bridge.later(lambda: bridge.publish_home(actor))

    @bolt.event("message")
    async def on_message(body: dict[str, Any]) -> None:
        event = inbound.direct_message(body)
        if event is None:
            return
        outcome = await bridge.handle(event)
        bridge.later(lambda: bridge.deliver(event.actor, outcome))

    @bolt.event(re.compile("^(?!app_uninstalled$|tokens_revoked$).+"))
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
    if outcome.replace is not None:  # the engine says how the message looks now
        kept, text = message_blocks(outcome.replace), fallback_text(outcome.replace)
    elif kind_of(str(action.get("block_id", ""))) in SHARED:
        return  # many people answer it: only the engine may change it
    else:  # the buttons give way to the answer, so nobody presses twice
        label = _label(action)
        kept = [b for b in message["blocks"] if b.get("type") != "actions"]
        chose = f"<@{actor.user}> chose *{escape(label)}*"
        kept.append({"type": "context", "elements": [{"type": "mrkdwn", "text": chose}]})
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
    flow = bolt.oauth_flow
    if flow is None:
        return

    async def install(request: web.Request) -> web.Response:
        return await to_aiohttp_response(
            await flow.handle_installation(await to_bolt_request(request))
        )

    async def redirect(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await flow.handle_callback(await to_bolt_request(request)))

    server.router.add_get(INSTALL_PATH, install)
    server.router.add_get(REDIRECT_PATH, redirect)
