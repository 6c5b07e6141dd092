"""The Bot Framework's key server: OpenID metadata and a JWKS with locally made RSA
keys, each endorsed for channels, and tokens signed with them as the Bot Framework
signs what a channel sends a bot (or signed wrongly, on demand)."""

from __future__ import annotations

import asyncio
import json
import threading
import time
from dataclasses import dataclass, field
from typing import Any

import jwt
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import rsa

from fakes.background import Background

ISSUER = "https://api.botframework.com"


def rsa_key() -> rsa.RSAPrivateKey:
    """A fresh 2048-bit RSA key."""
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
        self.keys.setdefault("key-1", (rsa_key(), ["msteams"]))
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
        signing = key if key is not None else self.keys[kid][0] if kid in self.keys else rsa_key()
        return jwt.encode(body, signing, algorithm=algorithm, headers={"kid": kid})
