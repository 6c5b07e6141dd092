"""Multi-workspace installs for bolt: stored in Tandem's database, states signed.

:class:`InstallationStore` keeps one bot install per workspace (a reinstall
replaces it; uninstalling deletes it). :class:`SignedStates` needs no table: an
OAuth ``state`` is a nonce and an expiry signed with the client secret, and bolt
also ties it to the browser with a cookie, so it cannot be forged or used by
someone else.
"""

from __future__ import annotations

import asyncio
import hashlib
import hmac
import logging
import secrets
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime
from typing import Any, TypeVar

from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore

from adapters.slack.inbound import PLATFORM
from store.installations import Installed, SqlInstallations

log = logging.getLogger(__name__)
STATE_SECONDS = 600
T = TypeVar("T")


class InstallationStore(AsyncInstallationStore):
    def __init__(self, installations: SqlInstallations) -> None:
        self._installations = installations
        # Its own threads: bolt looks up the install before every ack, and that
        # must never queue behind slow deliveries in the shared pool.
        self._pool = ThreadPoolExecutor(4, thread_name_prefix="slack-installs")

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_save(self, installation: Installation) -> None:
        if not installation.team_id or not installation.bot_token:
            return  # an org-wide or user-only install: Tandem works per workspace
        installed = Installed(
            platform=PLATFORM,
            team=installation.team_id,
            bot_token=installation.bot_token,
            bot_id=installation.bot_id or "",
            bot_user_id=installation.bot_user_id or "",
            scopes=",".join(installation.bot_scopes or ()),
            installer=installation.user_id,
            installed_at=datetime.fromtimestamp(float(installation.installed_at), UTC),
            enterprise_id=installation.enterprise_id,
        )
        await self._run(self._installations.save, installed)

    async def async_save_bot(self, bot: Bot) -> None:
        """Bots are saved with their installation (:meth:`async_save`)."""

    async def async_find_bot(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        is_enterprise_install: bool | None = False,
    ) -> Bot | None:
        found = await self.async_find_installation(enterprise_id=enterprise_id, team_id=team_id)
        return found.to_bot() if found is not None else None

    async def async_find_installation(
        self,
        *,
        enterprise_id: str | None,
        team_id: str | None,
        user_id: str | None = None,
        is_enterprise_install: bool | None = False,
    ) -> Installation | None:
        found = await self._find(team_id)
        if found is None:
            return None
        return Installation(
            enterprise_id=found.enterprise_id,
            team_id=found.team,
            bot_token=found.bot_token,
            bot_id=found.bot_id,
            bot_user_id=found.bot_user_id,
            bot_scopes=found.scopes,
            user_id=found.installer,
            installed_at=found.installed_at.timestamp(),
        )

    async def async_delete_bot(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self._remove(team_id)

    async def async_delete_installation(
        self, *, enterprise_id: str | None, team_id: str | None, user_id: str | None = None
    ) -> None:
        await self._remove(team_id)

    async def async_delete_all(self, *, enterprise_id: str | None, team_id: str | None) -> None:
        await self._remove(team_id)

    async def _find(self, team_id: str | None) -> Installed | None:
        if not team_id:
            return None
        return await self._run(self._installations.find, PLATFORM, team_id)

    async def _remove(self, team_id: str | None) -> None:
        if team_id:
            await self._run(self._installations.remove, PLATFORM, team_id)

    async def _run(self, call: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._pool, call, *args)


class SignedStates(AsyncOAuthStateStore):
    def __init__(self, secret: str, now: Callable[[], float] = time.time) -> None:
        self._key = hashlib.sha256(("tandem-oauth-state:" + secret).encode()).digest()
        self._now = now
        self._used: dict[str, int] = {}  # consumed states (this process), until they expire

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_issue(self, *args: Any, **kwargs: Any) -> str:
        body = f"{int(self._now()) + STATE_SECONDS}.{secrets.token_urlsafe(16)}"
        return f"{body}.{self._sign(body)}"

    async def async_consume(self, state: str) -> bool:
        body, _, signature = state.rpartition(".")
        expires = body.partition(".")[0]
        if not body or not hmac.compare_digest(signature, self._sign(body)):
            return False
        if not expires.isdigit() or int(expires) < self._now() or state in self._used:
            return False
        now = self._now()
        self._used = {s: e for s, e in self._used.items() if e >= now}
        self._used[state] = int(expires)  # once only (bolt's cookie binds it to a browser)
        return True

    def _sign(self, body: str) -> str:
        return hmac.new(self._key, body.encode(), hashlib.sha256).hexdigest()[:32]
