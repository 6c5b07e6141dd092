"""Sending to the console "platform": into people's inboxes, exactly once per key."""

from __future__ import annotations

from bot.clock import Clock
from bot.messages import Outbound
from bot.model import Workspace
from store.console import ConsoleMailbox


class ConsoleSender:
    """A :class:`bot.dispatch.Sender` for the console: delivery is an inbox row per
    recipient, keyed by the message's idempotency key, so sending twice is harmless."""

    def __init__(self, mailbox: ConsoleMailbox, clock: Clock) -> None:
        self._mailbox = mailbox
        self._clock = clock

    def send(self, workspace: Workspace, outbound: Outbound, *, again: bool = False) -> str:
        self._mailbox.deliver(workspace.external_id, [outbound], self._clock.now())
        return f"console:{outbound.key}"
