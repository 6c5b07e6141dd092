"""What the composition root gives each platform adapter, and what it gets back.

An adapter is a folder under ``adapters/`` with one :class:`Adapter` object: it
reads its own settings, builds its :class:`bot.ports.Platform` for the outbox,
optionally a :class:`bot.handoff.Receiver` for the events it queues, and mounts
its routes on the server. ``tandem/bootstrap.py`` lists the adapters, one line
each; nothing else anywhere names a platform.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Coroutine, Mapping
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from aiohttp import web

from bot.clock import Clock
from bot.engine import Engine
from bot.handoff import Received, Receiver
from bot.platform import Platform
from bot.ports import UnitOfWorkFactory

T = TypeVar("T")


class Blocking(Protocol):
    """Runs a blocking call (the engine, the database) off the event loop, on a
    bounded pool of its own, so nothing before an acknowledgement waits behind
    deliveries or the scheduler."""

    def __call__(self, call: Callable[..., T], *args: Any) -> Awaitable[T]: ...


@dataclass(frozen=True)
class Core:
    """The engine and the store, for building a platform."""

    engine: Engine
    uow: UnitOfWorkFactory
    clock: Clock


@dataclass(frozen=True)
class Server:
    """What the request path of an adapter may use."""

    core: Core
    accept: Callable[[Received], Awaitable[bool]]  # store an event; then it may be acked
    wake: Callable[[], None]  # new replies are in the outbox: send them now
    blocking: Blocking  # for what an ack waits on
    later: Callable[[Coroutine[Any, Any, None]], None]  # after the ack; lost in a crash
    after: Blocking  # blocking calls of work after the ack: a pool apart from ``blocking``


class Adapter(Protocol):
    """One platform, as the composition root sees it."""

    @property
    def name(self) -> str:
        """The platform's name, as its workspaces are stored."""
        ...

    def configure(self, env: Mapping[str, str], *, socket_mode: bool = False) -> Any | None:
        """This platform's settings from the environment; None when it is not set
        up (the platform is off). Raises ``ValueError`` with a clear message when
        a value is wrong."""
        ...

    def platform(self, config: Any, core: Core) -> Platform:
        """The sender the outbox delivers through."""
        ...

    def receiver(self, config: Any, platform: Platform, core: Core) -> Receiver | None:
        """The adapter's part in events it queued (None: it queues none)."""
        ...

    def register(
        self, app: web.Application, config: Any, platform: Platform, server: Server
    ) -> None:
        """Mount the platform's routes (and connections) on the server."""
        ...
