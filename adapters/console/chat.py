"""One person's chat with Tandem in a terminal.

Lines become events (a line starting with ``/`` is a command, anything else a
reply); the engine's messages for this person are printed and then reported as
delivered. Messages for other people stay in the outbox until they open their
own chat.
"""

from __future__ import annotations

import itertools
import re
import uuid
from collections.abc import Callable, Iterable

from adapters.console.render import render, render_form
from bot import messages as m
from bot.engine import Engine, Outcome
from bot.events import Actor, CommandIssued, Inbound, TextReplied
from bot.text import handle_for

PLATFORM = "console"
WORKSPACE = "console"
_COMMAND_PREFIX = re.compile(r"^/(?:mentor|tandem)?\s*", re.IGNORECASE)


def user_id(name: str) -> str:
    """The console's stand-in for a platform user id: the name as a plain handle."""
    return handle_for(name) or "someone"


class ConsoleChat:
    """A chat session for one person; :meth:`send` returns the printed replies."""

    def __init__(
        self,
        engine: Engine,
        name: str,
        *,
        workspace: str = WORKSPACE,
        program: str | None = None,
        event_ids: Callable[[], str] | None = None,
        timezone: str | None = None,
    ) -> None:
        self.engine = engine
        self.actor = Actor(workspace, user_id(name), name.strip(), timezone, PLATFORM)
        self.program = program
        self._ids = event_ids or (lambda: f"console-{uuid.uuid4().hex}")

    def open(self) -> list[str]:
        """Messages that were waiting for this person."""
        return self._deliver(self.engine.pending(self.actor))

    def send(self, line: str) -> list[str]:
        outcome = self.engine.handle(self.event_for(line))
        return self.show(outcome)

    def event_for(self, line: str) -> Inbound:
        event_id = self._ids()
        if line.startswith("/"):
            command = _COMMAND_PREFIX.sub("", line, count=1)
            return CommandIssued(
                event_id=event_id, actor=self.actor, program=self.program, text=command
            )
        return TextReplied(event_id=event_id, actor=self.actor, program=self.program, text=line)

    def show(self, outcome: Outcome) -> list[str]:
        lines = self._deliver(outcome.messages)
        if outcome.form is not None:
            lines.append(render_form(outcome.form))
        return lines

    def _deliver(self, outbound: Iterable[m.Outbound]) -> list[str]:
        mine = [o for o in outbound if self._for_me(o.to)]
        if mine:
            self.engine.delivered(self.actor, [o.key for o in mine])
        return [render(o.message) for o in mine]

    def _for_me(self, to: m.Recipient) -> bool:
        if isinstance(to, m.ToPerson):
            return to.user == self.actor.user
        return isinstance(to, m.ToGroup) and self.actor.user in to.users


def counter(prefix: str) -> Callable[[], str]:
    """Deterministic event ids (tests, the demo)."""
    numbers = itertools.count(1)
    return lambda: f"{prefix}-{next(numbers)}"
