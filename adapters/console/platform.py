"""The console as a platform: delivering a message puts it in people's inboxes."""

from __future__ import annotations

from bot.clock import Clock
from bot.model import Workspace
from bot.outbound import Message, Outbound
from bot.platform import Capabilities, Delivered, SendResult
from bot.ports import UnitOfWorkFactory

PLATFORM = "console"
# A terminal has no rate limits, shows no forms and cannot change what it printed.
CAPABILITIES = Capabilities(
    group_conversations=True,
    forms=False,
    update_in_place=False,
    finds_sent=True,  # an inbox keeps a message once per key: sending again is harmless
    max_text=4000,
    max_options=100,
    burst=1_000,
    per_second=1_000.0,
)


class ConsolePlatform:
    """A :class:`bot.ports.Platform`: one inbox row per recipient, keyed by the
    message's idempotency key, so sending twice is harmless."""

    name = PLATFORM
    capabilities = CAPABILITIES

    def __init__(self, uow: UnitOfWorkFactory, clock: Clock) -> None:
        self._uow = uow
        self._clock = clock

    def send(self, workspace: Workspace, outbound: Outbound, *, again: bool = False) -> SendResult:
        with self._uow() as uow:
            uow.mailbox.deliver(workspace.id, outbound, self._clock.now())
            uow.commit()
        return Delivered(f"console:{outbound.key}")

    def update(self, workspace: Workspace, platform_id: str, message: Message) -> SendResult:
        return Delivered(platform_id)  # what a terminal printed stays printed
