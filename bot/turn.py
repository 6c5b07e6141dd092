"""One inbound event being handled: who, when, the unit of work, and the replies.

Also the commands a turn can run (:class:`Command`, :class:`Commands`): a command
runs on a turn and a turn lists the commands, so both live here; the router
(:mod:`bot.router`) implements :class:`Commands`.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Protocol

from bot import forms
from bot import outbound as m
from bot.events import Inbound
from bot.model import Conversation, ConversationKey, Person, Program, Workspace
from bot.platform import DEFAULT_CAPABILITIES, Capabilities
from bot.ports import UnitOfWork
from bot.program.spec import folded_user_id


@dataclass(frozen=True)
class Command:
    """One thing a person can ask for, e.g. ``pause [until DATE]``."""

    name: str
    usage: str
    summary: str
    run: Callable[[Turn, str], None]
    aliases: tuple[str, ...] = ()
    # A coordinator's command: listed in the help of program coordinators only.
    coordinators: bool = False

    def words(self) -> tuple[str, ...]:
        return (self.name, *self.aliases)


class Commands(Protocol):
    """Running commands from inside a flow (the router implements this)."""

    def command(self, turn: Turn, text: str) -> None: ...

    def fall_through(self, turn: Turn, text: str) -> bool: ...

    def listed(self) -> Sequence[Command]: ...

    def everyday(self) -> Sequence[Command]: ...

    def coordinating(self) -> Sequence[Command]: ...


@dataclass
class Turn:
    """The context every command and flow step works in.

    Replies are collected here and written to the outbox with the event's other
    changes, in the same transaction.
    """

    uow: UnitOfWork
    now: datetime
    event: Inbound
    workspace: Workspace
    person: Person
    commands: Commands
    out: list[m.Outbound] = field(default_factory=list)
    form: forms.Form | None = None
    form_errors: dict[str, str] = field(default_factory=dict)
    replace: m.Message | None = None  # the pressed message, as it should look now
    replace_version: int = 0
    # False when the replies must not be stored (after "forget me" erased the
    # person, storing a reply to them would store them again).
    persist: bool = True
    capabilities: Capabilities = DEFAULT_CAPABILITIES  # of the platform it came from
    admins: frozenset[str] = frozenset()  # Tandem's admins here (folded platform ids)
    public_url: str | None = None  # where the web dashboard is served, when it is
    # Keys of replies that hold a secret (a sign-in link): dropped from the outbox once sent.
    secret: set[str] = field(default_factory=set)

    @property
    def key(self) -> ConversationKey:
        return ConversationKey(self.workspace.id, self.person.id)

    def reply(
        self,
        *blocks: m.Block,
        summary: str,
        kind: str = "response",
        match: int | None = None,
        secret: bool = False,
    ) -> None:
        """A direct message to the person who acted (about ``match``, if any); a
        ``secret`` one is not kept once sent."""
        message = m.Message(tuple(blocks), summary, kind, match=match)
        key = f"{self.event.event_id}#{len(self.out)}"
        if secret:
            self.secret.add(key)
        self.out.append(m.Outbound(key, m.ToPerson(self.person.user_id), message))

    def say(self, text: str, *more: m.Block, match: int | None = None) -> None:
        """A short plain reply, optionally followed by more blocks."""
        self.reply(m.para(text), *more, summary=text, match=match)

    def post(self, to: m.Recipient, message: m.Message, key: str) -> None:
        """A message to someone other than the person who acted (e.g. a channel)."""
        self.out.append(m.Outbound(key, to, message))

    def show_form(self, form: forms.Form) -> None:
        self.form = form

    # -- conversation state --------------------------------------------------------

    def conversation(self) -> Conversation | None:
        return self.uow.conversations.load(self.key)

    def remember(self, conversation: Conversation) -> None:
        self.uow.conversations.save(self.key, conversation, self.now)

    def forget_conversation(self) -> None:
        self.uow.conversations.clear(self.key)

    # -- lookups -------------------------------------------------------------------

    def programs(self) -> list[Program]:
        return list(self.uow.programs.all(self.workspace.id))

    def program(self, slug: str) -> Program | None:
        return self.uow.programs.get(self.workspace.id, slug)

    @property
    def is_admin(self) -> bool:
        """Whether this person is one of Tandem's admins (they may add programs)."""
        return folded_user_id(self.person.user_id) in self.admins

    def coordinated(self) -> list[Program]:
        """The programs this person coordinates."""
        return [p for p in self.programs() if p.spec.coordinated_by(self.person.user_id)]
