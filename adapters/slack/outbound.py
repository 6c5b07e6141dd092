"""Sending to Slack: one Web API client per workspace, paced, never sleeping on a 429.

:class:`SlackSender` is the outbox's :class:`bot.dispatch.Sender` for Slack and is
also what the request path uses to answer at once. A 429 is not waited out here:
it becomes a :class:`SendError` with Slack's ``Retry-After``, and the outbox tries
again no earlier than that (the worker goes on with other workspaces meanwhile).
Posts to one channel are spaced ``pace`` seconds apart, Slack's guidance for
chat.postMessage.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from functools import partial
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from adapters.slack.render import fallback_text, message_blocks
from bot import messages as m
from bot.dispatch import SendError
from bot.model import Workspace

log = logging.getLogger(__name__)

# Errors that trying again cannot fix: the message is marked failed.
PERMANENT = frozenset(
    {
        "account_inactive",
        "cannot_dm_bot",
        "channel_not_found",
        "invalid_auth",
        "invalid_blocks",
        "is_archived",
        "msg_too_long",
        "no_permission",
        "not_authed",
        "not_in_channel",
        "restricted_action",
        "token_revoked",
        "user_disabled",
        "user_not_found",
        "users_not_found",
    }
)
Tokens = Callable[[str], str | None]  # team id -> bot token
METADATA_TYPE = "tandem_message"  # messages carry their outbox key as metadata
# Recent messages searched before sending a message again (Slack serves at most
# 15 per call to some apps; a message sent before a crash is among the latest).
HISTORY_LOOKBACK = 15


class SlackSender:
    def __init__(
        self,
        tokens: Tokens,
        api_url: str,
        *,
        pace: float = 1.0,
        sleep: Callable[[float], None] = time.sleep,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self._tokens = tokens
        self._api_url = api_url
        self._pace = pace
        self._sleep = sleep
        self._monotonic = monotonic
        self._last: dict[str, float] = {}  # channel -> when we last posted there
        # (team, API method) -> end of Slack's Retry-After: limits are per method.
        self._quiet_until: dict[tuple[str, str], float] = {}
        self._lock = threading.Lock()

    def token(self, team: str) -> str:
        """The workspace's bot token (:class:`SendError` when it has none)."""
        token = self._tokens(team)
        if not token:
            raise SendError(f"no token for workspace {team}", permanent=True)
        return token

    def client(self, team: str) -> WebClient:
        token = self.token(team)
        # No retry handler for 429: the outbox reschedules instead of blocking here.
        return WebClient(token=token, base_url=self._api_url, timeout=15)

    def send(self, workspace: Workspace, outbound: m.Outbound, *, again: bool = False) -> str:
        """Post ``outbound``; ``channel:ts`` of the message. Raises :class:`SendError`."""
        return self.post(workspace.external_id, outbound, again=again)

    def post(self, team: str, outbound: m.Outbound, *, again: bool = False) -> str:
        """Post ``outbound``, tagged with its key in the message's metadata. With
        ``again``, a DM or group DM is searched for that key first, so a message that
        reached Slack before a crash is recorded, not posted twice."""
        self._respect_retry_after(team, "chat.postMessage")
        client = self.client(team)
        opened = partial(self._channel, client, outbound.to)
        channel = self._call(opened, team, "conversations.open")
        if again and not isinstance(outbound.to, m.ToChannel):
            self._respect_retry_after(team, "conversations.history")
            found = self._call(
                partial(_posted, client, channel, outbound.key), team, "conversations.history"
            )
            if found is not None:
                return f"{channel}:{found}"
        self._wait_turn(channel)
        response = self._call(
            lambda: client.chat_postMessage(
                channel=channel,
                text=fallback_text(outbound.message),
                blocks=message_blocks(outbound.message),
                metadata={"event_type": METADATA_TYPE, "event_payload": {"key": outbound.key}},
                unfurl_links=False,
                unfurl_media=False,
            ),
            team,
            "chat.postMessage",
        )
        return f"{channel}:{response['ts']}"

    def open_modal(self, team: str, trigger_id: str, view: dict[str, Any]) -> None:
        client = self.client(team)
        self._call(partial(client.views_open, trigger_id=trigger_id, view=view), team, "views.open")

    def update(self, team: str, channel: str, ts: str, blocks: list[Any], text: str) -> None:
        self._respect_retry_after(team, "chat.update")
        client = self.client(team)
        update = partial(client.chat_update, channel=channel, ts=ts, blocks=blocks, text=text)
        self._call(update, team, "chat.update")

    def publish_home(self, team: str, user: str, view: dict[str, Any]) -> None:
        self._respect_retry_after(team, "views.publish")
        client = self.client(team)
        self._call(partial(client.views_publish, user_id=user, view=view), team, "views.publish")

    def _respect_retry_after(self, team: str, method: str) -> None:
        """After a 429, that method is not called for that workspace until Slack's
        Retry-After has passed."""
        with self._lock:
            wait = self._quiet_until.get((team, method), 0.0) - self._monotonic()
        if wait > 0:
            raise SendError("ratelimited", retry_after=wait)

    def _channel(self, client: WebClient, to: m.Recipient) -> str:
        if isinstance(to, m.ToChannel):
            return to.channel
        # conversations.open is idempotent: the same DM or group DM every time.
        users = ",".join(m.users_of(to))
        return str(client.conversations_open(users=users)["channel"]["id"])

    def _wait_turn(self, channel: str) -> None:
        with self._lock:
            now = self._monotonic()
            wait = self._last.get(channel, now - self._pace) + self._pace - now
            self._last[channel] = now + max(wait, 0.0)
        if wait > 0:
            self._sleep(wait)

    def _call(self, request: Callable[[], Any], team: str, method: str) -> Any:
        try:
            return request()
        except SlackApiError as error:
            failure = _send_error(error)
            if failure.retry_after:
                with self._lock:  # the longest wait wins, whichever thread saw it
                    until = self._monotonic() + failure.retry_after
                    key = (team, method)
                    self._quiet_until[key] = max(self._quiet_until.get(key, 0.0), until)
            raise failure from None
        except (SlackClientError, OSError) as error:
            # Network trouble: try again later. The type only; no payload in logs.
            raise SendError(f"network: {type(error).__name__}") from None


def _posted(client: WebClient, channel: str, key: str) -> str | None:
    """The ts of a recent message in ``channel`` that carries ``key``, if any."""
    history = client.conversations_history(
        channel=channel, limit=HISTORY_LOOKBACK, include_all_metadata=True
    )
    for message in history.get("messages") or ():
        metadata = message.get("metadata") or {}
        payload = metadata.get("event_payload") or {}
        if metadata.get("event_type") == METADATA_TYPE and payload.get("key") == key:
            return str(message["ts"])
    return None


def _send_error(error: SlackApiError) -> SendError:
    response = error.response
    code = str(response.get("error", "unknown")) if response is not None else "unknown"
    if response is not None and response.status_code == 429:
        retry = response.headers.get("Retry-After") or response.headers.get("retry-after")
        seconds = float(retry) if retry and str(retry).isdigit() else 30.0
        return SendError("ratelimited", retry_after=seconds)
    return SendError(code, permanent=code in PERMANENT)
