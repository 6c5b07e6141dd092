"""The platform of simulated people: what the courier sends reaches them at once."""

from __future__ import annotations

from collections.abc import Callable

from bot import outbound as m
from bot.model import Workspace
from bot.platform import Capabilities, Delivered, SendResult


class SimPlatform:
    """Delivery to simulated people (a :class:`bot.ports.Platform` with no limits)."""

    capabilities = Capabilities(
        group_conversations=True,
        forms=True,
        update_in_place=False,
        finds_sent=False,
        max_text=4000,
        max_options=100,
        burst=10_000,
        per_second=10_000.0,
    )

    def __init__(self, name: str, arrived: Callable[[str, m.Outbound], None]) -> None:
        self.name = name
        self._arrived = arrived

    def send(
        self, workspace: Workspace, outbound: m.Outbound, *, again: bool = False
    ) -> SendResult:
        for user in m.users_of(outbound.to):
            self._arrived(user, outbound)
        return Delivered(f"sim:{outbound.key}")

    def update(self, workspace: Workspace, platform_id: str, message: m.Message) -> SendResult:
        return Delivered(platform_id)
