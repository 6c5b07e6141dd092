"""Slack's part in an event that waited in the queue: just before the engine, and after.

Before: the person's timezone from their profile (the survey's default answer),
and whether a modal can still be opened. Slack's ``trigger_id`` lives three
seconds; an event handled later than :data:`FORM_WINDOW` after it came gets the
chat version of a form (one question at a time in the DM) instead of a modal
that could no longer open.

After: the modal opened, the pressed message updated (the buttons give way to
the answer, or a shared message such as a poll shows its new tally, never an
older one), the App Home refreshed. Replies are the outbox's to send.
"""

from __future__ import annotations

import dataclasses
import logging
import threading
from collections import OrderedDict
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from adapters.slack.modals import modal
from adapters.slack.platform import SlackPlatform
from adapters.slack.render import escape, fallback_text, home_view, message_blocks
from bot.engine import Engine, Outcome
from bot.events import CHAT, Actor, ChoicePicked, CommandIssued, Inbound, Surface
from bot.handoff import Received
from bot.platform import Delivered

log = logging.getLogger(__name__)
FORM_WINDOW = timedelta(seconds=2)  # of a trigger's 3 s, what may pass before the engine
FORMS = Surface(forms=True)
SHARED = frozenset({"poll"})  # kinds of message that many people answer
_REMEMBERED = 10_000


class SlackReceiver:
    """A :class:`bot.handoff.Receiver` for Slack."""

    def __init__(self, platform: SlackPlatform, engine: Engine) -> None:
        self._platform = platform
        self._engine = engine
        self._versions: OrderedDict[tuple[str, str], int] = OrderedDict()
        self._locks: OrderedDict[tuple[str, str], threading.Lock] = OrderedDict()
        self._guard = threading.Lock()

    def prepare(self, received: Received, now: datetime) -> Inbound:
        event = received.event
        trigger = received.context.get("trigger")
        fresh = (
            bool(trigger)
            and received.received_at is not None
            and now - received.received_at <= FORM_WINDOW
        )
        actor = event.actor
        if actor.timezone is None and isinstance(event, CommandIssued | ChoicePicked):
            zone = self._platform.timezone(actor.workspace, actor.user_id)
            actor = dataclasses.replace(actor, timezone=zone)
        return dataclasses.replace(event, actor=actor, surface=FORMS if fresh else CHAT)

    def finish(self, received: Received, event: Inbound, outcome: Outcome) -> None:
        team, context = event.actor.workspace, received.context
        trigger = context.get("trigger")
        if outcome.form is not None and event.surface.forms and trigger:
            opened = self._platform.open_modal(team, str(trigger), modal(outcome.form))
            if not isinstance(opened, Delivered):
                log.warning("a form could not be opened: %s", opened)
        pressed = context.get("pressed")
        if isinstance(pressed, Mapping) and not outcome.duplicate:
            self._answered(team, event.actor, outcome, pressed)
        if context.get("home"):
            self.publish_home(event.actor)

    def publish_home(self, actor: Actor) -> None:
        """Show the person's App Home as it is now."""
        view = home_view(self._engine.home(actor))
        self._platform.publish_home(actor.workspace, actor.user_id, view)

    def _answered(
        self, team: str, actor: Actor, outcome: Outcome, pressed: Mapping[str, Any]
    ) -> None:
        channel, ts = str(pressed.get("channel", "")), str(pressed.get("ts", ""))
        if outcome.replace is not None:  # the engine says how the message looks now
            blocks, text = message_blocks(outcome.replace), fallback_text(outcome.replace)
            self.update(team, (channel, ts), blocks, text, outcome.replace_version)
            return
        if pressed.get("kind") in SHARED:
            return  # many people answer it: only the engine may change it
        # The buttons give way to the answer, so nobody presses twice.
        original = pressed.get("blocks") or []
        kept = [b for b in original if isinstance(b, Mapping) and b.get("type") != "actions"]
        chose = f"<@{actor.user_id}> chose *{escape(str(pressed.get('label', '')))}*"
        kept.append({"type": "context", "elements": [{"type": "mrkdwn", "text": chose}]})
        text = str(pressed.get("text", ""))  # Slack's own (already escaped) fallback text
        self.update(team, (channel, ts), kept, text)

    def update(
        self, team: str, where: tuple[str, str], blocks: list[Any], text: str, version: int = 0
    ) -> None:
        """Replace a message, never with an older version than the one shown:
        presses of a shared message may finish in any order."""
        with self._guard:
            lock = self._locks.get(where) or threading.Lock()
            _remember(self._locks, where, lock)
        with lock:  # one update of a message at a time; other messages meanwhile
            if version < self._versions.get(where, 0):
                return
            with self._guard:
                _remember(self._versions, where, version)
            self._platform.update_blocks(team, where[0], where[1], blocks, text)


def _remember(cache: OrderedDict[Any, Any], key: Any, value: Any) -> None:
    cache[key] = value
    cache.move_to_end(key)
    if len(cache) > _REMEMBERED:
        cache.popitem(last=False)
