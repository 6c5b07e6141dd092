"""The bot's own token, for calling the Bot Connector: client credentials with MSAL.

MSAL first asks Microsoft's instance discovery about any authority that is not a
Microsoft login host; botbuilder gives no way to turn that off. Tandem builds
the client itself, with ``instance_discovery=False``, so that with
``TEAMS_LOGIN_URL`` pointing elsewhere no Microsoft host is called at all. MSAL
keeps the token and fetches a new one only near its expiry.
"""

from __future__ import annotations

import threading

import msal

from adapters.teams.config import SCOPE, TeamsConfig


class TokenError(Exception):
    """No token for the bot (the login authority said no, or could not be reached)."""


class BotToken:
    """The bearer token for the Bot Connector; safe to call from several threads."""

    def __init__(self, config: TeamsConfig, *, timeout: float = 10) -> None:
        self._config = config
        self._timeout = timeout
        self._app: msal.ConfidentialClientApplication | None = None
        self._lock = threading.Lock()

    def __call__(self) -> str:
        with self._lock:
            try:
                result = self._client().acquire_token_for_client(scopes=[SCOPE])
            except (ValueError, OSError) as error:  # the authority unreachable or unreadable
                self._app = None  # built afresh next time: it reads the authority once
                raise TokenError(type(error).__name__) from None
        token = result.get("access_token") if isinstance(result, dict) else None
        if not token:
            code = result.get("error", "no token") if isinstance(result, dict) else "no token"
            raise TokenError(str(code)[:80])
        return str(token)

    def _client(self) -> msal.ConfidentialClientApplication:
        # Built on first use, not at start: it reads the authority's metadata.
        if self._app is None:
            self._app = msal.ConfidentialClientApplication(
                self._config.app_id,
                client_credential=self._config.app_password,
                authority=self._config.authority,
                instance_discovery=False,
                timeout=self._timeout,
            )
        return self._app
