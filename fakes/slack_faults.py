"""How the fake Slack misbehaves when a test or a benchmark asks it to."""

from __future__ import annotations

import random
from collections import Counter
from dataclasses import dataclass, field


@dataclass
class Faults:
    """How the fake misbehaves, as Slack does under load; seeded, so a run repeats.

    Of the calls to ``methods``: ``ratelimited`` of them get 429 with
    ``Retry-After``; ``errors`` get a 500 (an HTML page, as from a proxy) and do
    nothing; ``posted_then_error`` do their work (the message is in the channel)
    and then answer 500. Every answer waits ``delay`` seconds first (a slow Slack).
    """

    ratelimited: float = 0.0
    retry_after: int = 1
    errors: float = 0.0
    posted_then_error: float = 0.0
    delay: float = 0.0
    methods: frozenset[str] = frozenset({"chat.postMessage"})
    seed: int = 7
    seen: Counter[str] = field(default_factory=Counter)  # what happened, by outcome
    _random: random.Random = field(init=False, repr=False)

    def __post_init__(self) -> None:
        self._random = random.Random(self.seed)

    def roll(self, method: str) -> str:
        """What happens to this call: ok, ratelimited, error or posted_then_error."""
        if method not in self.methods:
            return "ok"
        roll = self._random.random()
        for outcome, share in (
            ("ratelimited", self.ratelimited),
            ("error", self.errors),
            ("posted_then_error", self.posted_then_error),
        ):
            if roll < share:
                self.seen[outcome] += 1
                return outcome
            roll -= share
        self.seen["ok"] += 1
        return "ok"
