"""Configuration, read once from the environment into a frozen object.

Nothing else in Tandem reads the environment: the CLI builds :class:`Settings`
at start and passes it on, and a bad value stops the start with a clear message.
"""

from __future__ import annotations

import os
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

from adapters.wiring import Adapter
from store.database import default_url


class SettingsError(ValueError):
    """A configuration value is missing or wrong; the message says which and why."""


@dataclass(frozen=True)
class Settings:
    database_url: str
    data_dir: Path
    log_level: str = "WARNING"
    port: int = 3000
    tick_seconds: float = 60.0
    lease_seconds: float = 300.0  # how long a sender holds a message before another may
    # Where people reach `tandem serve` (TANDEM_PUBLIC_URL): the dashboard's links start
    # with it. None: the dashboard is off.
    public_url: str | None = None
    # Each configured platform's own settings, by platform name (a platform with
    # no settings in the environment is off).
    platforms: Mapping[str, Any] = field(default_factory=lambda: MappingProxyType({}))
    # Tandem's admins: platform user ids who may add programs in chat.
    admins: tuple[str, ...] = ()

    def platform(self, name: str) -> Any | None:
        """A platform's settings, or None when it is off."""
        return self.platforms.get(name)

    @classmethod
    def from_env(
        cls,
        env: Mapping[str, str] | None = None,
        *,
        adapters: Sequence[Adapter] = (),
        socket_mode: bool = False,
    ) -> Settings:
        env = os.environ if env is None else env
        data_dir = Path(env.get("TANDEM_DATA_DIR", "data"))
        url = env.get("DATABASE_URL", "").strip() or default_url(data_dir)
        _check_url(url)
        level = env.get("TANDEM_LOG_LEVEL", "WARNING").upper()
        if level not in {"DEBUG", "INFO", "WARNING", "ERROR"}:
            raise SettingsError(
                f"TANDEM_LOG_LEVEL must be DEBUG, INFO, WARNING or ERROR, not {level!r}"
            )
        port = _number(env, "PORT", "3000", 0, 65535, int)
        tick = _number(env, "TANDEM_TICK_SECONDS", "60", 1, 3600, float)
        # A send may take three calls of 15 s; a lease must outlast that with room.
        lease = _number(env, "TANDEM_LEASE_SECONDS", "300", 120, 3600, float)
        public_url = public_base_url(env.get("TANDEM_PUBLIC_URL", ""))
        platforms: dict[str, Any] = {}
        for adapter in adapters:
            try:
                config = adapter.configure(env, socket_mode=socket_mode)
            except ValueError as error:
                raise SettingsError(str(error)) from None
            if config is not None:
                platforms[adapter.name] = config
        return cls(
            database_url=url,
            data_dir=data_dir,
            log_level=level,
            port=int(port),
            tick_seconds=tick,
            lease_seconds=lease,
            public_url=public_url,
            platforms=MappingProxyType(platforms),
            admins=_admins(env.get("TANDEM_ADMINS", "")),
        )


def public_base_url(raw: str) -> str | None:
    """TANDEM_PUBLIC_URL checked: ``http(s)://host[:port][/path]`` without a trailing
    slash, query or fragment; None when it is not set."""
    text = raw.strip()
    if not text:
        return None
    problem = (
        "TANDEM_PUBLIC_URL must be the address people use to reach `tandem serve`, "
        f"such as https://tandem.example.com, not {text[:60]!r}"
    )
    try:
        parts = urlsplit(text)
        port = parts.port
    except ValueError:
        raise SettingsError(problem) from None
    if (
        parts.scheme not in {"http", "https"}
        or not parts.hostname
        or parts.query
        or parts.fragment
        or parts.username
        or parts.password
        or any(c.isspace() for c in text)
        or (port is not None and not 0 < port < 65536)
    ):
        raise SettingsError(problem)
    return text.rstrip("/")


def _check_url(url: str) -> None:
    try:
        backend = make_url(url).get_backend_name()
    except ArgumentError:
        raise SettingsError(
            "DATABASE_URL is not a database URL. Examples: sqlite:///data/tandem.db, "
            "postgresql+psycopg://user@host:5432/tandem"
        ) from None
    if backend not in {"sqlite", "postgresql"}:
        raise SettingsError(f"DATABASE_URL must point at SQLite or PostgreSQL, not {backend}.")


def _number(
    env: Mapping[str, str],
    name: str,
    default: str,
    low: float,
    high: float,
    kind: type[int] | type[float],
) -> float:
    raw = env.get(name, default).strip() or default
    try:
        value = kind(raw)
    except ValueError:
        raise SettingsError(f"{name} must be a number, not {raw!r}") from None
    if not low <= value <= high:
        raise SettingsError(f"{name} must be between {low:g} and {high:g}, not {raw}")
    return value


def _admins(raw: str) -> tuple[str, ...]:
    """``TANDEM_ADMINS``: platform user ids, separated by commas or spaces."""
    ids = tuple(dict.fromkeys(x for x in raw.replace(",", " ").split() if x))
    bad = [x for x in ids if len(x) > 100 or not x.isprintable()]
    if bad:
        raise SettingsError(
            f"TANDEM_ADMINS holds something that is no user id: {bad[0][:40]!r} "
            "(give platform user ids, like U024BE7LH, separated by commas)"
        )
    return ids
