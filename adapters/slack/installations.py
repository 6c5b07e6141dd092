"""Multi-workspace installs for bolt: stored in Tandem's database, states signed.

:class:`InstallationStore` keeps one bot install per workspace (a reinstall
replaces it; uninstalling deletes it). :class:`SignedStates` needs no table: an
OAuth ``state`` is a nonce and an expiry signed with the client secret, and bolt
also ties it to the browser with a cookie, so it cannot be forged or used by
someone else.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
import threading
import time
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from slack_sdk.oauth.installation_store import Bot, Installation
from slack_sdk.oauth.installation_store.async_installation_store import AsyncInstallationStore
from slack_sdk.oauth.state_store.async_state_store import AsyncOAuthStateStore

from adapters.slack.inbound import PLATFORM
from adapters.wiring import Blocking
from bot.platform import Installation as Installed
from bot.ports import UnitOfWorkFactory

log = logging.getLogger(__name__)
STATE_SECONDS = 600


class InstallationStore(AsyncInstallationStore):
    """Bolt's installation store over Tandem's database (the installations port)."""

    def __init__(self, uow: UnitOfWorkFactory, blocking: Blocking) -> None:
        self._uow = uow
        # A pool of its own (bounded): bolt looks up the install before every ack,
        # and that must never queue behind slow work elsewhere.
        self._blocking = blocking

    @property
    def logger(self) -> logging.Logger:
        return log

    async def async_save(self, installation: Installation) -> None:
        if not installation.team_id or not installation.bot_token:
            return  # an org-wide or user-only install: Tandem works per workspace
        details = {
            "bot_id": installation.bot_id or "",
            "scopes": ",".join(installation.bot_scopes or ()),
        }
        if installation.enterprise_id:
            details["enterprise_id"] = installation.enterprise_id
        installed = Installed(
            platform=PLATFORM,
            workspace=installation.team_id,
            token=installation.bot_token,
            bot_user_id=installation.bot_user_id or "",
            installer=installation.user_id,
            installed_at=datetime.fromtimestamp(float(installation.installed_at), UTC),
            details=details,
        )
        await self._blocking(self._write, installed)

    def _write(self, installed: Installed) -> None:
        with self._uow() as uow:
            uow.installations.save(installed)
            uow.commit()

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
            enterprise_id=found.details.get("enterprise_id"),
            team_id=found.workspace,
            bot_token=found.token,
            bot_id=found.details.get("bot_id", ""),
            bot_user_id=found.bot_user_id,
            bot_scopes=found.details.get("scopes", ""),
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
        return await self._blocking(find_installation, self._uow, team_id)

    async def _remove(self, team_id: str | None) -> None:
        if team_id:
            await self._blocking(remove_installation, self._uow, team_id)


def find_installation(uow: UnitOfWorkFactory, team: str) -> Installed | None:
    with uow() as work:
        return work.installations.find(PLATFORM, team)


def remove_installation(uow: UnitOfWorkFactory, team: str) -> bool:
    """Forget a workspace's install (its token); whether there was one."""
    with uow() as work:
        removed = work.installations.remove(PLATFORM, team)
        work.commit()
    return removed


def stored_token(uow: UnitOfWorkFactory, team: str) -> str | None:
    found = find_installation(uow, team)
    return found.token if found is not None else None


class Tokens:
    """Each workspace's bot token, remembered for a while (the outbox asks for every
    message); a workspace that removes Tandem is forgotten at once. A workspace
    with no token is not remembered: it may install Tandem the next minute."""

    def __init__(self, find: Callable[[str], str | None], seconds: float = 60.0) -> None:
        self._find = find
        self._seconds = seconds
        self._known: dict[str, tuple[float, str | None]] = {}
        self._lock = threading.Lock()

    def __call__(self, team: str) -> str | None:
        now = time.monotonic()
        with self._lock:
            known = self._known.get(team)
        if known is not None and now - known[0] < self._seconds:
            return known[1]
        token = self._find(team)
        if token:
            with self._lock:
                self._known[team] = (now, token)
        return token

    def forget(self, team: str) -> None:
        with self._lock:
            self._known.pop(team, None)


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
