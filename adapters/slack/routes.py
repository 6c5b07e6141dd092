"""Slack's routes on ``tandem serve``: the events URL (the signature checked on the
raw bytes before anything parses them, then bolt) and, with OAuth, the install
and redirect pages."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import parse_qs

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_sdk.signature import SignatureVerifier

from adapters.slack import inbound

EVENTS_PATH = "/slack/events"
INSTALL_PATH = "/slack/install"
REDIRECT_PATH = "/slack/oauth_redirect"
MAX_BODY = 1_000_000  # Slack's requests are far smaller


def mount(server: web.Application, bolt: AsyncApp, signing_secret: str) -> None:
    """Serve the bolt app on ``server`` at ``/slack/events``.

    The signature is checked here, on the raw bytes, before anything parses the
    body: a request that is unsigned, stale or forged gets 401; one that is signed
    but malformed gets 400 (never a 500). If the queue cannot store an event,
    Slack gets 503 and sends it again. Bolt checks the signature again.
    """
    verifier = SignatureVerifier(signing_secret)

    async def events(request: web.Request) -> web.Response:
        if (request.content_length or 0) > MAX_BODY:
            return web.json_response({"error": "request too large"}, status=413)
        body = await request.read()
        if not _signed(verifier, body, request):
            return web.json_response({"error": "invalid signature"}, status=401)
        try:
            text = body.decode("utf-8")
            shape = _parsed(text)
            parsed = AsyncBoltRequest(
                body=text, query=request.query_string, headers=dict(request.headers)
            )
        except (UnicodeDecodeError, ValueError, TypeError, KeyError, AttributeError):
            return web.json_response({"error": "unreadable request"}, status=400)
        problem = "not an object" if shape is None else inbound.problem(shape)
        if problem is not None:
            return web.json_response({"error": f"malformed request: {problem}"}, status=400)
        response = await bolt.async_dispatch(parsed)
        if response.status >= 500:
            # A listener could not store the event: Slack tries again later.
            return web.json_response({"error": "try again later"}, status=503)
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


def _signed(verifier: SignatureVerifier, body: bytes, request: web.Request) -> bool:
    try:
        return verifier.is_valid(
            body=body,
            timestamp=request.headers.get("X-Slack-Request-Timestamp", ""),
            signature=request.headers.get("X-Slack-Signature", ""),
        )
    except (ValueError, TypeError):  # e.g. a timestamp that is not a number
        return False


def _parsed(text: str) -> Mapping[str, Any] | None:
    """The body as bolt will see it (None when it is not an object)."""
    if text.startswith("{"):
        found = json.loads(text)
        return found if isinstance(found, Mapping) else None
    fields = {k: v[-1] for k, v in parse_qs(text, keep_blank_values=True).items()}
    if "payload" not in fields:
        return fields
    found = json.loads(fields["payload"])
    return found if isinstance(found, Mapping) else None
