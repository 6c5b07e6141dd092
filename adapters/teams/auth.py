"""That a request really comes from the Bot Framework, for this bot.

Every request carries a bearer token (a JWT signed RS256) with a key the Bot
Framework publishes (OpenID metadata, then its JWKS). A token is taken only when
its signature verifies with a published key named by its ``kid``; the activity
is a Teams one (``channelId`` ``msteams``) and that key is endorsed for Teams; the issuer is
the Bot Framework; the audience is this bot's app id; it has not expired (five
minutes' leeway for clocks); and its ``serviceurl`` claim is the activity's
service URL, so a token cannot be replayed to make Tandem talk to another host.
Any failure is :class:`Unauthorized`, whatever its cause.

botbuilder's own validator fetches keys with a blocking call inside async code
and lets most failures out as other errors (a 500); this one fetches with aiohttp,
keeps keys for a day (renewing them in the background), and looks for an unknown
key at most every five minutes, so nobody can make Tandem fetch on every request.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import aiohttp
import jwt

from adapters.teams.config import ISSUER

log = logging.getLogger(__name__)
KEYS_FOR = 24 * 3600.0  # seconds a fetched key set is used
LOOK_AGAIN_AFTER = 300.0  # seconds between fetches for a key not seen yet, or after a failure
FIRST_RETRY = 30.0  # seconds before trying again when no key is known at all
LEEWAY = 300  # seconds of clock difference tolerated
CHANNEL = "msteams"  # the only channel Tandem serves


class Unauthorized(Exception):
    """The request is not from the Bot Framework for this bot (the reason is for logs)."""


@dataclass(frozen=True)
class SigningKey:
    key: Any  # the public key
    endorsements: frozenset[str]  # the channels it may sign for


class SigningKeys:
    """The Bot Framework's signing keys, from its OpenID metadata.

    One fetch at a time, shared by every request that needs it. Keys older than
    :data:`KEYS_FOR` go on serving while a fetch in the background renews them
    (a slow or hanging key server holds no request up); a key id not seen yet
    waits for a fetch, at most one every :data:`LOOK_AGAIN_AFTER`. A fetch that
    failed is not tried again before that either (:data:`FIRST_RETRY` while no
    key is known at all), so nobody can make Tandem fetch on every request.
    """

    def __init__(
        self, openid_url: str, *, now: Callable[[], float] = time.monotonic, timeout: float = 10
    ) -> None:
        self._openid_url = openid_url
        self._now = now
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._keys: dict[str, SigningKey] = {}
        self._fetched = float("-inf")  # when the keys in hand were fetched
        self._tried = float("-inf")  # when the last fetch began
        self._fetching: asyncio.Task[None] | None = None

    async def find(self, kid: str) -> SigningKey | None:
        now = self._now()
        known = self._keys.get(kid)
        if known is not None:
            if now - self._fetched > KEYS_FOR:
                self._start(now)  # renewed meanwhile; the key in hand serves this request
            return known
        self._start(now)
        if self._fetching is not None:  # whoever started it, this request waits for it
            await asyncio.shield(self._fetching)
        return self._keys.get(kid)

    async def settled(self) -> None:
        """Until a fetch under way has ended (for tests and a clean stop)."""
        if self._fetching is not None:
            await asyncio.shield(self._fetching)

    def _start(self, now: float) -> None:
        wait = LOOK_AGAIN_AFTER if self._keys else FIRST_RETRY
        if self._fetching is not None or now - self._tried < wait:
            return
        self._tried = now
        self._fetching = asyncio.ensure_future(self._refresh())
        self._fetching.add_done_callback(self._done)

    def _done(self, task: asyncio.Task[None]) -> None:
        if self._fetching is task:
            self._fetching = None

    async def _refresh(self) -> None:
        try:
            self._keys = await self._fetch()
            self._fetched = self._now()
        except (aiohttp.ClientError, TimeoutError, ValueError, KeyError, TypeError) as error:
            # The keys known so far stay in use: a passing outage refuses nothing.
            log.warning("fetching the Bot Framework's keys failed: %s", type(error).__name__)

    async def _fetch(self) -> dict[str, SigningKey]:
        async with aiohttp.ClientSession(timeout=self._timeout) as session:
            async with session.get(self._openid_url) as response:
                response.raise_for_status()
                metadata = await response.json(content_type=None)
            async with session.get(str(metadata["jwks_uri"])) as response:
                response.raise_for_status()
                document = await response.json(content_type=None)
        keys: dict[str, SigningKey] = {}
        for entry in document.get("keys") or ():
            if not isinstance(entry, Mapping) or entry.get("kty") != "RSA" or not entry.get("kid"):
                continue
            try:
                public = jwt.PyJWK(dict(entry), algorithm="RS256").key
            except jwt.PyJWTError:
                continue
            endorsed = frozenset(str(e) for e in entry.get("endorsements") or ())
            keys[str(entry["kid"])] = SigningKey(public, endorsed)
        return keys


class ChannelAuth:
    """Checks every request's token (see the module's notes)."""

    def __init__(self, app_id: str, keys: SigningKeys) -> None:
        self._app_id = app_id
        self._keys = keys

    async def check(self, authorization: str | None, activity: Mapping[str, Any]) -> None:
        scheme, _, token = (authorization or "").partition(" ")
        if scheme.lower() != "bearer" or not token.strip():
            raise Unauthorized("no bearer token")
        token = token.strip()
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise Unauthorized("not a token") from None
        if header.get("alg") != "RS256":  # never "none", never HS256 with a public key
            raise Unauthorized(f"algorithm {str(header.get('alg'))[:10]}")
        key = await self._keys.find(str(header.get("kid", "")))
        if key is None:
            raise Unauthorized("unknown key")
        # Only Teams is served: the activity must say so, and the key must be one the
        # Bot Framework endorses for Teams (a key for another channel signing an
        # activity of that channel is no Teams request).
        if activity.get("channelId") != CHANNEL or CHANNEL not in key.endorsements:
            raise Unauthorized("not a Teams activity, or the key is not endorsed for Teams")
        claims = self._claims(token, key)
        if not _same_url(claims.get("serviceurl"), activity.get("serviceUrl")):
            raise Unauthorized("service url differs")

    def _claims(self, token: str, key: SigningKey) -> dict[str, Any]:
        try:
            claims: dict[str, Any] = jwt.decode(
                token,
                key.key,
                algorithms=["RS256"],
                audience=self._app_id,
                issuer=ISSUER,
                leeway=LEEWAY,
                options={"require": ["exp", "iss", "aud"]},
            )
        except jwt.PyJWTError as error:
            raise Unauthorized(type(error).__name__) from None
        return claims


def _same_url(claimed: object, given: object) -> bool:
    if not isinstance(claimed, str) or not isinstance(given, str) or not claimed:
        return False
    return claimed.rstrip("/").casefold() == given.rstrip("/").casefold()
