"""That a request really comes from the Bot Framework, for this bot.

Every request carries a bearer token (a JWT signed RS256) with a key the Bot
Framework publishes (OpenID metadata, then its JWKS). A token is taken only when
its signature verifies with a published key named by its ``kid``; that key is
endorsed for the channel the activity comes from (``msteams``); the issuer is
the Bot Framework; the audience is this bot's app id; it has not expired (five
minutes' leeway for clocks); and its ``serviceurl`` claim is the activity's
service URL, so a token cannot be replayed to make Tandem talk to another host.
Any failure is :class:`Unauthorized`, whatever its cause.

botbuilder's own validator fetches keys with a blocking call inside async code
and lets most failures out as other errors (a 500); this one fetches with aiohttp,
keeps keys for a day, and looks for an unknown key at most every five minutes,
so nobody can make Tandem fetch on every request.
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
LOOK_AGAIN_AFTER = 300.0  # seconds between fetches for a key not seen yet
LEEWAY = 300  # seconds of clock difference tolerated


class Unauthorized(Exception):
    """The request is not from the Bot Framework for this bot (the reason is for logs)."""


@dataclass(frozen=True)
class SigningKey:
    key: Any  # the public key
    endorsements: frozenset[str]  # the channels it may sign for


class SigningKeys:
    """The Bot Framework's signing keys, from its OpenID metadata."""

    def __init__(
        self, openid_url: str, *, now: Callable[[], float] = time.monotonic, timeout: float = 10
    ) -> None:
        self._openid_url = openid_url
        self._now = now
        self._timeout = aiohttp.ClientTimeout(total=timeout)
        self._keys: dict[str, SigningKey] = {}
        self._fetched = float("-inf")
        self._tried = float("-inf")
        self._lock: asyncio.Lock | None = None

    async def find(self, kid: str) -> SigningKey | None:
        now = self._now()
        stale = now - self._fetched > KEYS_FOR
        unknown = kid not in self._keys and now - self._tried > LOOK_AGAIN_AFTER
        if stale or unknown:
            await self._refresh()
        return self._keys.get(kid)

    async def _refresh(self) -> None:
        self._lock = self._lock or asyncio.Lock()
        async with self._lock:
            if self._now() - self._tried < 1:  # another request just fetched them
                return
            self._tried = self._now()
            try:
                self._keys = await self._fetch()
                self._fetched = self._now()
            except (aiohttp.ClientError, TimeoutError, ValueError, KeyError) as error:
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
        if str(activity.get("channelId", "")) not in key.endorsements:
            raise Unauthorized("key not endorsed for this channel")
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
