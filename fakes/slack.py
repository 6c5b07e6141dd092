"""A fake Slack Web API on 127.0.0.1, speaking Slack's wire format.

It records every call whole (method, token, body), answers the way Slack does
(``{"ok": false, "error": ...}`` with HTTP 200, or HTTP 429 with ``Retry-After``)
and checks arguments as Slack would: a token that isn't ours is
``invalid_auth``, blocks and views must parse with slack_sdk's models (which
apply Block Kit's limits), a DM needs a user that exists.

Files go up as with ``files_upload_v2``: ``files.getUploadURLExternal`` hands out
an upload URL on the fake's own host, the bytes are POSTed there (and kept), and
``files.completeUploadExternal`` shares them into a conversation, where they show
in its history as a message with ``files``, as in Slack.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import contextlib
import hashlib
import hmac
import itertools
import json
import random
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlencode

from aiohttp import WSMsgType, web
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

TEAM = "T0TANDEM"
BOT_TOKEN = "xoxb-test-token"
BOT_USER = "U0TANDEMBOT"
APP_TOKEN = "xapp-test-token"


@dataclass
class Call:
    method: str
    token: str
    body: dict[str, Any]


@dataclass
class Faults:
    """How the fake misbehaves, as Slack does under load; seeded, so a run repeats.

    Of the calls to ``methods``: ``ratelimited`` of them get 429 with
    ``Retry-After``; ``errors`` get a 500 (an HTML page, as from a proxy) and do
    nothing; ``posted_then_error`` do their work (the message is in the channel)
    and then answer 500. Every answer waits ``delay`` seconds first (a slow Slack).
    """

    ratelimited: float = 0.0
    retry_after: int = 1
    errors: float = 0.0
    posted_then_error: float = 0.0
    delay: float = 0.0
    methods: frozenset[str] = frozenset({"chat.postMessage"})
    seed: int = 7
    seen: Counter[str] = field(default_factory=Counter)  # what happened, by outcome
    _random: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)

    def roll(self, method: str) -> str:
        """What happens to this call: ok, ratelimited, error or posted_then_error."""
        if method not in self.methods:
            return "ok"
        roll = self._random.random()
        for outcome, share in (
            ("ratelimited", self.ratelimited),
            ("error", self.errors),
            ("posted_then_error", self.posted_then_error),
        ):
            if roll < share:
                self.seen[outcome] += 1
                return outcome
            roll -= share
        self.seen["ok"] += 1
        return "ok"


@dataclass
class FakeSlack:
    users: dict[str, dict[str, Any]] = field(default_factory=dict)  # id -> profile
    calls: list[Call] = field(default_factory=list)
    # method -> responses to give before answering normally: (status, body, headers)
    scripted: dict[str, list[tuple[int, dict[str, Any], dict[str, str]]]] = field(
        default_factory=dict
    )
    url: str = ""
    tokens: dict[str, str] = field(default_factory=lambda: {BOT_TOKEN: TEAM})  # token -> team
    # OAuth: the app's credentials, and the workspace each code installs into.
    client: tuple[str, str] = ("1111.2222", "client-secret")
    codes: dict[str, str] = field(default_factory=dict)  # code -> team id
    history: dict[str, list[dict[str, Any]]] = field(default_factory=dict)  # newest first
    _ts: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    # Socket Mode: the app's connection, and the envelope ids it acknowledged.
    socket: web.WebSocketResponse | None = None
    connected: asyncio.Event = field(default_factory=asyncio.Event)
    acks: asyncio.Queue[dict[str, Any]] = field(default_factory=asyncio.Queue)
    # Methods that wait (unanswered) until the test releases them: a slow Slack.
    held: dict[str, asyncio.Event] = field(default_factory=dict)
    _runner: web.AppRunner | None = None
    keep_calls: bool = True  # a long benchmark run keeps none, so memory stays flat
    faults: Faults = field(default_factory=Faults)
    # A token whose n-th post is made and then never answered: its sender is stuck
    # mid-send, the message in the channel and not recorded (a test kills it there).
    stall_at: dict[str, int] = field(default_factory=dict)
    stalled: asyncio.Event = field(default_factory=asyncio.Event)
    _posts_by: Counter[str] = field(default_factory=Counter)
    _stopping: asyncio.Event = field(default_factory=asyncio.Event)
    counts: Counter[str] = field(default_factory=Counter)  # calls per method
    # Files: every one asked for (id -> name, title, length), the bytes POSTed to its
    # upload URL, and the ids completed (shared, or kept private without a channel).
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    uploaded: dict[str, bytes] = field(default_factory=dict)
    completed: list[str] = field(default_factory=list)

    def add_user(self, user: str, name: str, tz: str = "Europe/Berlin") -> None:
        self.users[user] = {"id": user, "name": name, "real_name": name, "tz": tz}

    def fail_next(
        self, method: str, status: int, error: str, headers: dict[str, str] | None = None
    ) -> None:
        self.scripted.setdefault(method, []).append(
            (status, {"ok": False, "error": error}, headers or {})
        )

    def of(self, method: str) -> list[Call]:
        return [c for c in self.calls if c.method == method]

    def posted(self) -> Counter[str]:
        """How many messages in all conversations carry each outbox key."""
        return Counter(
            str(((message.get("metadata") or {}).get("event_payload") or {}).get("key"))
            for messages in self.history.values()
            for message in messages
            if message.get("metadata")
        )

    def shared(self, channel: str) -> list[dict[str, Any]]:
        """The files shared into ``channel`` (each share of each file), oldest first,
        with the bytes uploaded for them."""
        return [
            {**file, "bytes": self.uploaded.get(file["id"], b"")}
            for message in reversed(self.history.get(channel, []))
            for file in message.get("files") or ()
        ]

    def posts_to(self, channel: str) -> list[dict[str, Any]]:
        return [c.body for c in self.of("chat.postMessage") if c.body.get("channel") == channel]

    async def start(self, port: int = 0) -> FakeSlack:
        server = web.Application()
        server.router.add_get("/api/socket", self._socket)
        server.router.add_get("/_stats", self._stats)
        server.router.add_post("/upload/v1/{file_id}", self._upload)
        server.router.add_post("/api/{method}", self._api)
        server.router.add_get("/api/{method}", self._api)  # Slack takes GET for reads
        self._runner = web.AppRunner(server)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", port)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}/api/"
        return self

    async def stop(self) -> None:
        self._stopping.set()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _stats(self, _: web.Request) -> web.Response:
        """How many calls of each method were answered (for benchmarks in another process)."""
        return web.json_response(dict(self.counts))

    # --- Socket Mode ---------------------------------------------------------------

    async def _socket(self, request: web.Request) -> web.WebSocketResponse:
        socket = web.WebSocketResponse()
        await socket.prepare(request)
        self.socket = socket
        await socket.send_json({"type": "hello", "num_connections": 1})
        self.connected.set()
        async for message in socket:
            if message.type == WSMsgType.TEXT:
                await self.acks.put(json.loads(message.data))
        return socket

    async def envelope(
        self, kind: str, payload: dict[str, Any], envelope_id: str
    ) -> dict[str, Any]:
        """Send one request over the socket, as Slack does; the app's acknowledgement."""
        assert self.socket is not None, "the app has not connected"
        await self.socket.send_json(
            {
                "envelope_id": envelope_id,
                "type": kind,
                "payload": payload,
                "accepts_response_payload": kind != "events_api",
                "retry_attempt": 0,
                "retry_reason": "",
            }
        )
        return await asyncio.wait_for(self.acks.get(), timeout=10)

    # --- the API ---------------------------------------------------------------------

    async def _api(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        body = await _body(request)
        authorization = request.headers.get("Authorization", "")
        token = authorization.removeprefix("Bearer ").strip() if "Bearer" in authorization else ""
        token = token or str(body.get("token", ""))
        self.counts[method] += 1
        if self.keep_calls:
            self.calls.append(Call(method, token, body))
        fault, early = await self._misbehave(method)
        if early is not None:
            return early
        answer: web.Response = self._answer(method, token, authorization, body)
        if method == "chat.postMessage" and token in self.stall_at:
            self._posts_by[token] += 1
            if self._posts_by[token] == self.stall_at[token]:
                self.stalled.set()
                await self._stopping.wait()  # not answered while the fake runs
        if fault in ("posted_then_error", "scripted_then"):
            return web.Response(status=500, text="<html>Internal Server Error</html>")
        return answer

    async def _misbehave(self, method: str) -> tuple[str, web.Response | None]:
        """Hold, slow down or refuse a call as asked: the fault rolled, and the answer
        to give instead of doing the work (None: do it)."""
        if method in self.held:
            await self.held[method].wait()
        if self.faults.delay:
            await asyncio.sleep(self.faults.delay)  # the network and Slack, slowly
        if self.scripted.get(method):
            status, scripted, headers = self.scripted[method].pop(0)
            if status == 0:  # scripted "do the work, then answer this"
                return "scripted_then", None
            return "scripted", web.json_response(scripted, status=status, headers=headers)
        fault = self.faults.roll(method)
        if fault == "ratelimited":
            headers = {"Retry-After": str(self.faults.retry_after)}
            answer = web.json_response(
                {"ok": False, "error": "ratelimited"}, status=429, headers=headers
            )
            return fault, answer
        if fault == "error":
            return fault, web.Response(status=500, text="<html>Internal Server Error</html>")
        return fault, None

    async def _upload(self, request: web.Request) -> web.Response:
        """An upload URL from ``files.getUploadURLExternal``: the file's bytes, raw
        (or as the ``file`` part of a multipart form)."""
        file_id = request.match_info["file_id"]
        data = await _upload_bytes(request)
        self.counts["upload"] += 1
        if self.keep_calls:
            self.calls.append(Call("upload", "", {"file_id": file_id, "bytes": data}))
        fault, early = await self._misbehave("upload")
        if early is not None:
            return early
        if file_id not in self.files or file_id in self.completed:
            return web.Response(status=404, text="not found")
        self.uploaded[file_id] = data
        if fault in ("posted_then_error", "scripted_then"):
            return web.Response(status=500, text="<html>Internal Server Error</html>")
        return web.Response(text=f"OK - {len(data)}")

    def then_fail(self, method: str) -> None:
        """The next call of ``method`` does its work, then answers 500."""
        self.scripted.setdefault(method, []).append((0, {}, {}))

    def _answer(
        self, method: str, token: str, authorization: str, body: dict[str, Any]
    ) -> web.Response:
        if method == "oauth.v2.access":
            return web.json_response(self._oauth(authorization, body))
        if method == "apps.connections.open":
            if token != APP_TOKEN:
                return _error("invalid_auth")
            return web.json_response({"ok": True, "url": self.url.replace("http", "ws") + "socket"})
        if token not in self.tokens:
            return _error("invalid_auth" if token else "not_authed")
        handler = getattr(self, "_" + method.replace(".", "_"), None)
        if handler is None:
            return _error("unknown_method")
        answer = handler({**body, "_team": self.tokens[token]})
        return web.json_response({"ok": True, **answer} if "error" not in answer else answer)

    def _auth_test(self, body: dict[str, Any]) -> dict[str, Any]:
        team = body["_team"]
        return {"team_id": team, "user_id": BOT_USER, "bot_id": "B0TANDEM", "team": team}

    def _oauth(self, authorization: str, body: dict[str, Any]) -> dict[str, Any]:
        client_id, secret = str(body.get("client_id", "")), str(body.get("client_secret", ""))
        if authorization.startswith("Basic "):
            decoded = base64.b64decode(authorization.removeprefix("Basic ")).decode()
            client_id, _, secret = decoded.partition(":")
        if (client_id, secret) != self.client:
            return {"ok": False, "error": "invalid_client_id"}
        team = self.codes.pop(str(body.get("code", "")), None)
        if team is None:
            return {"ok": False, "error": "invalid_code"}
        token = f"xoxb-{team.lower()}"
        self.tokens[token] = team
        return {
            "ok": True,
            "app_id": "A0TANDEM",
            "access_token": token,
            "token_type": "bot",
            "scope": (
                "commands,chat:write,im:write,mpim:write,im:history,mpim:history,"
                "users:read,files:write"
            ),
            "bot_user_id": BOT_USER,
            "team": {"id": team, "name": team},
            "enterprise": None,
            "is_enterprise_install": False,
            "authed_user": {"id": "U0INSTALLER"},
        }

    def _users_info(self, body: dict[str, Any]) -> dict[str, Any]:
        user = self.users.get(str(body.get("user")))
        return {"user": user} if user else {"ok": False, "error": "user_not_found"}

    def _conversations_open(self, body: dict[str, Any]) -> dict[str, Any]:
        users = [u for u in str(body.get("users", "")).split(",") if u]
        if not users or any(u not in self.users for u in users):
            return {"ok": False, "error": "user_not_found"}
        prefix = "D" if len(users) == 1 else "G"
        return {"channel": {"id": prefix + "".join(sorted(u[-4:] for u in users))}}

    def _chat_postMessage(self, body: dict[str, Any]) -> dict[str, Any]:
        if not body.get("channel"):
            return {"ok": False, "error": "channel_not_found"}
        if not body.get("text") and not body.get("blocks"):
            return {"ok": False, "error": "no_text"}
        problem = _blocks_problem(body.get("blocks"))
        if problem:
            return {"ok": False, "error": "invalid_blocks", "errors": [problem]}
        metadata = body.get("metadata")
        if metadata is not None and (
            not isinstance(metadata.get("event_type"), str)
            or not isinstance(metadata.get("event_payload"), dict)
        ):
            return {"ok": False, "error": "invalid_metadata_format"}
        ts = f"1700000000.{next(self._ts):06d}"
        self.history.setdefault(body["channel"], []).insert(
            0, {"type": "message", "ts": ts, "text": body.get("text"), "metadata": metadata}
        )
        return {"channel": body["channel"], "ts": ts}

    def _files_getUploadURLExternal(self, body: dict[str, Any]) -> dict[str, Any]:
        filename, length = str(body.get("filename") or ""), str(body.get("length") or "")
        if not filename or not length.isdigit() or int(length) < 1:
            return {"ok": False, "error": "invalid_arguments"}
        file_id = f"F{next(self._ts):09d}"
        self.files[file_id] = {
            "id": file_id,
            "name": filename,
            "title": filename,
            "size": int(length),
            "alt_txt": body.get("alt_txt") or "",
        }
        upload_url = self.url.removesuffix("api/") + f"upload/v1/{file_id}"
        return {"upload_url": upload_url, "file_id": file_id}

    def _files_completeUploadExternal(self, body: dict[str, Any]) -> dict[str, Any]:
        files = body.get("files")
        if isinstance(files, str):
            files = json.loads(files)
        if not isinstance(files, list) or not files or not all(isinstance(f, dict) for f in files):
            return {"ok": False, "error": "invalid_arguments"}
        ids = [str(f.get("id")) for f in files]
        if any(i not in self.uploaded or i in self.completed for i in ids):
            return {"ok": False, "error": "file_not_found"}  # never uploaded, or done already
        for f in files:
            if f.get("title"):
                self.files[str(f["id"])]["title"] = str(f["title"])
        done = [self.files[i] for i in ids]
        for file in done:
            if len(self.uploaded[file["id"]]) != file["size"]:
                return {"ok": False, "error": "file_size_mismatch"}
        self.completed.extend(ids)
        channel = str(body.get("channel_id") or "")
        if channel:  # shared: a message in the conversation (or in a thread of it)
            ts = f"1700000000.{next(self._ts):06d}"
            message = {
                "type": "message",
                "ts": ts,
                "user": BOT_USER,
                "text": body.get("initial_comment") or "",
                "upload": True,
                "files": [dict(file) for file in done],
            }
            if body.get("thread_ts"):
                message["thread_ts"] = body["thread_ts"]
            self.history.setdefault(channel, []).insert(0, message)
        return {"files": [{**file, "shares": {}} for file in done]}

    def _conversations_history(self, body: dict[str, Any]) -> dict[str, Any]:
        messages = self.history.get(str(body.get("channel")), [])[: int(body.get("limit", 100))]
        if str(body.get("include_all_metadata")).lower() not in {"true", "1"}:
            messages = [{k: v for k, v in x.items() if k != "metadata"} for x in messages]
        return {"messages": messages, "has_more": False}

    def _chat_update(self, body: dict[str, Any]) -> dict[str, Any]:
        if not body.get("channel") or not body.get("ts"):
            return {"ok": False, "error": "message_not_found"}
        problem = _blocks_problem(body.get("blocks"))
        if problem:
            return {"ok": False, "error": "invalid_blocks", "errors": [problem]}
        return {"channel": body["channel"], "ts": body["ts"]}

    def _views_open(self, body: dict[str, Any]) -> dict[str, Any]:
        if not body.get("trigger_id"):
            return {"ok": False, "error": "invalid_trigger_id"}
        problem = _view_problem(body.get("view"))
        if problem:
            return {"ok": False, "error": "invalid_arguments", "response_metadata": [problem]}
        return {"view": {"id": f"V{next(self._ts):08d}", **body["view"]}}

    def _views_publish(self, body: dict[str, Any]) -> dict[str, Any]:
        if str(body.get("user_id")) not in self.users:
            return {"ok": False, "error": "user_not_found"}
        problem = _view_problem(body.get("view"))
        if problem:
            return {"ok": False, "error": "invalid_arguments", "response_metadata": [problem]}
        return {"view": {"id": f"V{next(self._ts):08d}", **body["view"]}}


def _error(code: str) -> web.Response:
    return web.json_response({"ok": False, "error": code})


async def _body(request: web.Request) -> dict[str, Any]:
    if request.method == "GET":
        return dict(request.query)
    if request.content_type == "application/json":
        data = await request.json()
        return {**request.query, **dict(data)}
    # slack_sdk puts some methods' arguments in the query string (Slack takes both).
    fields = {**request.query, **dict(parse_qsl(await request.text(), keep_blank_values=True))}
    for name in ("blocks", "view", "attachments", "files"):
        if name in fields:
            fields[name] = json.loads(fields[name])
    return fields


async def _upload_bytes(request: web.Request) -> bytes:
    if request.content_type.startswith("multipart/"):
        async for part in await request.multipart():
            if getattr(part, "name", None) == "file":
                return bytes(await part.read())  # type: ignore[union-attr]
        return b""
    return await request.read()


def _blocks_problem(blocks: Any) -> str | None:
    if blocks is None:
        return None
    if isinstance(blocks, str):
        blocks = json.loads(blocks)
    if not isinstance(blocks, list) or len(blocks) > 50:
        return "blocks must be a list of at most 50"
    try:
        for block in Block.parse_all(blocks):
            block.to_dict()  # runs slack_sdk's validators (lengths, counts)
    except Exception as error:  # noqa: BLE001 - any failure is Slack's invalid_blocks
        return f"{type(error).__name__}: {error}"
    return None


def _view_problem(view: Any) -> str | None:
    if isinstance(view, str):
        view = json.loads(view)
    if not isinstance(view, dict):
        return "view is required"
    try:
        View(**view).to_dict()
    except Exception as error:  # noqa: BLE001 - any failure is Slack's invalid_arguments
        return f"{type(error).__name__}: {error}"
    return None


# --- requests as Slack sends them ---------------------------------------------------


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


async def _serve(users: int, port: int) -> None:
    fake = FakeSlack()
    for n in range(users):
        fake.add_user(f"U0L{n:05d}", f"Person {n}")
    fake.keep_calls = False
    await fake.start(port)
    print(fake.url, flush=True)
    await asyncio.Event().wait()


def main() -> None:
    """``python -m fakes.slack --users N``: serve the fake on 127.0.0.1, print its URL."""
    parser = argparse.ArgumentParser(description=main.__doc__)
    parser.add_argument("--users", type=int, default=100)
    parser.add_argument("--port", type=int, default=0)
    args = parser.parse_args()
    with contextlib.suppress(KeyboardInterrupt):
        asyncio.run(_serve(args.users, args.port))


if __name__ == "__main__":
    main()
