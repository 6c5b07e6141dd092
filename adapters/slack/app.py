"""The Slack app on slack-bolt: verify, translate, store, acknowledge.

Each listener turns Slack's payload into an engine event and stores it in the
inbound queue (many requests share one transaction under load), then
acknowledges: nothing before the ack waits for the engine, a delivery, pacing or
the scheduler. A worker then hands the event to the engine and lets
:class:`adapters.slack.receiver.SlackReceiver` finish (open a modal, update the
pressed message); the outbox sends the replies. A crash after the ack loses
nothing: the event is in the queue.

One kind of request is answered by the engine before the ack: a submitted modal,
because Slack wants its validation errors (or the next page) in the ack itself.
The routes that hand requests to it are :mod:`adapters.slack.routes`.
"""

from __future__ import annotations

import asyncio
import logging
import re
from collections.abc import Mapping
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.authorization import AuthorizeResult
from slack_bolt.authorization.async_authorize import AsyncInstallationStoreAuthorize
from slack_bolt.oauth.async_oauth_settings import AsyncOAuthSettings
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import inbound
from adapters.slack.config import BOT_SCOPES, SlackConfig
from adapters.slack.installations import InstallationStore, SignedStates, Tokens
from adapters.slack.installations import remove_installation as forget_install
from adapters.slack.modals import modal
from adapters.slack.receiver import SlackReceiver
from adapters.slack.render import kind_of
from adapters.slack.routes import INSTALL_PATH, REDIRECT_PATH
from adapters.wiring import Server
from bot.engine import Outcome
from bot.handoff import Received

log = logging.getLogger(__name__)


class _OneLine(logging.Filter):
    """Bolt's and the Socket Mode client's logs as one line each: their tracebacks
    (a connection refused, a DNS failure) say nothing an operator can act on, and
    a warning about a token from the environment that Tandem passes itself is noise."""

    def filter(self, record: logging.LogRecord) -> bool:
        if "`token` will be unused" in record.getMessage():
            return False
        record.exc_info, record.exc_text, record.stack_info = None, None, None
        return True


# The logger bolt and the Socket Mode client are given.
BOLT_LOG = logging.getLogger("adapters.slack.bolt")
BOLT_LOG.addFilter(_OneLine())
_BUSY = (
    "Sorry, I can't take requests just now. Please try again in a minute; "
    "nothing you told me before was lost."
)
_HOMES_AT_ONCE = 8  # App Home refreshes in flight; more wait their turn


class Unavailable(Exception):
    """The queue could not store an event: Slack should send it again."""


def build_bolt(
    config: SlackConfig, server: Server, receiver: SlackReceiver, tokens: Tokens | None
) -> AsyncApp:
    """The bolt app with every listener Tandem needs: one workspace with a bot token,
    or many, installed through OAuth and kept in Tandem's database."""
    client = AsyncWebClient(base_url=config.api_url)
    if config.oauth:
        store = InstallationStore(server.core.uow, server.blocking)
        # Cached, so an ack does not wait for the database on every request.
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
            logger=BOLT_LOG,
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

        async def the_token(enterprise_id: str | None, team_id: str | None) -> AuthorizeResult:
            # The one token, as configured: no auth.test before the first ack, so
            # Slack's Web API being down cannot fail a request Tandem can queue.
            return AuthorizeResult(
                enterprise_id=enterprise_id, team_id=team_id, bot_token=config.bot_token
            )

        authorize = None
        bolt = AsyncApp(
            signing_secret=config.signing_secret,
            client=client,
            logger=BOLT_LOG,
            process_before_response=True,
            authorize=the_token,
        )
    _listen(bolt, server, receiver)
    _uninstalls(bolt, server, authorize, tokens)
    return bolt


async def _queue(server: Server, event: Any, context: Mapping[str, Any]) -> bool:
    try:
        return await server.accept(Received(event, context))
    except Exception as error:  # noqa: BLE001 - whatever the database said, Slack retries
        log.error("an event could not be queued: %s", type(error).__name__)
        raise Unavailable from None


def _listen(bolt: AsyncApp, server: Server, receiver: SlackReceiver) -> None:
    homes = asyncio.Semaphore(_HOMES_AT_ONCE)

    @bolt.command("/mentor")
    async def on_command(ack: Any, body: dict[str, Any]) -> None:
        event = inbound.command(body)
        try:
            await _queue(server, event, {"trigger": body.get("trigger_id")})
        except Unavailable:
            await ack(text=_BUSY)  # shown only to the person who asked
            return
        await ack()

    @bolt.action(re.compile(".+"))
    async def on_action(ack: Any, body: dict[str, Any], action: dict[str, Any]) -> None:
        event = inbound.choice(body, action)
        if event is not None:
            await _queue(server, event, _context(body, action))
        await ack()

    @bolt.view(re.compile(".+"))
    async def on_submit(ack: Any, body: dict[str, Any]) -> None:
        event = inbound.submission(body)
        outcome = await server.blocking(server.core.engine.handle, event)
        server.wake()
        if outcome.form_errors:
            await ack(response_action="errors", errors=_errors(body, outcome))
        elif outcome.form is not None:
            await ack(response_action="update", view=modal(outcome.form))
        else:
            await ack()

    @bolt.event("app_home_opened")
    async def on_home(body: dict[str, Any]) -> None:
        if (body.get("event") or {}).get("tab", "home") != "home":
            return  # the Messages tab
        user = str((body.get("event") or {}).get("user", ""))
        actor = inbound.actor(inbound.team_of(body), user)

        async def publish() -> None:
            async with homes:
                await server.after(receiver.publish_home, actor)

        server.later(publish())

    @bolt.event("message")
    async def on_message(body: dict[str, Any]) -> None:
        event = inbound.direct_message(body)
        if event is not None:
            await _queue(server, event, {})

    @bolt.event(re.compile("^(?!app_uninstalled$|tokens_revoked$).+"))
    async def on_other_event() -> None:
        """Every subscribed event gets a 2xx, handled or not."""


def _context(body: Mapping[str, Any], action: Mapping[str, Any]) -> dict[str, Any]:
    """What the receiver needs after the engine: the trigger (for a modal), the
    message whose button was pressed (to show the answer in place of its
    buttons), whether it was on the App Home (to refresh it)."""
    context: dict[str, Any] = {"trigger": body.get("trigger_id")}
    container = body.get("container") or {}
    message = body.get("message") or {}
    if container.get("type") == "message" and message.get("blocks"):
        context["pressed"] = {
            "channel": str(container.get("channel_id", "")),
            "ts": str(container.get("message_ts", "")),
            "blocks": message["blocks"],
            "text": str(message.get("text", "")),
            "label": _label(action),
            "kind": kind_of(str(action.get("block_id", ""))),
        }
    if (body.get("view") or {}).get("type") == "home":
        context["home"] = True
    return context


def _uninstalls(
    bolt: AsyncApp,
    server: Server,
    authorize: AsyncInstallationStoreAuthorize | None,
    tokens: Tokens | None,
) -> None:
    """A workspace that removes Tandem, or revokes its token, is forgotten at once."""

    async def forget(body: dict[str, Any]) -> None:
        team = inbound.team_of(body)
        if authorize is not None:
            authorize.authorize_result_cache.clear()  # no cached token outlives it
        if tokens is not None and team:
            tokens.forget(team)
        removed = bool(team) and await server.blocking(forget_install, server.core.uow, team)
        if removed:
            log.info("Slack workspace %s removed Tandem; its token is deleted", team)
        elif authorize is None:
            log.warning(
                "Slack workspace %s removed Tandem. Its token came from SLACK_BOT_TOKEN: "
                "remove it from the environment; Slack refuses it from now on.",
                team,
            )

    @bolt.event("app_uninstalled")
    async def on_uninstalled(body: dict[str, Any]) -> None:
        await forget(body)

    @bolt.event("tokens_revoked")
    async def on_revoked(body: dict[str, Any]) -> None:
        if ((body.get("event") or {}).get("tokens") or {}).get("bot"):
            await forget(body)


def _errors(body: dict[str, Any], outcome: Outcome) -> dict[str, str]:
    """Errors by input block; one about the whole form goes on the first input."""
    inputs = [b.get("block_id") for b in body["view"].get("blocks", []) if b.get("type") == "input"]
    errors: dict[str, str] = {}
    for name, text in outcome.form_errors.items():
        block = name if name in inputs else (inputs[0] if inputs else name)
        errors[block] = (f"{errors[block]} " if block in errors else "") + text
    return {block: text[:150] for block, text in errors.items()}


def _label(action: Mapping[str, Any]) -> str:
    if action.get("type") == "button":
        return str((action.get("text") or {}).get("text", ""))[:75]
    chosen = action.get("selected_option") or {}
    if chosen:
        return str((chosen.get("text") or {}).get("text", ""))[:75]
    picked = action.get("selected_options") or ()
    return ", ".join(str((o.get("text") or {}).get("text", "")) for o in picked)[:200]
