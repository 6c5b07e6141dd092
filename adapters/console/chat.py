"""One person's chat with Tandem in a terminal.

Lines become events (a line starting with ``/`` is a command, anything else a
reply). The console is a small chat platform of its own
(:mod:`adapters.console.platform`): the outbox delivers a message by putting it
in the inbox of everyone it is for (every member, for a group message), and
each person's terminal shows their unread messages.
"""

from __future__ import annotations

import itertools
import re
import uuid
from collections.abc import Callable

from adapters.console.attachments import Attachments
from adapters.console.buttons import Interactive, interactive, pick
from adapters.console.platform import PLATFORM as PLATFORM  # re-exported: chats name it
from adapters.console.render import render, render_form
from bot import outbound as m
from bot.clock import Clock, SystemClock
from bot.delivery import Courier
from bot.engine import Engine, Outcome
from bot.events import Actor, ChoicePicked, CommandIssued, Inbound, TextReplied
from bot.model import Workspace
from bot.ports import Unavailable, UnitOfWork, UnitOfWorkFactory
from bot.text import user_id_for

WORKSPACE = "console"
_UNAVAILABLE = (
    "Tandem can't reach its database just now, so nothing changed. Try again in a minute."
)
_COMMAND_PREFIX = re.compile(r"^/(?:mentor|tandem)?\s*", re.IGNORECASE)


def user_id(name: str) -> str:
    """The console's stand-in for a platform user id: the name as a plain handle."""
    return user_id_for(name) or "someone"


class ConsoleChat:
    """A chat session for one person; :meth:`send` returns the printed replies."""

    def __init__(
        self,
        engine: Engine,
        uow: UnitOfWorkFactory,
        courier: Courier,
        name: str,
        *,
        workspace: str = WORKSPACE,
        program: str | None = None,
        event_ids: Callable[[], str] | None = None,
        timezone: str | None = None,
        clock: Clock | None = None,
        attachments: Attachments | None = None,
    ) -> None:
        self.engine = engine
        self.attachments = attachments  # where charts and files are saved (None: not)
        self.uow = uow
        self.courier = courier
        self.clock = clock or SystemClock()
        self.actor = Actor(workspace, user_id(name), name.strip(), timezone, PLATFORM)
        self.program = program
        self._ids = event_ids or (lambda: f"console-{uuid.uuid4().hex}")
        self._screen: list[Interactive] | None = None  # buttons on screen (None: not loaded)
        self._workspace: Workspace | None = None

    def open(self) -> list[str]:
        """Messages that were waiting for this person."""
        return self._shown([])

    def send(self, line: str) -> list[str]:
        try:
            outcome = self.engine.handle(self.event_for(line))
        except Unavailable:
            return [_UNAVAILABLE]
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
            with self.uow() as uow:
                last = uow.mailbox.last_shown(self._workspace_id(uow), self.actor.user_id)
                uow.commit()
            self._screen = interactive([last] if last else [])
        return self._screen

    def show(self, outcome: Outcome) -> list[str]:
        lines = self._shown([o for o in outcome.messages if self.actor.user_id in m.users_of(o.to)])
        if outcome.form is not None:
            lines.append(render_form(outcome.form))
        return lines

    def _shown(self, replies: list[m.Outbound]) -> list[str]:
        # Like a chat client, show whatever has come due for this person: the outbox
        # delivers to every console inbox, this person's among them.
        self.courier.drain()
        with self.uow() as uow:
            unread = uow.mailbox.take_unread(
                self._workspace_id(uow), self.actor.user_id, self.clock.now()
            )
            uow.commit()
        # A reply that no inbox could take (the farewell after "forget me", an
        # apology to someone Tandem could not even record) is shown at once.
        taken = {key for key, _ in unread}
        direct = [o.message for o in replies if o.key not in taken]
        screen = [*direct, *(message for _, message in unread)]
        if screen:
            self._screen = interactive(screen)
        return [self._render(message) for message in screen]

    def _render(self, message: m.Message) -> str:
        if self.attachments is None:
            return render(message)
        return render(message, self.attachments.save(self.actor.user_id, message))

    def _workspace_id(self, uow: UnitOfWork) -> int:
        """The console workspace's id (the caller commits: it may be new)."""
        if self._workspace is None:
            self._workspace = uow.workspaces.ensure(
                PLATFORM, self.actor.workspace, self.clock.now()
            )
        return self._workspace.id


def counter(prefix: str) -> Callable[[], str]:
    """Deterministic event ids (tests, the demo)."""
    numbers = itertools.count(1)
    return lambda: f"{prefix}-{next(numbers)}"
