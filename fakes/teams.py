"""Fakes of Teams' side, speaking the Bot Framework's wire formats over HTTP.

This module is the Bot Connector (:class:`FakeConnector`). It records every request
whole (the bearer it carried too), keeps what was posted per conversation (a PUT
replaces it), checks every card against the Adaptive Cards 1.5 schema, and answers
429 with Retry-After, 412, 502 or 403 on demand, or holds requests until released.
It opens a one-to-one chat as Teams does: one member, a tenant, the member named by
their Teams id (``29:...``); an Entra object id only where the app is installed for
them (``entra_ids``); the same chat however often.

The others are :class:`fakes.teams_keys.KeyServer` (the Bot Framework's signing
keys) and :class:`fakes.teams_login.LoginAuthority` (the bot's own token). They run
on event loops of their own threads (:mod:`fakes.background`): nothing the bot's
loop does can hold them up, as with the real ones.
"""

from __future__ import annotations

import asyncio
import itertools
import json
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
from aiohttp import web

CARD = "application/vnd.microsoft.card.adaptive"
CARD_SCHEMA = Path(__file__).resolve().parents[1] / "tests" / "schemas" / "adaptive-cards"


@dataclass
class Call:
    method: str
    path: str
    bearer: str
    body: dict[str, Any]


@dataclass
class FakeConnector:
    """The Bot Connector, on 127.0.0.1 (in the test's loop): Tandem's service URL."""

    members: dict[str, dict[str, Any]] = field(default_factory=dict)  # Teams id -> member
    calls: list[Call] = field(default_factory=list)
    posted: dict[str, list[dict[str, Any]]] = field(
        default_factory=dict
    )  # conversation -> activities
    card_problems: list[str] = field(default_factory=list)
    # (method, what) -> answers to give first, (status, headers); what is activities,
    # conversations or members
    scripted: dict[tuple[str, str], list[tuple[int, dict[str, str]]]] = field(default_factory=dict)
    url: str = ""
    # Whether a chat may be opened with a member's Entra object id (Teams takes it
    # only where the app is installed for them); by default only Teams ids.
    entra_ids: bool = False
    _gates: dict[tuple[str, str], asyncio.Event] = field(default_factory=dict)
    _ids: Iterator[int] = field(default_factory=lambda: itertools.count(1))
    _runner: web.AppRunner | None = None
    _validator: Any = None

    def add_member(self, teams_id: str, name: str, email: str, aad: str) -> None:
        self.members[teams_id] = {
            "id": teams_id,
            "name": name,
            "aadObjectId": aad,
            "email": email,
            "userPrincipalName": email,
            "tenantId": "",
        }

    def fail_next(
        self, method: str, what: str, status: int, retry_after: int | None = None
    ) -> None:
        headers = {"Retry-After": str(retry_after)} if retry_after is not None else {}
        self.scripted.setdefault((method, what), []).append((status, headers))

    def hold(self, method: str, what: str) -> None:
        """Requests of this kind hang (recorded as they arrive) until released."""
        self._gates[(method, what)] = asyncio.Event()

    def release(self, method: str, what: str) -> None:
        gate = self._gates.pop((method, what), None)
        if gate is not None:
            gate.set()

    def of(self, what: str) -> list[Call]:
        return [
            c
            for c in self.calls
            if c.path.split("/")[-1 if what == "conversations" else -2] == what
            or (what == "activities" and "/activities" in c.path)
        ]

    def cards_in(self, conversation: str) -> list[dict[str, Any]]:
        """The cards posted to a conversation, oldest first."""
        return [
            a["content"]
            for activity in self.posted.get(conversation, [])
            for a in activity.get("attachments") or ()
            if a.get("contentType") == CARD
        ]

    async def start(self) -> FakeConnector:
        schema = json.loads((CARD_SCHEMA / "adaptive-card.schema-1.5.json").read_text())
        self._validator = jsonschema.Draft6Validator(schema)
        app = web.Application()
        app.router.add_post("/v3/conversations", self._open)
        app.router.add_post("/v3/conversations/{conversation}/activities", self._post)
        app.router.add_put("/v3/conversations/{conversation}/activities/{activity}", self._put)
        app.router.add_get("/v3/conversations/{conversation}/members/{member}", self._member)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        self.url = f"http://127.0.0.1:{port}/"
        return self

    async def stop(self) -> None:
        for gate in self._gates.values():
            gate.set()
        if self._runner is not None:
            await self._runner.cleanup()

    async def _record(self, request: web.Request, what: str) -> web.Response | Call:
        body = await request.json() if request.can_read_body else {}
        bearer = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        call = Call(request.method, request.path, bearer, body if isinstance(body, dict) else {})
        self.calls.append(call)
        if not bearer:
            return web.json_response({"error": {"code": "Unauthorized"}}, status=401)
        gate = self._gates.get((request.method, what))
        if gate is not None:
            await gate.wait()
        script = self.scripted.get((request.method, what))
        if script:
            status, headers = script.pop(0)
            return web.json_response(
                {"error": {"code": f"Status{status}"}}, status=status, headers=headers
            )
        return call

    async def _open(self, request: web.Request) -> web.Response:
        found = await self._record(request, "conversations")
        if isinstance(found, web.Response):
            return found
        members = found.body.get("members") or []
        tenant = found.body.get("tenantID") or found.body.get("tenantId")
        if len(members) != 1 or not tenant or found.body.get("isGroup"):
            return _bad("BadSyntax")
        named = str((members[0] or {}).get("id", ""))
        member = self.members.get(named) if named.startswith("29:") else None
        if member is None and self.entra_ids:
            by_entra = (m for m in self.members.values() if m["aadObjectId"] == named)
            member = next(by_entra, None)
        if member is None:  # not a Teams id, or nobody Teams lets the bot write to
            return _bad("BadSyntax" if not named.startswith("29:") else "Forbidden", 403)
        return web.json_response({"id": f"a:{member['id']}"}, status=201)

    async def _post(self, request: web.Request) -> web.Response:
        found = await self._record(request, "activities")
        if isinstance(found, web.Response):
            return found
        self._check_cards(found.body)
        activity_id = f"activity-{next(self._ids)}"
        conversation = request.match_info["conversation"]
        self.posted.setdefault(conversation, []).append({**found.body, "id": activity_id})
        return web.json_response({"id": activity_id}, status=201)

    async def _put(self, request: web.Request) -> web.Response:
        found = await self._record(request, "activities")
        if isinstance(found, web.Response):
            return found
        self._check_cards(found.body)
        activity_id = request.match_info["activity"]
        posted = self.posted.get(request.match_info["conversation"], [])
        at = next((n for n, a in enumerate(posted) if a.get("id") == activity_id), None)
        if at is None:
            return _bad("NotFound", 404)
        posted[at] = {**found.body, "id": activity_id}
        return web.json_response({"id": activity_id})

    async def _member(self, request: web.Request) -> web.Response:
        found = await self._record(request, "members")
        if isinstance(found, web.Response):
            return found
        member = self.members.get(request.match_info["member"])
        if member is None:
            return web.json_response(
                {"error": {"code": "MemberNotFoundInConversation"}}, status=404
            )
        return web.json_response(member)

    def _check_cards(self, activity: dict[str, Any]) -> None:
        for attachment in activity.get("attachments") or ():
            if attachment.get("contentType") == CARD:
                self.card_problems += check_card(attachment.get("content"), self._validator)


def _bad(code: str, status: int = 400) -> web.Response:
    return web.json_response({"error": {"code": code}}, status=status)


def check_card(card: Any, validator: Any = None) -> list[str]:
    """What is wrong with a card by the Adaptive Cards 1.5 schema. The schema knows
    no host's extensions: Teams' own ``msteams`` (mentions, width) is set aside."""
    if validator is None:
        schema = json.loads((CARD_SCHEMA / "adaptive-card.schema-1.5.json").read_text())
        validator = jsonschema.Draft6Validator(schema)
    if not isinstance(card, dict):
        return ["not a card"]
    plain = {k: v for k, v in card.items() if k != "msteams"}
    return [f"{e.message[:200]} in {json.dumps(card)[:300]}" for e in validator.iter_errors(plain)]


def counts(calls: list[Call]) -> Counter[str]:
    return Counter(f"{c.method} {c.path.split('/')[-1]}" for c in calls)
