"""What every chapter of the demo works with: the run, its clock and people, and
how a synthetic person answers the programs' intake surveys."""

from __future__ import annotations

import collections
import textwrap
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from adapters.console.chat import ConsoleChat, counter
from bot.clock import ManualClock
from bot.program.spec import ProgramSpec
from bot.timezones import resolve_timezone
from demo.workforce import SyntheticPerson
from tandem.bootstrap import App

START = datetime(2027, 1, 4, 9, 0, tzinfo=UTC)  # a Monday morning
GROWTH = "engineering-growth"
LEADERSHIP = "leadership-mentoring"
Echo = Callable[[str], None]


@dataclass
class DemoRun:
    """What every chapter works with."""

    app: App
    clock: ManualClock
    people: list[SyntheticPerson]
    programs: dict[str, ProgramSpec]
    echo: Echo
    seed: int = 1
    out_dir: Path = Path("data/demo")
    stats: collections.Counter[str] = field(default_factory=collections.Counter)
    cast: dict[str, SyntheticPerson] = field(default_factory=dict)
    # One sequence for the whole run: event ids must never repeat, or the engine
    # (rightly) takes the message for a platform retry and ignores it.
    event_ids: Callable[[], str] = field(default_factory=lambda: counter("demo"))

    def chat(self, person: SyntheticPerson, app: App | None = None) -> ConsoleChat:
        return (app or self.app).chat(person.name, event_ids=self.event_ids)

    def say(self, chat: ConsoleChat, line: str) -> str:
        replies = chat.send(line)
        self.stats["messages from people"] += 1
        self.stats["messages from Tandem"] += len(replies)
        return "\n\n".join(replies)

    def heading(self, title: str) -> None:
        self.echo("")
        self.echo(title)
        self.echo("=" * len(title))

    def transcript(self, chat: ConsoleChat, lines: list[str], *, reply_lines: int = 0) -> str:
        """Say each line, print the exchange (replies but the last cut to ``reply_lines``)."""
        reply = ""
        for number, line in enumerate(lines, start=1):
            reply = self.say(chat, line)
            shown = line if len(line) <= 60 else f"{line[:40]}… ({len(line):,} characters)"
            self.echo(
                f"  {chat.actor.user_id}> {shown!r}"
                if not line.isprintable()
                else f"  {chat.actor.user_id}> {shown}"
            )
            body = reply.splitlines()
            if reply_lines and number < len(lines):
                body = body[:reply_lines] + (["  …"] if len(body) > reply_lines else [])
            self.echo(textwrap.indent("\n".join(body), "    "))
        return reply


def intake_answers(person: SyntheticPerson, spec: ProgramSpec) -> list[str]:
    """What this person types to engineering-growth's survey, in the forms people use."""
    skill_numbers = {s: str(n) for n, s in enumerate(spec.skills, start=1)}
    zone = person.city if resolve_timezone(person.city) == person.timezone else person.timezone
    return [
        ", ".join(map(str, person.goals)),
        ", ".join(person.offers),
        ", ".join(skill_numbers[s] for s in person.wants),
        str(person.level),
        zone,
        "ok" if person.hours == "09:00-17:00" else person.hours,
        str(person.style),
        person.role,
        "yes" if person.reverse else "no",
        f"@{person.manager}" if person.manager else "skip",
        ", ".join(f"@{h}" for h in person.avoid) or "none",
        person.intro,
    ]


def leadership_answers(person: SyntheticPerson) -> list[str]:
    mentor = person.level >= 4
    goal = (
        "Help a new lead find their feet." if mentor else "Get ready to lead a team within a year."
    )
    return [
        "I agree",
        "mentor" if mentor else "mentee",
        goal,
        "1, 3" if mentor else "none",
        "none" if mentor else "1, 4",
        "4" if mentor else "2",
        "ok",
        "ok",
        f"@{person.manager}" if person.manager else "skip",
        "none",
    ]


def enrol(run: DemoRun, person: SyntheticPerson) -> str:
    chat = run.chat(person)
    run.say(chat, f"join {GROWTH}")
    reply = run.say(chat, "I agree")
    for answer in intake_answers(person, run.programs[GROWTH]):
        reply = run.say(chat, answer)
    return reply
