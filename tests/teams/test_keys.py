"""The Bot Framework's signing keys, fetched over HTTP from a key server of the
tests' own: one fetch at a time, old keys serving while new ones are fetched, and
no fetch storm whatever the key server does. Time is a number the test moves."""

from __future__ import annotations

import asyncio
from collections.abc import Callable

from adapters.teams.auth import KEYS_FOR, LOOK_AGAIN_AFTER, SigningKeys
from fakes.teams_keys import KeyServer

GUARD = 10  # seconds: a test that waits longer than this is failing, not slow


class Clock:
    """Monotonic seconds, moved by the test (``step`` moves it on every reading, as
    if every look at the clock came a little later)."""

    def __init__(self, step: float = 0.0) -> None:
        self.now = 1000.0
        self.step = step

    def __call__(self) -> float:
        self.now += self.step
        return self.now


def _keys(server: KeyServer, clock: Callable[[], float]) -> SigningKeys:
    # A generous timeout: a request that waits for a hanging fetch hits GUARD first.
    return SigningKeys(server.url, now=clock, timeout=60)


async def test_old_keys_serve_at_once_while_a_hanging_key_server_is_asked_once(
    keys: KeyServer,
) -> None:
    clock = Clock()
    found = _keys(keys, clock)
    assert await found.find("key-1") is not None
    assert keys.fetches == 1

    clock.now += KEYS_FOR + 1  # the keys are a day old
    keys.hold()  # and the key server hangs
    answers = await asyncio.wait_for(
        asyncio.gather(*(found.find("key-1") for _ in range(20))), GUARD
    )
    assert all(answer is not None for answer in answers)  # nobody waited for it
    clock.now += LOOK_AGAIN_AFTER + 1  # still hanging, much later
    assert await asyncio.wait_for(found.find("key-1"), GUARD) is not None

    keys.release()
    await asyncio.wait_for(found.settled(), GUARD)
    assert keys.fetches == 2  # one renewal for all of them
    assert await found.find("key-1") is not None
    await found.settled()
    assert keys.fetches == 2  # renewed: nothing more to fetch


async def test_a_failed_fetch_is_not_tried_again_for_a_while(keys: KeyServer) -> None:
    clock = Clock()
    found = _keys(keys, clock)
    assert await found.find("key-1") is not None

    clock.now += KEYS_FOR + 1
    keys.failing = True
    for _ in range(10):  # requests keep coming, a couple of seconds apart
        clock.now += 2
        assert await found.find("key-1") is not None  # the old key still serves
        assert await found.find("key-nobody-published") is None
        await found.settled()
    assert keys.fetches == 2  # the first request tried; the others waited it out

    clock.now += LOOK_AGAIN_AFTER
    keys.failing = False
    assert await found.find("key-1") is not None
    await found.settled()
    assert keys.fetches == 3


async def test_unknown_key_ids_at_once_share_one_fetch(keys: KeyServer) -> None:
    clock = Clock()
    found = _keys(keys, clock)
    assert await found.find("key-1") is not None
    clock.now += LOOK_AGAIN_AFTER + 1
    clock.step = 2.0  # the fetch is slow: every later look at the clock is later

    answers = await asyncio.wait_for(
        asyncio.gather(*(found.find(f"bogus-{n}") for n in range(20))), GUARD
    )
    assert answers == [None] * 20
    assert keys.fetches == 2  # the first at start, one for all twenty

    more = await asyncio.gather(*(found.find(f"other-{n}") for n in range(20)))
    assert more == [None] * 20
    assert keys.fetches == 2  # looked for a moment ago: not again so soon


async def test_with_no_key_known_a_failed_first_fetch_is_tried_again_soon(
    keys: KeyServer,
) -> None:
    clock = Clock()
    found = _keys(keys, clock)
    keys.failing = True
    assert await found.find("key-1") is None
    assert await found.find("key-1") is None
    assert keys.fetches == 1
    keys.failing = False
    clock.now += 31
    assert await found.find("key-1") is not None
    assert keys.fetches == 2
