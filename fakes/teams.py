"""Fakes of Teams' side, speaking the Bot Framework's wire formats over HTTP.

- :class:`KeyServer`: OpenID metadata and a JWKS with locally made RSA keys, each
  endorsed for channels, and tokens signed with them as the Bot Framework signs
  what a channel sends a bot (or signed wrongly, on demand).
- :class:`LoginAuthority`: an HTTPS login authority (a test CA signs its
  certificate) with tenant discovery and a client-credentials token endpoint, as
  MSAL expects of ``login.microsoftonline.com``.
- :class:`FakeConnector`: the Bot Connector. It records every request whole (the
  bearer it carried too), keeps what was posted per conversation (a PUT replaces
  it), checks every card against the Adaptive Cards 1.5 schema, and answers 429
  with Retry-After, 412, 502 or 403 on demand, or holds requests until released.
  It opens a one-to-one chat as Teams does: one member, a tenant, the member
  named by their Teams id (``29:...``); an Entra object id only where the app
  is installed for them (``entra_ids``); the same chat however often.

The key server and the login authority run on event loops of their own threads:
nothing the bot's loop does can hold them up, as with the real ones.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import itertools
import json
import ssl
import threading
import time
from collections import Counter
from collections.abc import Callable, Coroutine, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import jwt
from aiohttp import web
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

ISSUER = "https://api.botframework.com"
CARD = "application/vnd.microsoft.card.adaptive"
CARD_SCHEMA = Path(__file__).resolve().parents[1] / "tests" / "schemas" / "adaptive-cards"


class Background:
    """An aiohttp app served on 127.0.0.1:0 from a thread of its own."""

    def __init__(
        self, build: Callable[[], web.Application], ssl_context: ssl.SSLContext | None = None
    ):
        self._build = build
        self._ssl = ssl_context
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)
        self._runner: web.AppRunner | None = None
        self.port = 0

    def start(self) -> Background:
        self._thread.start()
        self.port = self._run(self._start())
        return self

    async def _start(self) -> int:
        self._runner = web.AppRunner(self._build())
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0, ssl_context=self._ssl)
        await site.start()
        return int(site._server.sockets[0].getsockname()[1])  # type: ignore[union-attr]

    def stop(self) -> None:
        if self._runner is not None:
            self._run(self._runner.cleanup())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)

    def _run(self, work: Coroutine[Any, Any, Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(work, self._loop).result(timeout=30)


def _rsa() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@dataclass
class KeyServer:
    """The Bot Framework's signing keys, and tokens signed with them. ``fetches``
    counts the fetches begun (requests for the metadata); :meth:`hold` makes them
    hang until :meth:`release`, ``failing`` answers them with 503."""

    keys: dict[str, tuple[rsa.RSAPrivateKey, list[str]]] = field(default_factory=dict)
    fetches: int = 0
    failing: bool = False
    _server: Background | None = None
    _open: threading.Event = field(default_factory=threading.Event)

    def start(self) -> KeyServer:
        self.keys.setdefault("key-1", (_rsa(), ["msteams"]))
        self._open.set()
        self._server = Background(self._app).start()
        return self

    def stop(self) -> None:
        self._open.set()
        if self._server is not None:
            self._server.stop()

    def hold(self) -> None:
        """Fetches hang (a key server that accepts and never answers) until released."""
        self._open.clear()

    def release(self) -> None:
        self._open.set()

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"http://127.0.0.1:{self._server.port}/openid"

    def _app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/openid", self._metadata)
        app.router.add_get("/keys", self._jwks)
        return app

    async def _metadata(self, request: web.Request) -> web.Response:
        self.fetches += 1
        if not self._open.is_set():
            await asyncio.get_running_loop().run_in_executor(None, self._open.wait)
        if self.failing:
            return web.json_response({"error": "unavailable"}, status=503)
        base = f"http://{request.host}"
        return web.json_response(
            {
                "issuer": ISSUER,
                "jwks_uri": f"{base}/keys",
                "id_token_signing_alg_values_supported": ["RS256"],
            }
        )

    async def _jwks(self, _: web.Request) -> web.Response:
        keys = []
        for kid, (key, endorsements) in self.keys.items():
            jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(key.public_key()))
            keys.append({**jwk, "kid": kid, "use": "sig", "endorsements": endorsements})
        return web.json_response({"keys": keys})

    def token(
        self,
        app_id: str,
        service_url: str,
        *,
        kid: str = "key-1",
        key: Any = None,
        issuer: str = ISSUER,
        audience: str | None = None,
        expires_in: float = 3600,
        algorithm: str = "RS256",
        claims: dict[str, Any] | None = None,
    ) -> str:
        """A token as the channel sends it (each argument can make it wrong)."""
        now = int(time.time())
        body = {
            "iss": issuer,
            "aud": audience or app_id,
            "serviceurl": service_url,
            "nbf": now - 60,
            "iat": now - 60,
            "exp": int(now + expires_in),
            **(claims or {}),
        }
        signing = key if key is not None else self.keys[kid][0] if kid in self.keys else _rsa()
        return jwt.encode(body, signing, algorithm=algorithm, headers={"kid": kid})


@dataclass
class TestCA:
    """A certificate authority of the tests' own, and a certificate for 127.0.0.1."""

    folder: Path

    def context(self) -> ssl.SSLContext:
        ca_key, server_key = _rsa(), _rsa()
        now = dt.datetime.now(dt.UTC)
        ca_name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "Tandem test CA")])
        ca = (
            x509.CertificateBuilder()
            .subject_name(ca_name)
            .issuer_name(ca_name)
            .public_key(ca_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
            .sign(ca_key, hashes.SHA256())
        )
        import ipaddress

        server = (
            x509.CertificateBuilder()
            .subject_name(x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")]))
            .issuer_name(ca_name)
            .public_key(server_key.public_key())
            .serial_number(x509.random_serial_number())
            .not_valid_before(now - dt.timedelta(days=1))
            .not_valid_after(now + dt.timedelta(days=1))
            .add_extension(
                x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                critical=False,
            )
            .sign(ca_key, hashes.SHA256())
        )
        pem = serialization.Encoding.PEM
        self.bundle.write_bytes(ca.public_bytes(pem))
        chain, key = self.folder / "server.pem", self.folder / "server.key"
        chain.write_bytes(server.public_bytes(pem))
        key.write_bytes(
            server_key.private_bytes(
                pem, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
            )
        )
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(chain, key)
        return context

    @property
    def bundle(self) -> Path:
        """The CA's certificate: point ``REQUESTS_CA_BUNDLE`` at it."""
        return self.folder / "ca.pem"


@dataclass
class LoginAuthority:
    """A login authority for the bot's own token (client credentials), over HTTPS."""

    folder: Path
    requests: list[dict[str, Any]] = field(default_factory=list)
    refuse: bool = False  # answer "invalid_client" (a wrong secret)
    _server: Background | None = None
    _ca: TestCA | None = None

    def start(self) -> LoginAuthority:
        self._ca = TestCA(self.folder)
        self._server = Background(self._app, self._ca.context()).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()

    @property
    def url(self) -> str:
        assert self._server is not None
        return f"https://127.0.0.1:{self._server.port}"

    @property
    def ca_bundle(self) -> Path:
        assert self._ca is not None
        return self._ca.bundle

    def _app(self) -> web.Application:
        app = web.Application()
        app.router.add_get("/{tenant}/v2.0/.well-known/openid-configuration", self._discovery)
        app.router.add_post("/{tenant}/oauth2/v2.0/token", self._token)
        app.router.add_route("*", "/{tail:.*}", self._anything)
        return app

    async def _discovery(self, request: web.Request) -> web.Response:
        base = f"https://{request.host}/{request.match_info['tenant']}"
        self.requests.append({"path": request.path})
        return web.json_response(
            {
                "issuer": f"{base}/v2.0",
                "authorization_endpoint": f"{base}/oauth2/v2.0/authorize",
                "token_endpoint": f"{base}/oauth2/v2.0/token",
                "device_authorization_endpoint": f"{base}/oauth2/v2.0/devicecode",
            }
        )

    async def _token(self, request: web.Request) -> web.Response:
        form = dict(await request.post())
        self.requests.append({"path": request.path, **{k: str(v) for k, v in form.items()}})
        if self.refuse or form.get("grant_type") != "client_credentials":
            return web.json_response({"error": "invalid_client"}, status=401)
        number = len(self.requests)
        return web.json_response(
            {"token_type": "Bearer", "expires_in": 3600, "access_token": f"bot-token-{number}"}
        )

    async def _anything(self, request: web.Request) -> web.Response:
        self.requests.append({"path": request.path, "unexpected": True})
        return web.json_response({"error": "not_found"}, status=404)


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
