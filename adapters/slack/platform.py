"""Sending to Slack: the Web API, answered as send results, never slept through.

:class:`SlackPlatform` is Slack's :class:`bot.ports.Platform`. It never waits out
a 429: it answers :class:`RetryLater` with Slack's ``Retry-After`` for the whole
workspace, and the outbox sends nothing more there until it has passed (pacing
and order per conversation are the outbox's too). Errors Slack can only repeat
(a channel gone, a user deactivated, Tandem uninstalled) are :class:`Rejected`;
errors that may pass are retried. A 5xx or a timeout of ``chat.postMessage`` is
ambiguous (Slack may have posted): the outbox marks the message uncertain and,
before posting it again, Tandem looks for it in the conversation by its key,
which every message carries in its metadata.

A message with charts or files is posted first (its text bars stay, for whoever
sees no image), then its charts (PNG) and files go up into the same conversation,
as ``files_upload_v2`` does it. The send is delivered only once both are done:
any trouble after the post answers an *ambiguous* :class:`RetryLater`, so the next
try looks first, finds the message by its key and the files already shared by
their names (each carries a hash of the key), and uploads only what is missing.
"""

from __future__ import annotations

import logging
import threading
import urllib.error
from collections import OrderedDict
from collections.abc import Callable, Sequence
from typing import Any

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError, SlackClientError

from adapters.slack import files
from adapters.slack.history import METADATA_TYPE, NOTHING, Found, posted
from adapters.slack.installations import Tokens
from adapters.slack.render import fallback_text, message_blocks
from adapters.slack.results import file_result_of, result_of
from bot import outbound as m
from bot.model import Workspace
from bot.platform import Capabilities, Delivered, Rejected, RetryLater, Scope, SendResult

log = logging.getLogger(__name__)

PLATFORM = "slack"
CAPABILITIES = Capabilities(
    group_conversations=True,  # conversations.open with several users: a group DM
    forms=True,  # modals, opened with an interaction's trigger_id
    update_in_place=True,  # chat.update
    finds_sent=True,  # messages carry their key as metadata; history finds them
    max_text=3000,
    max_options=100,
    burst=3,  # Slack: about one message a second per channel, short bursts allowed
    per_second=1.0,
)
TIMEOUT = 15  # seconds for one Web API call
_REMEMBERED = 10_000  # DM channels, timezones


class SlackPlatform:
    """One Web API client per workspace token; every call's outcome as a result."""

    name = PLATFORM
    capabilities = CAPABILITIES

    def __init__(self, tokens: Tokens, api_url: str, *, timeout: int = TIMEOUT) -> None:
        self.tokens = tokens
        self._api_url = api_url
        self._timeout = timeout
        self._channels: OrderedDict[tuple[str, str], str] = OrderedDict()  # DMs by users
        self._zones: OrderedDict[tuple[str, str], str | None] = OrderedDict()
        # Files this process shared (team, channel, name): history may lag behind.
        self._shared: OrderedDict[tuple[str, str, str], bool] = OrderedDict()
        self._lock = threading.Lock()

    # --- the outbox's calls ------------------------------------------------------------

    def send(
        self, workspace: Workspace, outbound: m.Outbound, *, again: bool = False
    ) -> SendResult:
        """Post ``outbound``, tagged with its key in the message's metadata, then
        upload its charts and files into the same conversation. With ``again``, a DM
        or group DM is searched for that key (and those files) first, so what
        reached Slack before a crash is recorded, not posted twice."""
        client = self._client(workspace.external_id)
        if client is None:
            return Rejected("Tandem is not installed in this workspace")
        uploads = files.uploads(outbound)
        problem = files.too_large(uploads)
        if problem is not None:  # before anything is posted: all or nothing
            return Rejected(problem)
        try:
            channel = self._channel(client, workspace.external_id, outbound.to)
        except SlackApiError as error:
            return result_of(error, ambiguous=False)
        except (SlackClientError, OSError) as error:
            return RetryLater(f"network: {type(error).__name__}")
        found = self._look_up(client, channel, outbound) if again else NOTHING
        if isinstance(found, RetryLater):
            return found
        if found.ts is None:
            posted = self._post(client, channel, outbound)
            if not isinstance(posted, Delivered) or not uploads:
                return posted
            found = Found(posted.platform_id.partition(":")[2], found.names)
        team = workspace.external_id
        missing = [u for u in uploads if not self._has(team, channel, u.filename, found.names)]
        return self._share(client, team, channel, missing) or Delivered(f"{channel}:{found.ts}")

    def _look_up(self, client: WebClient, channel: str, outbound: m.Outbound) -> Found | RetryLater:
        """The message and the files Slack has in a DM or group DM (a channel's
        history is not Tandem's to read); a 429 makes this one conversation wait
        (history has limits of its own); any other trouble looking means posting:
        a message twice is better than a message never."""
        if isinstance(outbound.to, m.ToChannel):
            return NOTHING
        key = outbound.key
        try:
            return posted(client, channel, key)
        except SlackApiError as error:
            if error.response is not None and error.response.status_code == 429:
                result = result_of(error, ambiguous=False, scope=Scope.CONVERSATION)
                assert isinstance(result, RetryLater)
                return result
            log.warning("could not look for %s before posting it again", key)
        except (SlackClientError, OSError) as error:
            return RetryLater(f"network: {type(error).__name__}")
        return NOTHING

    def _has(self, team: str, channel: str, name: str, names: frozenset[str]) -> bool:
        with self._lock:
            return name in names or (team, channel, name) in self._shared

    def _share(
        self, client: WebClient, team: str, channel: str, uploads: Sequence[files.Upload]
    ) -> SendResult | None:
        """Upload and share these into ``channel``, one by one, in order; what went
        wrong (None: nothing). The message is posted by now, so any trouble is
        ambiguous: the next try looks before posting or uploading anything again."""
        for upload in uploads:
            trouble = _upload(client, channel, upload)
            if trouble is not None:
                return trouble
            with self._lock:
                _remember(self._shared, (team, channel, upload.filename), True)
        return None

    def _post(self, client: WebClient, channel: str, outbound: m.Outbound) -> SendResult:
        try:
            response = client.chat_postMessage(
                channel=channel,
                text=fallback_text(outbound.message),
                blocks=message_blocks(outbound.message),
                metadata={"event_type": METADATA_TYPE, "event_payload": {"key": outbound.key}},
                unfurl_links=False,
                unfurl_media=False,
            )
        except SlackApiError as error:
            return result_of(error, ambiguous=True)
        except (SlackClientError, OSError) as error:
            # The request may have reached Slack before the connection broke.
            return RetryLater(f"network: {type(error).__name__}", ambiguous=True)
        return Delivered(f"{channel}:{response['ts']}")

    def update(self, workspace: Workspace, platform_id: str, message: m.Message) -> SendResult:
        channel, _, ts = platform_id.partition(":")
        return self.update_blocks(
            workspace.external_id, channel, ts, message_blocks(message), fallback_text(message)
        )

    # --- the request path's calls ------------------------------------------------------

    def update_blocks(
        self, team: str, channel: str, ts: str, blocks: list[Any], text: str
    ) -> SendResult:
        """Replace a message's blocks (the buttons of a pressed message, a poll's tally)."""
        return self._call(
            team, lambda c: c.chat_update(channel=channel, ts=ts, blocks=blocks, text=text)
        )

    def open_modal(self, team: str, trigger_id: str, view: dict[str, Any]) -> SendResult:
        return self._call(team, lambda c: c.views_open(trigger_id=trigger_id, view=view))

    def publish_home(self, team: str, user_id: str, view: dict[str, Any]) -> SendResult:
        return self._call(team, lambda c: c.views_publish(user_id=user_id, view=view))

    def timezone(self, team: str, user_id: str, timeout: int = 1) -> str | None:
        """The person's timezone from their Slack profile (remembered a while); None
        when Slack does not say in time: a default answer is a nicety, not a need."""
        with self._lock:
            if (team, user_id) in self._zones:
                return self._zones[(team, user_id)]
        client = self._client(team, timeout=timeout)
        if client is None:
            return None
        try:
            info = client.users_info(user=user_id)
        except (SlackApiError, SlackClientError, OSError):
            return None  # not remembered: next time Slack may answer
        zone = info["user"].get("tz") if info.get("ok") else None
        with self._lock:
            _remember(self._zones, (team, user_id), zone)
        return str(zone) if zone else None

    # --- plumbing --------------------------------------------------------------------------

    def _client(self, team: str, *, timeout: int | None = None) -> WebClient | None:
        token = self.tokens(team)
        if not token:
            return None
        # No retry handlers at all: a 429 is the outbox's to wait out, and slack_sdk's
        # retry after a broken connection could post a message twice.
        return WebClient(
            token=token,
            base_url=self._api_url,
            timeout=timeout or self._timeout,
            retry_handlers=[],
        )

    def _call(self, team: str, request: Callable[[WebClient], Any]) -> SendResult:
        client = self._client(team)
        if client is None:
            return Rejected("Tandem is not installed in this workspace")
        try:
            request(client)
        except SlackApiError as error:
            return result_of(error, ambiguous=False)
        except (SlackClientError, OSError) as error:
            return RetryLater(f"network: {type(error).__name__}")
        return Delivered()

    def _channel(self, client: WebClient, team: str, to: m.Recipient) -> str:
        if isinstance(to, m.ToChannel):
            return to.channel
        users = ",".join(m.users_of(to))
        with self._lock:
            known = self._channels.get((team, users))
        if known is not None:
            return known
        # conversations.open is idempotent: the same DM or group DM every time.
        channel = str(client.conversations_open(users=users)["channel"]["id"])
        with self._lock:
            _remember(self._channels, (team, users), channel)
        return channel


def _upload(client: WebClient, channel: str, upload: files.Upload) -> SendResult | None:
    """One ``files_upload_v2`` call: the file's upload URL, its bytes, then
    files.completeUploadExternal sharing it into ``channel`` (a file without a
    channel would stay private to Tandem)."""
    try:
        client.files_upload_v2(channel=channel, **upload.arguments())
    except SlackApiError as error:
        return file_result_of(error)
    except urllib.error.HTTPError as error:  # the upload URL's own answer
        return RetryLater(f"upload: http {error.code}", ambiguous=True)
    except (SlackClientError, OSError) as error:
        return RetryLater(f"upload: {type(error).__name__}", ambiguous=True)
    return None


def _remember(cache: OrderedDict[Any, Any], key: Any, value: Any) -> None:
    cache[key] = value
    cache.move_to_end(key)
    if len(cache) > _REMEMBERED:
        cache.popitem(last=False)
