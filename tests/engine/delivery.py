"""A scripted fake of the platform port for the delivery tests, the courier that
sends through it, and the outbox as those tests read it."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

from adapters.console.chat import PLATFORM, WORKSPACE
from adapters.console.platform import CAPABILITIES, ConsolePlatform
from bot.delivery import Courier
from bot.events import Actor
from bot.model import Workspace
from bot.outbound import Message, Outbound
from bot.platform import Capabilities, Delivered, SendResult
from tandem.bootstrap import App
from tests.engine.cadence import Program
from tests.engine.stored import delete_rows, rows

ANA = Actor(WORKSPACE, "ana", "Ana", None, PLATFORM)
Script = Callable[[Outbound, bool, int], SendResult | None]


class ProcessDied(BaseException):
    """The process died mid-send (not an error the courier may catch)."""


class FakePlatform:
    """A platform that records every call and answers as scripted (``script``
    returns None for "the platform took it")."""

    name = PLATFORM

    def __init__(
        self,
        inner: ConsolePlatform | None = None,
        script: Script | None = None,
        *,
        crash_after: int = 0,
        capabilities: Capabilities = CAPABILITIES,
    ) -> None:
        self.calls: list[tuple[str, bool]] = []  # (key, again)
        self.capabilities = capabilities
        self._inner = inner
        self._script = script
        self._crash_after = crash_after
        self._lock = threading.Lock()

    @property
    def sent(self) -> list[str]:
        return [key for key, _ in self.calls]

    def send(self, workspace: Workspace, outbound: Outbound, *, again: bool = False) -> SendResult:
        with self._lock:
            self.calls.append((outbound.key, again))
            number = len(self.calls)
        result = self._script(outbound, again, number) if self._script else None
        if result is None and self._inner is not None:
            self._inner.send(workspace, outbound)
        if self._crash_after and number == self._crash_after:
            raise ProcessDied
        return result or Delivered(f"sent:{outbound.key}")

    def update(self, workspace: Workspace, platform_id: str, message: Message) -> SendResult:
        return Delivered(platform_id)


def courier_for(app: App, platform: FakePlatform, worker: str = "test", **options: Any) -> Courier:
    options.setdefault("jitter", lambda: 1.0)
    return Courier(app.uow, app.clock, {PLATFORM: platform}, worker, **options)


def outbox_rows(app: App) -> dict[str, Any]:
    return {row.key: row for row in rows(app, "outbox")}


def queue_checkins(pair: Program) -> None:
    pair.day(14, hour=10)  # two check-ins due now (Berlin and London mornings)
    # The coordinators' weekly digest comes due on this Monday too: not what these
    # tests are about.
    delete_rows(pair.app, "outbox", lambda row: row.kind == "digest")
