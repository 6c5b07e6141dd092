"""The Slack app on slack-bolt: verify, translate, call the engine, render, send.

Order matters for "nothing lost": each listener hands the event to the engine
first (one transaction: the event id, the new state and every reply in the
outbox), then acknowledges Slack, then delivers. A crash after the ack leaves
the replies in the outbox, where the dispatcher finds them. Bolt runs with
``process_before_response`` so that an event is only acknowledged once the
engine has it; delivery goes on in the background (:mod:`adapters.slack.bridge`).
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import re
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import inbound
from adapters.slack.bridge import SlackBridge
from adapters.slack.config import BOT_SCOPES, SlackConfig
from adapters.slack.installations import InstallationStore, SignedStates
from adapters.slack.render import escape, fallback_text, kind_of, message_blocks, modal
from bot.engine import Outcome
from bot.events import Actor
from store.installations import SqlInstallations

log = logging.getLogger(__name__)
EVENTS_PATH = "/slack/events"
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
SHARED = frozenset({"poll"})  # kinds of message that many people answer


def build_bolt(
    bridge: SlackBridge, config: SlackConfig, installations: SqlInstallations
) -> AsyncApp:
    """The bolt app with every listener Tandem needs: one workspace with a bot token,
    or many, installed through OAuth and kept in Tandem's database."""
    authorize = None
    if config.oauth:
        store = InstallationStore(installations)
        client = AsyncWebClient(base_url=config.api_url)
        # Cached, so an ack does not wait for auth.test on every request.
        authorize = AsyncInstallationStoreAuthorize(
            logger=log,
            installation_store=store,
            client_id=config.client_id,
            client_secret=config.client_secret,
            bot_only=True,
            cache_enabled=True,
            client=client,
        )
        bolt = AsyncApp(
            signing_secret=config.signing_secret,
            client=client,
            process_before_response=True,
            authorize=authorize,  # type: ignore[arg-type]  # bolt takes an AsyncAuthorize too
            installation_store=store,
            oauth_settings=AsyncOAuthSettings(
                client_id=config.client_id,
                client_secret=config.client_secret,
                scopes=list(BOT_SCOPES),
                installation_store=store,
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
    _uninstalls(bolt, installations, authorize)
    return bolt


def _uninstalls(
    bolt: AsyncApp,
    installations: SqlInstallations,
    authorize: AsyncInstallationStoreAuthorize | None,
) -> None:
    """A workspace that removes Tandem, or revokes its token, is forgotten at once."""

    async def forget(body: dict[str, Any]) -> None:
        team = inbound.team_of(body)
        if authorize is not None:
            authorize.authorize_result_cache.clear()  # no cached token outlives it
        removed = bool(team) and await asyncio.to_thread(remove, team)
        if removed:
            log.info("Slack workspace %s removed Tandem; its token is deleted", team)
        elif authorize is None:
            log.warning(
                "Slack workspace %s removed Tandem. Its token came from SLACK_BOT_TOKEN: "
                "remove it from the environment; Slack refuses it from now on.",
                team,
            )

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
        posts = dataclasses.replace(outcome, form=None)  # the form is shown already
        bridge.later(lambda: bridge.deliver(event.actor, posts))

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
    where = (str(container.get("channel_id")), str(container.get("message_ts")))
    if outcome.replace is not None:  # the engine says how the message looks now
        blocks, text = message_blocks(outcome.replace), fallback_text(outcome.replace)
        await bridge.update(actor.workspace, where, blocks, text, outcome.replace_version)
        return
    if kind_of(str(action.get("block_id", ""))) in SHARED:
        return  # many people answer it: only the engine may change it
    # The buttons give way to the answer, so nobody presses twice.
    kept = [b for b in message["blocks"] if b.get("type") != "actions"]
    chose = f"<@{actor.user}> chose *{escape(_label(action))}*"
    kept.append({"type": "context", "elements": [{"type": "mrkdwn", "text": chose}]})
    text = str(message.get("text", ""))  # Slack's own (already escaped) fallback text
    await bridge.update(actor.workspace, where, kept, text)


def _signed(verifier: SignatureVerifier, body: bytes, request: web.Request) -> bool:
    try:
        return verifier.is_valid(
            body=body,
            timestamp=request.headers.get("X-Slack-Request-Timestamp", ""),
            signature=request.headers.get("X-Slack-Signature", ""),
        )
    except (ValueError, TypeError):  # e.g. a timestamp that is not a number
        return False


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


def mount(server: web.Application, bolt: AsyncApp, signing_secret: str) -> None:
    """Serve the bolt app on ``server`` at ``/slack/events``.

    The signature is checked here, on the raw bytes, before anything parses the
    body: a request that is unsigned, stale, forged or malformed gets 401 (or 400
    when signed but unreadable), never a 500. Bolt checks it again.
    """
    verifier = SignatureVerifier(signing_secret)

    async def events(request: web.Request) -> web.Response:
        body = await request.read()
        if not _signed(verifier, body, request):
            return web.json_response({"error": "invalid signature"}, status=401)
        try:
            parsed = AsyncBoltRequest(
                body=body.decode("utf-8"), query=request.query_string, headers=dict(request.headers)
            )
        except (UnicodeDecodeError, ValueError, TypeError, KeyError, AttributeError):
            return web.json_response({"error": "unreadable request"}, status=400)
        return await to_aiohttp_response(await bolt.async_dispatch(parsed))

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
