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

This module is the fake on the wire (HTTP, Socket Mode, the faults asked for);
what it knows and the methods themselves are :mod:`fakes.slack_api`, how it
misbehaves :mod:`fakes.slack_faults`, and requests as Slack sends them to an app
:mod:`fakes.slack_requests`.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl

from aiohttp import WSMsgType, web

from fakes.slack_api import APP_TOKEN, BOT_TOKEN, BOT_USER, TEAM, Call, SlackApi
from fakes.slack_faults import Faults

__all__ = ["APP_TOKEN", "BOT_TOKEN", "BOT_USER", "TEAM", "Call", "FakeSlack", "Faults"]


@dataclass
class FakeSlack(SlackApi):
    """The fake on HTTP (and Socket Mode), with the faults a test asks for."""

    calls: list[Call] = field(default_factory=list)
    # method -> responses to give before answering normally: (status, body, headers)
    scripted: dict[str, list[tuple[int, dict[str, Any], dict[str, str]]]] = field(
        default_factory=dict
    )
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
