"""Teams settings from the environment, checked at start with clear errors."""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlparse

# Where the Bot Framework publishes the keys it signs requests to bots with.
BOT_FRAMEWORK_OPENID = "https://login.botframework.com/v1/.well-known/openidconfiguration"
LOGIN = "https://login.microsoftonline.com"  # where the bot gets its own token
ISSUER = "https://api.botframework.com"  # who signs what the channel sends
SCOPE = "https://api.botframework.com/.default"  # what the bot's token is for
NAMES = (
    "MICROSOFT_APP_ID",
    "MICROSOFT_APP_PASSWORD",
    "MICROSOFT_APP_TENANT_ID",
    "TEAMS_OPENID_METADATA_URL",
    "TEAMS_LOGIN_URL",
)
GUID = re.compile(r"^[0-9a-fA-F]{8}(-[0-9a-fA-F]{4}){3}-[0-9a-fA-F]{12}$")
_LOCAL = {"127.0.0.1", "localhost", "::1"}


class TeamsConfigError(ValueError):
    """A Teams setting is missing or wrong; the message says which and how to fix it."""


@dataclass(frozen=True)
class TeamsConfig:
    """How this process talks to Teams: the bot's identity, and where keys and
    tokens come from (the Bot Framework's and Microsoft's by default)."""

    app_id: str
    app_password: str
    tenant_id: str = ""  # single-tenant bots: their tenant; multi-tenant: empty
    openid_url: str = BOT_FRAMEWORK_OPENID
    login_url: str = LOGIN

    def __repr__(self) -> str:  # the password never reaches a log or a traceback
        return f"TeamsConfig(app_id={self.app_id!r}, login_url={self.login_url!r})"

    @property
    def authority(self) -> str:
        """Where the bot's own token comes from: its tenant, or the Bot Framework's."""
        return f"{self.login_url.rstrip('/')}/{self.tenant_id or 'botframework.com'}"

    @classmethod
    def from_env(cls, env: Mapping[str, str]) -> TeamsConfig | None:
        """The Teams settings, or ``None`` when none are set (Teams is off)."""
        values = {name: env.get(name, "").strip() for name in NAMES}
        app_id, password = values["MICROSOFT_APP_ID"], values["MICROSOFT_APP_PASSWORD"]
        if not any(values.values()):
            return None
        if not app_id or not password:
            raise TeamsConfigError(
                "Set both MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD (the Azure Bot's app id "
                "and a client secret): Teams never runs without them."
            )
        if not GUID.match(app_id):
            raise TeamsConfigError(
                f"MICROSOFT_APP_ID must be the bot's app id, a GUID such as "
                f"00000000-0000-0000-0000-000000000000, not {app_id[:40]!r}."
            )
        tenant = values["MICROSOFT_APP_TENANT_ID"]
        if tenant and not GUID.match(tenant):
            raise TeamsConfigError("MICROSOFT_APP_TENANT_ID must be a tenant id (a GUID).")
        return cls(
            app_id=app_id,
            app_password=password,
            tenant_id=tenant,
            openid_url=_url("TEAMS_OPENID_METADATA_URL", values, BOT_FRAMEWORK_OPENID),
            login_url=_url("TEAMS_LOGIN_URL", values, LOGIN, https=True),
        )


def _url(name: str, values: Mapping[str, str], default: str, *, https: bool = False) -> str:
    raw = values[name] or default
    parsed = urlparse(raw)
    secure = parsed.scheme == "https" or (not https and parsed.hostname in _LOCAL)
    if parsed.scheme not in {"http", "https"} or not parsed.netloc or not secure:
        need = "an https URL" if https else "an https URL (or http on this machine)"
        raise TeamsConfigError(f"{name} must be {need}, such as {default}, not {raw[:80]!r}.")
    return raw
