"""A chat platform, as the engine and the outbox see it, and what platforms keep
with Tandem: installs, addresses, and the console's inboxes."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from typing import Protocol

from bot.model import Workspace
from bot.outbound import Message, Outbound


@dataclass(frozen=True)
class Capabilities:
    """What a platform can do, for the engine and the outbox to adapt to."""

    group_conversations: bool  # can open one conversation of several people (Slack: a group DM)
    forms: bool  # can show a whole form at once (a Slack modal, a Teams dialog)
    update_in_place: bool  # a sent message can be replaced (buttons give way to the answer)
    finds_sent: bool  # can find a message it may have sent before a crash, by its key
    max_text: int  # characters in one text element
    max_options: int  # options in one select
    burst: int = 3  # messages one conversation takes at once,
    per_second: float = 1.0  # then this many a second
    workspace_per_second: float | None = None  # for a whole workspace, where the platform says


# What the engine assumes of a platform it was told nothing about.
DEFAULT_CAPABILITIES = Capabilities(
    group_conversations=True,
    forms=False,
    update_in_place=False,
    finds_sent=False,
    max_text=3000,
    max_options=100,
)


@dataclass(frozen=True)
class Delivered:
    """The platform took the message; its id for it (kept, to update it in place)."""

    platform_id: str = ""


class Scope(StrEnum):
    """What must wait after a refusal: the message, its conversation, or the workspace."""

    MESSAGE = "message"
    CONVERSATION = "conversation"
    WORKSPACE = "workspace"


@dataclass(frozen=True)
class RetryLater:
    """Not now. ``seconds`` is the platform's Retry-After (None: back off);
    ``failure`` is false for a rate limit (waiting is all it takes) and true for an
    error; ``ambiguous`` when the platform may have taken the message all the same
    (a timeout, an error after posting)."""

    reason: str
    seconds: float | None = None
    scope: Scope = Scope.MESSAGE
    failure: bool = True
    ambiguous: bool = False


@dataclass(frozen=True)
class Rejected:
    """The platform refused the message for good (a channel gone, a user deactivated,
    Tandem uninstalled); ``reason`` says so in a few plain words."""

    reason: str


SendResult = Delivered | RetryLater | Rejected


class Platform(Protocol):
    """A chat platform Tandem delivers to: what each adapter implements for the outbox.

    Calls block (the outbox runs them on its own threads) and never raise for
    anything the platform answers: every outcome is a :data:`SendResult`.
    """

    @property
    def name(self) -> str:
        """The platform's name, as workspaces are stored (``slack``, ``console``)."""
        ...

    @property
    def capabilities(self) -> Capabilities: ...

    def send(self, workspace: Workspace, outbound: Outbound, *, again: bool = False) -> SendResult:
        """Deliver ``outbound`` to the person, group or channel it is addressed to.

        ``again``: an earlier call may have reached the platform unrecorded. A
        platform that ``finds_sent`` looks for the message by its key first and
        answers with that message's id instead of posting it twice.
        """
        ...

    def update(self, workspace: Workspace, platform_id: str, message: Message) -> SendResult:
        """Replace a message sent earlier (``platform_id`` from its :class:`Delivered`)."""
        ...


# --- what platforms keep with us ---------------------------------------------------


@dataclass(frozen=True)
class Installation:
    """Tandem installed in one workspace of a platform, and what lets it act there."""

    platform: str
    workspace: str  # the platform's id of the workspace (a Slack team id)
    token: str
    bot_user_id: str
    installer: str
    installed_at: datetime
    details: Mapping[str, str] = field(default_factory=dict)

    def __repr__(self) -> str:  # the token never reaches a log
        return f"Installation(platform={self.platform!r}, workspace={self.workspace!r})"


class Installations(Protocol):
    """Tandem's installs, one per workspace, with what lets it act there."""

    def save(self, installation: Installation) -> None:
        """Store an install; a second install of the same workspace replaces it."""
        ...

    def find(self, platform: str, workspace: str) -> Installation | None: ...

    def remove(self, platform: str, workspace: str) -> bool:
        """Forget the workspace's install (its token); whether there was one."""
        ...


class Addresses(Protocol):
    """Where a platform reaches a person or a channel (a Teams conversation reference:
    its service URL, conversation id, the person's ids there). Refreshed on every
    request from them; erased with the person."""

    def put(self, workspace_id: int, key: str, data: Mapping[str, str], now: datetime) -> None:
        """Store (or refresh, merging the given fields) the address of ``key`` (a
        person's platform id, or a channel's)."""
        ...

    def get(self, workspace_id: int, key: str) -> Mapping[str, str] | None: ...

    def find(self, workspace_id: int, field: str, value: str) -> str | None:
        """The key whose address has ``field`` equal to ``value`` (case-insensitive),
        e.g. the person with this email address."""
        ...

    def forget(self, workspace_id: int, key: str) -> None: ...


class Mailbox(Protocol):
    """The console platform's inboxes: what each person's terminal has still to show."""

    def deliver(self, workspace_id: int, outbound: Outbound, now: datetime) -> int:
        """Put the message in the inbox of everyone it is for (once per key); how
        many inboxes have it (a person erased has none)."""
        ...

    def last_shown(self, workspace_id: int, user_id: str) -> Message | None:
        """The most recent message this person has seen (what is on their screen)."""
        ...

    def take_unread(
        self, workspace_id: int, user_id: str, now: datetime
    ) -> Sequence[tuple[str, Message]]:
        """This person's messages not shown yet (key, message), oldest first; they
        count as shown from now on."""
        ...

    def redact(self, workspace_id: int, traces: Sequence[str]) -> int:
        """Other people's inbox copies that name someone erased (any of ``traces``)
        keep only that a message was there; how many changed."""
        ...
