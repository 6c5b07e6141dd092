"""Teams' part in an event: where each person and channel is reached, kept fresh.

Every request refreshes the stored address of its sender (service URL, Teams id,
name, their chat with Tandem) and of its channel. The first time, Tandem also
asks Teams for the person's email: deep links to a group chat or a meeting name
people by it.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime

from botbuilder.schema.teams import TeamsChannelAccount

from adapters.teams.connector import Connector, ConnectorError
from bot.engine import Outcome
from bot.events import Inbound
from bot.intake import Received
from bot.ports import UnitOfWorkFactory

log = logging.getLogger(__name__)
Addresses = Mapping[str, Mapping[str, str]]


class TeamsReceiver:
    """A :class:`bot.intake.Receiver` for Teams (events from the queue), also used
    before the engine answers a dialog or a card at once."""

    def __init__(self, uow: UnitOfWorkFactory, connector: Connector) -> None:
        self._uow = uow
        self._connector = connector

    def prepare(self, received: Received, now: datetime) -> Inbound:
        found = received.context.get("addresses")
        if isinstance(found, Mapping):
            self.remember(received.event, found, now)
        return received.event

    def finish(self, received: Received, event: Inbound, outcome: Outcome) -> None:
        """Teams needs nothing more: replies go out through the outbox."""

    def remember(self, event: Inbound, addresses: Addresses, now: datetime) -> None:
        actor = event.actor
        with self._uow() as uow:
            workspace = uow.workspaces.ensure(actor.platform, actor.workspace, now)
            known = uow.addresses.get(workspace.id, actor.user) or {}
            for key, data in addresses.items():
                uow.addresses.put(workspace.id, key, {k: str(v) for k, v in data.items()}, now)
            uow.commit()
        mine = {**known, **addresses.get(actor.user, {})}
        if not mine.get("email"):
            self._learn_email(workspace.id, actor.user, mine, now)

    def _learn_email(
        self, workspace_id: int, user: str, address: Mapping[str, str], now: datetime
    ) -> None:
        conversation = address.get("conversation") or address.get("seen_in", "")
        if not conversation or not address.get("teams_id"):
            return
        try:
            member = self._connector.member(
                address["service_url"], conversation, address["teams_id"]
            )
        except ConnectorError as error:
            log.info("Teams did not say who %s is: %s", user[:8], error.code)
            return
        account = TeamsChannelAccount().deserialize(dict(member))
        email = str(account.user_principal_name or account.email or "")[:200]
        if email:
            with self._uow() as uow:
                uow.addresses.put(workspace_id, user, {"email": email}, now)
                uow.commit()
