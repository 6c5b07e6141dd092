"""Slack settings from the environment, checked at start with clear errors."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlparse

SLACK_API = "https://slack.com/api/"
# The bot scopes Tandem asks for (manifest.yaml lists the same; README says why).
BOT_SCOPES = (
    "commands",
    "chat:write",
    "im:write",
    "mpim:write",
    "im:history",
    "mpim:history",
    "users:read",
    "files:write",
)
NAMES = (
    "SLACK_SIGNING_SECRET",
    "SLACK_BOT_TOKEN",
    "SLACK_APP_TOKEN",
    "SLACK_CLIENT_ID",
    "SLACK_CLIENT_SECRET",
    "SLACK_API_URL",
)


class SlackConfigError(ValueError):
    """A Slack setting is missing or wrong; the message says which and how to fix it."""


@dataclass(frozen=True)
class SlackConfig:
    """How this process talks to Slack.

    Single-workspace mode has ``bot_token``; multi-workspace mode has ``client_id``
    and ``client_secret`` (installations are stored in Tandem's database). Socket
    Mode needs ``app_token`` as well.
    """

    signing_secret: str
    bot_token: str = ""
    app_token: str = ""
    client_id: str = ""
    client_secret: str = ""
    api_url: str = SLACK_API
    socket_mode: bool = False  # connect out over Socket Mode instead of taking HTTP requests

    def __repr__(self) -> str:  # secrets never reach a log or a traceback
        mode = "oauth" if self.oauth else "single-workspace"
        return f"SlackConfig(mode={mode}, api_url={self.api_url!r})"

    @property
    def oauth(self) -> bool:
        return bool(self.client_id)

    @classmethod
    def from_env(cls, env: Mapping[str, str], *, socket_mode: bool = False) -> SlackConfig | None:
        """The Slack settings, or ``None`` when none are set (Slack is off)."""
        values = {name: env.get(name, "").strip() for name in NAMES}
        if not any(values[n] for n in NAMES if n != "SLACK_API_URL") and not socket_mode:
            return None
        secret = values["SLACK_SIGNING_SECRET"]
        token, app_token = values["SLACK_BOT_TOKEN"], values["SLACK_APP_TOKEN"]
        client_id, client_secret = values["SLACK_CLIENT_ID"], values["SLACK_CLIENT_SECRET"]
        if not secret and not socket_mode:
            raise SlackConfigError(
                "SLACK_SIGNING_SECRET is not set. Copy it from your app's Basic Information "
                "page (App Credentials); Tandem checks every request from Slack with it."
            )
        if bool(client_id) != bool(client_secret):
            raise SlackConfigError(
                "Set both SLACK_CLIENT_ID and SLACK_CLIENT_SECRET (multi-workspace install), "
                "or neither."
            )
        if not token and not client_id:
            raise SlackConfigError(
                "Set SLACK_BOT_TOKEN (xoxb-..., one workspace) or SLACK_CLIENT_ID and "
                "SLACK_CLIENT_SECRET (installs to many workspaces)."
            )
        if token and not token.startswith("xoxb-"):
            raise SlackConfigError("SLACK_BOT_TOKEN must be a bot token, starting with xoxb-.")
        if socket_mode and not app_token.startswith("xapp-"):
            raise SlackConfigError(
                "Socket Mode needs SLACK_APP_TOKEN, an app-level token starting with xapp- "
                "(Basic Information → App-Level Tokens, scope connections:write)."
            )
        return cls(
            signing_secret=secret,
            bot_token=token,
            app_token=app_token,
            client_id=client_id,
            client_secret=client_secret,
            api_url=_api_url(values["SLACK_API_URL"]),
            socket_mode=socket_mode,
        )


def _api_url(raw: str) -> str:
    if not raw:
        return SLACK_API
    parsed = urlparse(raw)
    if parsed.scheme not in {"http", "https"} or not parsed.netloc:
        raise SlackConfigError(
            f"SLACK_API_URL must be an http(s) URL such as {SLACK_API}, not {raw[:80]!r}."
        )
    return raw if raw.endswith("/") else raw + "/"
