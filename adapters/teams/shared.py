"""Cards many people answer (a poll in a channel), replaced in place for everyone.

Presses of one card are answered in any order, by several threads; each press
that changes the card brings a version (newer versions win). Here each card has
at most one replacement under way, always of the newest version asked for, after
the press was answered: an older tally never lands after a newer one, a burst
of presses costs one call per version still newest when the last call ended,
and nothing waits for Teams on the way to an answer. A 429 is waited out as
Teams says (a few times at most); a refusal is logged.

Everything here runs on the event loop; the calls to Teams on the ``after`` pool.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Coroutine
from typing import Any

from adapters.teams.platform import TeamsPlatform
from adapters.wiring import Blocking
from bot import outbound as m
from bot.model import Workspace
from bot.platform import Rejected, RetryLater

log = logging.getLogger(__name__)
SHARED = frozenset({"poll"})  # kinds of message that many people answer
TRIES = 4  # calls for one version, a 429 or a passing failure between them
LONGEST_WAIT = 60.0  # seconds waited before trying again, whatever Teams says
_REMEMBERED = 10_000  # cards whose versions are remembered

Wait = Callable[[float], Awaitable[None]]


class SharedCards:
    """The newest version of each shared card, shown in place."""

    def __init__(
        self,
        platform: TeamsPlatform,
        after: Blocking,
        later: Callable[[Coroutine[Any, Any, None]], None],
        wait: Wait = asyncio.sleep,
    ) -> None:
        self._platform = platform
        self._after = after
        self._later = later
        self.wait = wait  # how a Retry-After is waited out (tests move a clock instead)
        # card -> the newest version asked for, and the card shown at it
        self._wanted: OrderedDict[str, tuple[int, Workspace, m.Message]] = OrderedDict()
        self._shown: OrderedDict[str, int] = OrderedDict()  # card -> version shown
        self._busy: set[str] = set()  # cards with a replacement under way

    def show(self, workspace: Workspace, card: str, message: m.Message, version: int) -> None:
        """Show this version of ``card`` (``conversation|activity``) to everyone,
        unless a newer one was asked for already."""
        wanted = self._wanted.get(card)
        if (wanted is not None and version < wanted[0]) or version < self._shown.get(card, -1):
            return
        _remember(self._wanted, card, (version, workspace, message))
        if card not in self._busy:
            self._later(self._replace(card))

    async def _replace(self, card: str) -> None:
        if card in self._busy:  # another one is under way: it takes the newest too
            return
        self._busy.add(card)
        tries = 0
        try:
            while (wanted := self._wanted.get(card)) is not None:
                version, workspace, message = wanted
                if self._shown.get(card, -1) >= version:
                    return
                result = await self._after(self._platform.update, workspace, card, message)
                if isinstance(result, RetryLater):
                    tries += 1
                    if tries >= TRIES:
                        log.warning("a shared card was not updated: %s", result.reason[:60])
                        return
                    await self.wait(min(result.seconds or 2.0**tries, LONGEST_WAIT))
                    continue
                if isinstance(result, Rejected):
                    log.warning("a shared card could not be updated: %s", result.reason[:80])
                tries = 0
                _remember(self._shown, card, version)
        finally:
            self._busy.discard(card)


def _remember(cache: OrderedDict[str, Any], key: str, value: Any) -> None:
    cache[key] = value
    cache.move_to_end(key)
    if len(cache) > _REMEMBERED:
        cache.popitem(last=False)
