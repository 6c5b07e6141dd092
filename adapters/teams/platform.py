"""Sending to Teams: cards through the Bot Connector, answered as send results.

A person is reached in their one-to-one chat with Tandem, from the address
stored when they last wrote; if Tandem has no chat with them yet, it opens one
(in their tenant). A program's channel is reached from the address stored when
Tandem was added to its team. Teams cannot look a message up after a crash: a
message that may have gone out (a timeout after the request left) is sent again,
so a crash at that instant can show it twice; the outbox keeps that window to
one call.

Someone who removed Tandem from their personal apps, or a team Tandem was removed
from, is marked so: nothing is sent there (each message is refused at once,
without a call Teams would refuse) until Tandem is added again or they write.

A chat is opened with the person's Teams id (``29:...``), which Teams takes
everywhere; only for someone Tandem has never seen in Teams does it try their
Entra object id (Teams takes that only where the app is installed for them).
The farewell after ``forget me`` goes to the chat the person used a moment
before: their stored address is erased with them, so where they were reached
is kept in memory, for that one message.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from botbuilder.schema import (
    Activity,
    ActivityTypes,
    Attachment,
    ChannelAccount,
    ConversationParameters,
    Mention,
)

from adapters.teams.connector import Connector, ConnectorError
from adapters.teams.inbound import REMOVED
from adapters.teams.render import CARD, People, Someone, message_card
from bot import outbound as m
from bot.clock import Clock
from bot.model import Workspace
from bot.platform import Capabilities, Delivered, Rejected, RetryLater, Scope, SendResult
from bot.ports import UnitOfWorkFactory

log = logging.getLogger(__name__)
PLATFORM = "teams"
CAPABILITIES = Capabilities(
    group_conversations=False,  # a bot cannot create a group chat: 1:1 cards with deep links
    forms=True,  # dialogs (task modules), opened from a button
    update_in_place=True,
    finds_sent=False,  # no history to search after a crash
    max_text=4000,
    max_options=100,
    burst=5,  # Teams: a few at once, about 1,800 an hour per conversation
    per_second=0.5,
    workspace_per_second=50.0,  # and 50 a second per tenant
)
# Refusals that trying again cannot fix, in words a coordinator reads.
REFUSED = {
    400: "Teams would not show it",
    403: "Tandem may not write there (removed, or blocked by the person)",
    404: "the conversation no longer exists",
}
_TENANT = "_tenant"  # the address that says where a tenant's service lives
_RECENT = 1000  # people whose last reach is kept in memory (for a farewell)
RECENT_FOR = timedelta(hours=1)  # and for how long


class TeamsPlatform:
    """Teams' :class:`bot.ports.Platform`."""

    name = PLATFORM
    capabilities = CAPABILITIES

    def __init__(
        self, uow: UnitOfWorkFactory, connector: Connector, app_id: str, clock: Clock
    ) -> None:
        self._uow = uow
        self.connector = connector
        self._bot = f"28:{app_id}"
        self._clock = clock
        # (workspace id, person) -> when, and where they were last reached.
        self._recent: OrderedDict[tuple[int, str], tuple[datetime, dict[str, str]]] = OrderedDict()
        self._lock = threading.Lock()

    def send(
        self, workspace: Workspace, outbound: m.Outbound, *, again: bool = False
    ) -> SendResult:
        where = self._where(workspace, outbound.to)
        if isinstance(where, Rejected):
            return where
        service, conversation, farewell = where
        activity = self._activity(workspace, outbound.message)
        try:
            activity_id = self.connector.post(service, conversation, activity)
        except ConnectorError as error:
            return _result(error)
        if farewell and isinstance(outbound.to, m.ToPerson):  # the memory of them goes too
            with self._lock:
                self._recent.pop((workspace.id, outbound.to.user_id), None)
        return Delivered(f"{conversation}|{activity_id}")

    def reached(self, workspace_id: int, user_id: str, address: Mapping[str, str]) -> None:
        """Where a person was reached just now, kept in memory a while: if they are
        erased (``forget me``), the farewell still finds their chat."""
        fields = ("service_url", "conversation", "teams_id")
        kept = {k: address[k] for k in fields if address.get(k)}
        if not kept.get("service_url"):
            return
        with self._lock:
            self._recent[(workspace_id, user_id)] = (self._clock.now(), kept)
            self._recent.move_to_end((workspace_id, user_id))
            while len(self._recent) > _RECENT:
                self._recent.popitem(last=False)

    def update(self, workspace: Workspace, platform_id: str, message: m.Message) -> SendResult:
        conversation, _, activity_id = platform_id.partition("|")
        address = self._address(workspace, conversation) or self._address(workspace, _TENANT)
        if address is None or not activity_id:
            return Rejected("Tandem does not know that conversation")
        if address.get("state") == REMOVED:
            return Rejected("Tandem was removed from there")
        activity = {**self._activity(workspace, message), "id": activity_id}
        try:
            self.connector.put(address["service_url"], conversation, activity_id, activity)
        except ConnectorError as error:
            return _result(error)
        return Delivered(platform_id)

    def card(self, workspace: Workspace, message: m.Message) -> dict[str, Any]:
        """The card for a message, its mentions resolved (for answers in place)."""
        return message_card(message, self.people(workspace))

    def people(self, workspace: Workspace) -> People:
        """How cards of this workspace name people: from their stored addresses."""
        return lambda user: self.someone(workspace, user)

    def someone(self, workspace: Workspace, user_id: str) -> Someone | None:
        """A person as Teams knows them (Teams id, name, email), if Tandem has met them."""
        found = self._address(workspace, user_id)
        if found is None or not found.get("teams_id"):
            return None
        return Someone(found["teams_id"], found.get("name", ""), found.get("email", ""))

    # --- where a message goes ----------------------------------------------------------

    def _where(self, workspace: Workspace, to: m.Recipient) -> tuple[str, str, bool] | Rejected:
        """The service and the conversation; and whether it is where someone erased
        a moment ago was reached (their farewell)."""
        if isinstance(to, m.ToGroup):
            return Rejected("Teams has no group conversations for bots")
        if isinstance(to, m.ToChannel):
            found = self._address(workspace, to.channel)
            if found is None or not found.get("conversation"):
                return Rejected("Tandem is not in that channel's team")
            if found.get("state") == REMOVED:
                return Rejected("Tandem was removed from that channel's team")
            return found["service_url"], found["conversation"], False
        found = self._address(workspace, to.user_id)
        farewell = found is None
        if found is None:  # erased a moment ago (the farewell), or never met
            found = self._recently(workspace.id, to.user_id)
        elif found.get("state") == REMOVED:
            return Rejected("they removed Tandem from their apps")
        if found is not None and found.get("conversation"):
            return found["service_url"], found["conversation"], farewell
        opened = self._open_chat(workspace, to.user_id, found)
        return opened if isinstance(opened, Rejected) else (*opened, farewell)

    def _recently(self, workspace_id: int, user_id: str) -> Mapping[str, str] | None:
        with self._lock:
            kept = self._recent.get((workspace_id, user_id))
        if kept is None or self._clock.now() - kept[0] > RECENT_FOR:
            return None
        return kept[1]

    def _open_chat(
        self, workspace: Workspace, user_id: str, found: Mapping[str, str] | None
    ) -> tuple[str, str] | Rejected:
        """Open the person's one-to-one chat with Tandem, in their tenant."""
        tenant = self._address(workspace, _TENANT)
        service = (found or {}).get("service_url") or (tenant or {}).get("service_url")
        if not service:
            return Rejected("Tandem has not met this person in Teams yet")
        # Their Teams id, which Teams always takes; their Entra object id only for
        # someone never seen in Teams (taken where the app is installed for them).
        member = (found or {}).get("teams_id") or user_id
        body = ConversationParameters(
            bot=ChannelAccount(id=self._bot),
            members=[ChannelAccount(id=member)],
            is_group=False,
            tenant_id=workspace.external_id,
            channel_data={"tenant": {"id": workspace.external_id}},
        ).serialize()
        try:
            conversation = self.connector.open(service, body)
        except ConnectorError as error:
            if error.status in REFUSED:
                return Rejected("Teams would not open a chat with them (not in the tenant?)")
            raise
        with self._uow() as uow:
            # Kept for next time, but only for someone Tandem knows: the farewell to
            # a person who was just erased must not store them again.
            if uow.people.find(workspace.id, user_id) is not None:
                address = {"service_url": service, "conversation": conversation}
                uow.addresses.put(workspace.id, user_id, address, self._clock.now())
                uow.commit()
        return service, conversation

    def _address(self, workspace: Workspace, key: str) -> Mapping[str, str] | None:
        with self._uow() as uow:
            return uow.addresses.get(workspace.id, key)

    def _activity(self, workspace: Workspace, message: m.Message) -> dict[str, Any]:
        card = self.card(workspace, message)
        mentions = [
            Mention(
                type="mention",
                text=e["text"],
                mentioned=ChannelAccount(id=e["mentioned"]["id"], name=e["mentioned"]["name"]),
            )
            for e in card.get("msteams", {}).get("entities", [])
        ]
        activity = Activity(
            type=ActivityTypes.message,
            summary=card["fallbackText"],
            attachments=[Attachment(content_type=CARD, content=card)],
            entities=mentions or None,
        )
        found: dict[str, Any] = activity.serialize()
        return found


def _result(error: ConnectorError) -> SendResult:
    if error.status == 429:  # one conversation (or the tenant) is going too fast
        return RetryLater("throttled", error.retry_after, Scope.CONVERSATION, failure=False)
    if error.status in REFUSED:
        return Rejected(f"{REFUSED[error.status]} ({error.status})")
    # 412, 502, 504, 5xx, no answer: back off, as Teams advises; a 5xx or a timeout
    # may come after Teams posted it.
    ambiguous = error.maybe_sent or error.status >= 500
    return RetryLater(error.code, error.retry_after, ambiguous=ambiguous)
