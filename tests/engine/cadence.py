"""A running pair for cadence tests: Ana (Berlin) and Bo (London), matched on
Monday 23 November 2026 at 09:00 UTC by the coordinator."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from adapters.console.chat import ConsoleChat
from bot.cadence.due import Cadence
from bot.clock import ManualClock
from bot.delivery import Courier
from tandem.bootstrap import App
from tests.dialog import say
from tests.engine.scripts import answers_for, enrol

MATCHED = datetime(2026, 11, 23, 9, tzinfo=UTC)


@dataclass
class Program:
    app: App
    clock: ManualClock
    ana: ConsoleChat
    bo: ConsoleChat
    cora: ConsoleChat

    def tick(self) -> None:
        Cadence(self.app.uow, self.clock).tick()

    def at(self, when: datetime) -> None:
        """Move time to ``when`` (never backwards) and let the scheduler look."""
        self.clock.set(max(when, self.clock.now()))
        self.tick()

    def day(self, days: float, hour: int = 9) -> None:
        """``days`` after the match, at ``hour`` UTC."""
        self.at(MATCHED.replace(hour=hour) + timedelta(days=days))

    def courier(self, worker: str = "test") -> Courier:
        return self.app.courier(worker=worker)

    def screen(self, person: ConsoleChat) -> str:
        """What the person sees on opening their chat, as one line (wrapping aside)."""
        return " ".join(" ".join(person.open()).split())


def running(
    chat: Callable[..., ConsoleChat],
    app: App,
    clock: ManualClock,
    timezone: str = "Berlin",
    partner_timezone: str = "London",
    *,
    accept: bool = True,
) -> Program:
    ana, bo, cora = chat("Ana"), chat("Bo"), chat("Coordinator")
    enrol(ana, answers_for(offers="SQL", wants="Python", timezone=timezone))
    enrol(bo, answers_for(offers="Python", wants="SQL", timezone=partner_timezone))
    say(cora, "round engineering-growth preview")
    say(cora, "round engineering-growth publish")
    program = Program(app, clock, ana, bo, cora)
    program.screen(ana), program.screen(bo)  # the introduction and the goals prompt
    if accept:  # both accept the agreement, as most people do
        for person in (ana, bo):
            assert "you've accepted the agreement" in say(person, "I accept")
    return program
