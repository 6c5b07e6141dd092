"""A login authority for the bot's own token: HTTPS (a test CA signs its certificate),
tenant discovery and a client-credentials token endpoint, as MSAL expects of
``login.microsoftonline.com``."""

from __future__ import annotations

import datetime as dt
import ssl
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aiohttp import web
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.x509.oid import NameOID

from fakes.background import Background
from fakes.teams_keys import rsa_key


@dataclass
class TestCA:
    """A certificate authority of the tests' own, and a certificate for 127.0.0.1."""

    folder: Path

    def context(self) -> ssl.SSLContext:
        ca_key, server_key = rsa_key(), rsa_key()
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
