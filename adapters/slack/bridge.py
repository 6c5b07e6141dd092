"""Between Slack's requests and the engine: running the engine, then delivering.

Blocking work never runs on the event loop. The engine calls that come before an
ack have a thread pool of their own, so slow deliveries (paced posts, a slow Web
API) can never hold up an acknowledgement; the profile lookup before an ack is
truly asynchronous, so its time limit really ends it.
"""

from __future__ import annotations

import asyncio
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import Any, TypeVar

from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack.outbound import SlackSender
from adapters.slack.render import home_view, modal
from bot.dispatch import SendError
from bot.engine import Engine, Outcome
from bot.events import Actor, Inbound
from bot.logs import log_failure

log = logging.getLogger(__name__)
T = TypeVar("T")
PROFILE_SECONDS = 1.0  # how long an ack may wait for the person's Slack profile
_REMEMBERED = 10_000  # timezones and message versions kept per process
_ACK_THREADS = 8


@dataclass
class SlackBridge:
    engine: Engine
    sender: SlackSender
    api_url: str
    profile_seconds: float = PROFILE_SECONDS
    _tasks: set[asyncio.Task[None]] = field(default_factory=set)
    _zones: OrderedDict[tuple[str, str], str | None] = field(default_factory=OrderedDict)
    _inflight: set[str] = field(default_factory=set)  # outbox keys being posted here
    _versions: OrderedDict[tuple[str, str], int] = field(default_factory=OrderedDict)
    _locks: OrderedDict[tuple[str, str], asyncio.Lock] = field(default_factory=OrderedDict)
    _ack_pool: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(_ACK_THREADS, thread_name_prefix="slack-ack")
    )

    # --- before the ack ------------------------------------------------------------

    async def handle(self, event: Inbound) -> Outcome:
        """The engine takes the event (and queues its replies) before Slack hears back."""
        return await self._before_ack(self.engine.handle, event)

    async def _before_ack(self, call: Callable[..., T], *args: Any) -> T:
        return await asyncio.get_running_loop().run_in_executor(self._ack_pool, call, *args)

    async def timezone(self, team: str, user: str) -> str | None:
        """The person's timezone from their Slack profile (remembered a while)."""
        if (team, user) in self._zones:
            self._zones.move_to_end((team, user))
            return self._zones[(team, user)]
        try:
            token = await self._before_ack(self.sender.token, team)
            client = AsyncWebClient(token=token, base_url=self.api_url, timeout=1)
            info = await asyncio.wait_for(client.users_info(user=user), self.profile_seconds)
            zone = info["user"].get("tz") if info.get("ok") else None
        except Exception:  # noqa: BLE001 - a default answer is a nicety, never a blocker
            return None  # not remembered: next time Slack may answer
        _remember(self._zones, (team, user), zone)
        return zone

    # --- after the ack -----------------------------------------------------------------

    def later(self, work: Callable[[], Awaitable[None]]) -> None:
        """Run ``work`` after the ack; the task is kept so it is not collected."""
        task = asyncio.create_task(self._guarded(work))
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def settle(self) -> None:
        """Wait for background deliveries (tests, shutdown)."""
        while self._tasks:
            await asyncio.gather(*list(self._tasks))

    async def _guarded(self, work: Callable[[], Awaitable[None]]) -> None:
        try:
            await work()
        except Exception as error:  # noqa: BLE001 - the outbox still has the messages
            log_failure(log, "delivering to Slack", error)

    async def deliver(self, actor: Actor, outcome: Outcome, trigger_id: str | None = None) -> None:
        """Open the outcome's form and post its messages, recording each delivery."""
        if outcome.form is not None and trigger_id:
            view = modal(outcome.form)
            await self._quietly(self.sender.open_modal, actor.workspace, trigger_id, view)
        for outbound in outcome.messages:
            if outbound.key in self._inflight:
                continue  # the first try of this event is posting it right now
            self._inflight.add(outbound.key)
            try:
                # A retried event hands back what its first try left unrecorded:
                # that try may have posted it, so Slack is asked first.
                post = partial(self.sender.post, again=outcome.duplicate)
                platform_id = await self._quietly(post, actor.workspace, outbound)
                if platform_id is not None:
                    await asyncio.to_thread(
                        self.engine.delivered, actor, [outbound.key], platform_id
                    )
            finally:
                self._inflight.discard(outbound.key)

    async def update(
        self,
        team: str,
        where: tuple[str, str],
        blocks: list[Any],
        text: str,
        version: int = 0,
    ) -> None:
        """Replace a message (``where``: channel, ts), never with an older version
        than the one shown: presses of a shared message finish in any order."""
        lock = self._locks.get(where) or asyncio.Lock()
        _remember(self._locks, where, lock)
        async with lock:  # one message at a time; others update meanwhile
            if version < self._versions.get(where, 0):
                return
            _remember(self._versions, where, version)
            await self._quietly(self.sender.update, team, where[0], where[1], blocks, text)

    async def publish_home(self, actor: Actor) -> None:
        """Show the person's App Home as it is now."""
        view = home_view(await asyncio.to_thread(self.engine.home, actor))
        await self._quietly(self.sender.publish_home, actor.workspace, actor.user, view)

    async def _quietly(self, call: Callable[..., Any], *args: Any) -> Any:
        try:
            return await asyncio.to_thread(call, *args)
        except SendError as error:
            # A post stays in the outbox: the dispatcher tries again after the reply
            # grace, no earlier than Slack's Retry-After. A modal or an update is
            # gone; pressing again brings it back.
            log.warning("Slack call failed: %s", error)
            return None


def _remember(cache: OrderedDict[Any, Any], key: Any, value: Any) -> None:
    cache[key] = value
    cache.move_to_end(key)
    if len(cache) > _REMEMBERED:
        cache.popitem(last=False)
