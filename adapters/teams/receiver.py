"""Teams' part in an event: where each person and channel is reached, kept fresh.

Every request refreshes the stored address of its sender (service URL, Teams id,
name, their chat with Tandem) and of its channel, before the engine sees it: a
database write, nothing more. Tandem also asks Teams for the person's email the
first time (deep links to a group chat or a meeting name people by it, and
colleagues are named by it in dialogs). That is a call to Teams, made only after
the event was answered, never on the way to an answer: for a queued event after
the engine, for a dialog or a card's button after the response. A lookup that
failed is not tried again for that person for :data:`LOOK_AGAIN_AFTER`, nor for
anyone for :data:`PAUSE_AFTER_OUTAGE` when Teams could not be reached at all.
"""

from __future__ import annotations

import logging
import threading
from collections import OrderedDict
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from botbuilder.schema.teams import TeamsChannelAccount

from adapters.teams.connector import ConnectorError
from adapters.teams.platform import TeamsPlatform
from bot.clock import Clock
from bot.engine import Outcome
from bot.events import Actor, Inbound
from bot.handoff import Received
from bot.ports import UnitOfWorkFactory

log = logging.getLogger(__name__)
Addresses = Mapping[str, Mapping[str, str]]
LOOK_AGAIN_AFTER = timedelta(hours=6)  # for one person, after Teams would not say
PAUSE_AFTER_OUTAGE = timedelta(minutes=5)  # for everyone, after Teams could not be reached
_REMEMBERED = 10_000  # people remembered (failed lookups, a missing email)


class TeamsReceiver:
    """A :class:`bot.handoff.Receiver` for Teams (events from the queue), also used
    before the engine answers a dialog or a card at once."""

    def __init__(self, uow: UnitOfWorkFactory, platform: TeamsPlatform, clock: Clock) -> None:
        self._uow = uow
        self._platform = platform
        self._clock = clock
        self._not_before: OrderedDict[tuple[str, str], datetime] = OrderedDict()
        # People last seen without an email (so an event of anyone else costs no read).
        self._wanting: OrderedDict[tuple[str, str], None] = OrderedDict()
        self._paused_until: datetime | None = None
        self._lock = threading.Lock()

    def prepare(self, received: Received, now: datetime) -> Inbound:
        found = received.context.get("addresses")
        if isinstance(found, Mapping):
            self.remember(received.event, found, now)
        return received.event

    def finish(self, received: Received, event: Inbound, outcome: Outcome) -> None:
        """Replies go out through the outbox; what is left is the person's email."""
        found = received.context.get("addresses")
        if isinstance(found, Mapping):
            self.learn_email(event.actor, found)

    def remember(self, event: Inbound, addresses: Addresses, now: datetime) -> None:
        """Store where the sender (and their channel) is reached: no call to Teams."""
        actor = event.actor
        with self._uow() as uow:
            workspace = uow.workspaces.ensure(actor.platform, actor.workspace, now)
            for key, data in addresses.items():
                uow.addresses.put(workspace.id, key, {k: str(v) for k, v in data.items()}, now)
            mine = uow.addresses.get(workspace.id, actor.user_id) or {}
            uow.commit()
        self._platform.reached(workspace.id, actor.user_id, mine)
        who = (actor.workspace, actor.user_id)
        with self._lock:
            if mine.get("email") or not mine.get("teams_id"):
                self._wanting.pop(who, None)
            else:
                _remember(self._wanting, who, None)

    def learn_email(self, actor: Actor, addresses: Addresses) -> None:
        """Ask Teams for the person's email, if Tandem has none for them yet."""
        with self._lock:
            if (actor.workspace, actor.user_id) not in self._wanting:
                return
        now = self._clock.now()
        with self._uow() as uow:
            workspace = uow.workspaces.ensure(actor.platform, actor.workspace, now)
            address = uow.addresses.get(workspace.id, actor.user_id) or {}
            uow.commit()
        if address.get("email") or not address.get("teams_id") or not address.get("service_url"):
            return
        # Their chat with Tandem, or the channel this came from: Teams answers for
        # a member of either.
        conversation = address.get("conversation") or next(
            (
                data["conversation"]
                for key, data in addresses.items()
                if key != actor.user_id and data.get("conversation")
            ),
            "",
        )
        if not conversation or not self._may_look_up(actor, now):
            return
        try:
            member = self._platform.connector.member(
                address["service_url"], conversation, address["teams_id"]
            )
        except ConnectorError as error:
            self._failed(actor, error, now)
            log.info("Teams did not say who someone is: %s", error.code[:40])
            return
        account = TeamsChannelAccount().deserialize(dict(member))
        upn, mail = str(account.user_principal_name or ""), str(account.email or "")
        found = {"email": (upn or mail)[:200], "mail": mail[:200] if mail != upn else ""}
        if not found["email"]:
            return
        with self._uow() as uow:
            # Not for someone erased meanwhile (forget me): that would store them again.
            if uow.addresses.get(workspace.id, actor.user_id) is not None:
                uow.addresses.put(workspace.id, actor.user_id, found, now)
                uow.commit()
        with self._lock:
            self._not_before.pop((actor.workspace, actor.user_id), None)
            self._wanting.pop((actor.workspace, actor.user_id), None)

    def _may_look_up(self, actor: Actor, now: datetime) -> bool:
        """Whether to ask Teams now; if so, nobody else asks about them meanwhile."""
        key = (actor.workspace, actor.user_id)
        with self._lock:
            if self._paused_until is not None and now < self._paused_until:
                return False
            not_before = self._not_before.get(key)
            if not_before is not None and now < not_before:
                return False
            _remember(self._not_before, key, now + LOOK_AGAIN_AFTER)
        return True

    def _failed(self, actor: Actor, error: ConnectorError, now: datetime) -> None:
        if error.status == 0 or error.status == 429 or error.status >= 500:
            with self._lock:  # Teams (or the bot's login) is away: nobody asks for a while
                self._paused_until = now + PAUSE_AFTER_OUTAGE
                key = (actor.workspace, actor.user_id)
                if key in self._not_before:  # and then them first, not hours later
                    self._not_before[key] = self._paused_until


def _remember(cache: OrderedDict[tuple[str, str], Any], key: tuple[str, str], value: Any) -> None:
    cache[key] = value
    cache.move_to_end(key)
    if len(cache) > _REMEMBERED:
        cache.popitem(last=False)
