"""One person's chat with Tandem in a terminal.

Lines become events (a line starting with ``/`` is a command, anything else a
reply). The console is a small chat platform of its own: delivering a message
puts it in the inbox of everyone it is for (every member, for a group message),
and each person's terminal shows their unread messages.
"""

from __future__ import annotations

import itertools
import re
import uuid
from collections.abc import Callable, Sequence

from adapters.console.buttons import Interactive, interactive, pick
from adapters.console.render import render, render_form
from bot import messages as m
from bot.clock import Clock, SystemClock
from bot.engine import Engine, Outcome
from bot.events import Actor, ChoicePicked, CommandIssued, Inbound, TextReplied
from bot.text import handle_for
from store.console import ConsoleMailbox

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
        mailbox: ConsoleMailbox,
        name: str,
        *,
        workspace: str = WORKSPACE,
        program: str | None = None,
        event_ids: Callable[[], str] | None = None,
        timezone: str | None = None,
        clock: Clock | None = None,
    ) -> None:
        self.engine = engine
        self.mailbox = mailbox
        self.clock = clock or SystemClock()
        self.actor = Actor(workspace, user_id(name), name.strip(), timezone, PLATFORM)
        self.program = program
        self._ids = event_ids or (lambda: f"console-{uuid.uuid4().hex}")
        self._screen: list[Interactive] | None = None  # buttons on screen (None: not loaded)

    def open(self) -> list[str]:
        """Messages that were waiting for this person."""
        direct = self._deliver(self.engine.pending(self.actor))
        return self._shown(direct)

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
        click = pick(line, self.on_screen())
        if click is not None:
            return ChoicePicked(
                event_id=event_id,
                actor=self.actor,
                program=self.program,
                action=click[0],
                values=click[1],
            )
        return TextReplied(event_id=event_id, actor=self.actor, program=self.program, text=line)

    def on_screen(self) -> list[Interactive]:
        """The buttons and selects on this person's screen, newest first."""
        if self._screen is None:  # a new session: the last thing this person saw
            last = self.mailbox.last_shown(self.actor.workspace, self.actor.user)
            self._screen = interactive([last] if last else [])
        return self._screen

    def show(self, outcome: Outcome) -> list[str]:
        # Like a chat client, show whatever else has come due for this person too.
        direct = self._deliver([*outcome.messages, *self.engine.pending(self.actor)])
        lines = self._shown(direct)
        if outcome.form is not None:
            lines.append(render_form(outcome.form))
        return lines

    def _deliver(self, outbound: Sequence[m.Outbound]) -> list[m.Message]:
        """Deliver to the console platform. Messages for this person that have no inbox
        to go to (the reply to "forget me", an apology after a failure) come back, to
        be shown at once."""
        if not outbound:
            return []
        stored = self.mailbox.deliver(self.actor.workspace, outbound, self.clock.now())
        self.engine.delivered(self.actor, [o.key for o in outbound])
        me = self.actor.user
        return [o.message for o in outbound if me in m.users_of(o.to) and (o.key, me) not in stored]

    def _shown(self, direct: list[m.Message]) -> list[str]:
        unread = self.mailbox.take_unread(self.actor.workspace, self.actor.user, self.clock.now())
        screen = [*direct, *unread]
        if screen:
            self._screen = interactive(screen)
        return [render(message) for message in screen]


def counter(prefix: str) -> Callable[[], str]:
    """Deterministic event ids (tests, the demo)."""
    numbers = itertools.count(1)
    return lambda: f"{prefix}-{next(numbers)}"
