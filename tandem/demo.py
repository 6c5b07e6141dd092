"""``tandem demo``: a synthetic workforce runs through Tandem, told as a story.

The demo is a list of chapters over one :class:`DemoRun`. Every conversation goes
through the console adapter and the real engine on a fresh SQLite database, so
what the story shows is what people would see. After the first round, the
program's six months run on the same database in accelerated time
(:mod:`tandem.demo_months`).
"""

from __future__ import annotations

import collections
import shlex
import sys
import textwrap
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from adapters.console.chat import WORKSPACE, ConsoleChat, counter
from adapters.console.platform import PLATFORM
from bot.admin import bundled_programs, install_programs
from bot.clock import ManualClock
from bot.model import Match, Status
from bot.program.spec import ProgramSpec
from bot.synthetic import SyntheticPerson, workforce
from bot.timezones import resolve_timezone
from tandem.bootstrap import App, build, prepare_database
from tandem.demo_months import six_months
from tandem.settings import Settings

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
                f"  {chat.actor.user}> {shown!r}"
                if not line.isprintable()
                else f"  {chat.actor.user}> {shown}"
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


# --- chapters ----------------------------------------------------------------------


def meet_the_workforce(run: DemoRun) -> None:
    run.heading(f"1. Meet the workforce: {len(run.people)} people, four continents")
    by_office = collections.Counter((p.continent, p.city) for p in run.people)
    for (continent, city), count in sorted(by_office.items()):
        run.echo(f"  {continent:<13} {city:<10} {'#' * count} {count}")
    levels = collections.Counter(p.level for p in run.people)
    run.echo(
        "  Levels (1 = early career … 5 = principal): "
        + ", ".join(f"{lvl}: {levels[lvl]}" for lvl in sorted(levels))
    )
    departments = collections.Counter(p.department for p in run.people)
    run.echo("  Departments: " + ", ".join(f"{d} {n}" for d, n in departments.most_common()))


def the_first_enrolment(run: DemoRun) -> None:
    person = run.cast["first"]
    run.heading(f"2. {person.name} joins, start to finish")
    run.echo(
        f"  {person.name} works in {person.department} in {person.city}. "
        "This is the whole conversation:\n"
    )
    chat = run.chat(person)
    run.transcript(
        chat,
        [f"join {GROWTH}", "I agree", *intake_answers(person, run.programs[GROWTH])],
        reply_lines=6,
    )


def everyone_else_joins(run: DemoRun) -> None:
    run.heading("3. Everyone else joins")
    cast = {p.handle for p in run.cast.values()}
    joined = [p for p in run.people if p.handle not in cast]
    for person in joined:
        enrol(run, person)
    for person in joined[:8]:
        run.echo(
            f"  ✓ {person.name:<17} {person.city:<10} L{person.level} "
            f"teaches {person.offers[0]}, learns {person.wants[0]}"
        )
    run.echo(f"  … and {len(joined) - 8} more, each through the same survey.")
    leaders = [p for p in joined if p.level >= 4 and p.role in {"mentor", "either"}] + [
        p for p in joined if p.level in {2, 3} and 4 in p.goals
    ]
    for person in leaders:
        chat = run.chat(person)
        run.say(chat, f"join {LEADERSHIP}")
        for answer in leadership_answers(person):
            run.say(chat, answer)
    mentors = sum(p.level >= 4 for p in leaders)
    run.echo(
        f"  {len(leaders)} of them also joined Leadership Mentoring "
        f"({mentors} mentors, {len(leaders) - mentors} mentees): two programs, one workspace."
    )


def the_awkward_cases(run: DemoRun) -> None:
    run.heading("4. When people don't follow the script")
    spec = run.programs[GROWTH]
    careless = run.cast["careless"]
    run.echo(
        f"  {careless.name} types whatever comes to mind. Each answer gets a clear reason "
        "and the question again:"
    )
    chat = run.chat(careless)
    run.say(chat, f"join {GROWTH}")
    run.say(chat, "I agree")
    answers = intake_answers(careless, spec)
    run.transcript(
        chat,
        [
            "12",
            answers[0],
            answers[1],
            answers[2],
            "senior-ish",
            answers[3],
            "Mars/Olympus Mons",
            "PST",
            answers[4],
            "whenever",
            "9-17",
            *answers[6:-1],
            "x" * 10_000,
            "hello \x1b[31mworld\x1b[0m",
        ],
        reply_lines=2,
    )
    run.say(chat, answers[-1])

    halfway = run.cast["halfway"]
    run.echo(
        f"\n  {halfway.name} stops half-way; then Tandem restarts (a deploy). "
        "Nothing was kept in memory:"
    )
    chat = run.chat(halfway)
    run.say(chat, f"join {GROWTH}")
    run.say(chat, "I agree")
    for answer in intake_answers(halfway, spec)[:4]:
        run.say(chat, answer)
    run.transcript(chat, ["later"])
    restarted = build(run.app.settings, clock=run.clock)
    again = run.chat(halfway, restarted)
    run.transcript(again, ["join"], reply_lines=2)
    for answer in intake_answers(halfway, spec)[4:]:
        run.say(again, answer)
    restarted.close()

    _changes_of_heart(run)


def _changes_of_heart(run: DemoRun) -> None:
    moving, tired, leaving, private = (
        run.cast[k] for k in ("moving", "tired", "leaving", "private")
    )
    for person in (moving, tired, leaving, private):
        enrol(run, person)
    run.echo(f"\n  {moving.name} moves to Singapore and updates the profile:")
    run.transcript(run.chat(moving), ["profile edit timezone", "Singapore"])
    # The rest of the story (and its working-hours check) knows about the move.
    where = resolve_timezone("Singapore") or moving.timezone
    run.people[run.people.index(moving)] = replace(moving, city="Singapore", timezone=where)
    run.echo(f"\n  {tired.name} needs a break:")
    run.transcript(run.chat(tired), ["pause until 2027-02-15"], reply_lines=2)
    run.echo(f"\n  {leaving.name} leaves the program (after a confirmation):")
    run.transcript(run.chat(leaving), ["leave", "Leave"], reply_lines=1)
    run.echo(f"\n  {private.name} asks Tandem to forget everything:")
    run.transcript(run.chat(private), ["forget me", "Erase everything"], reply_lines=1)


def the_first_round(run: DemoRun) -> None:
    run.heading("5. The first matching round")
    cora = run.app.chat("Coordinator", event_ids=run.event_ids)
    run.echo("  The program's coordinator asks for a proposal. Nothing is sent yet:\n")
    _echo_lines(run, run.say(cora, f"round {GROWTH} preview seed {run.seed}"), 14)
    far_apart = _far_apart(run)
    if far_apart:
        run.echo(
            "\n  The coordinator tries to move someone; every change is checked "
            "against the program's rules:"
        )
        run.transcript(cora, [f"round {GROWTH} swap @{far_apart[0]} @{far_apart[1]}"])
    run.transcript(cora, [f"round {GROWTH} publish"])
    run.say(cora, f"round {LEADERSHIP} preview seed {run.seed}")
    run.say(cora, f"round {LEADERSHIP} publish")
    _what_people_see(run)
    _round_quality(run)


def _echo_lines(run: DemoRun, text: str, count: int) -> None:
    lines = text.splitlines()
    run.echo(textwrap.indent("\n".join(lines[:count]), "    "))
    if len(lines) > count:
        run.echo("    …")


def _draft_matches(run: DemoRun, slug: str) -> list[Match]:
    with run.app.uow() as uow:
        ws = uow.workspaces.ensure(PLATFORM, WORKSPACE, run.clock.now())
        program = uow.programs.get(ws.id, slug)
        draft = uow.rounds.draft(program.id) if program else None
        return list(uow.matches.of_round(draft.id)) if draft else []


def _far_apart(run: DemoRun) -> tuple[str, str] | None:
    """Someone from an Asia-Pacific match and someone from an Americas match."""
    where = {p.handle: p.continent for p in run.people}
    matches = _draft_matches(run, GROWTH)
    east = next(
        (m for m in matches if {where.get(x.handle) for x in m.members} == {"Asia-Pacific"}), None
    )
    west = next(
        (m for m in matches if {where.get(x.handle) for x in m.members} == {"Americas"}), None
    )
    return (east.members[0].handle, west.members[0].handle) if east and west else None


def _what_people_see(run: DemoRun) -> None:
    by_handle = {p.handle: p for p in run.people}
    with run.app.uow() as uow:
        ws = uow.workspaces.ensure(PLATFORM, WORKSPACE, run.clock.now())
        rounds = [uow.rounds.latest_published(p.id) for p in uow.programs.all(ws.id)]
        matches = [m for r in rounds if r for m in uow.matches.of_round(r.id)]
    best = max((m for m in matches if m.kind == "pair"), key=lambda m: m.score)
    person = by_handle[best.members[0].handle]
    run.echo(
        f"\n  The introductions wait for each person's working hours. {person.name} "
        "can ask already:"
    )
    run.transcript(run.chat(person), ["match"])


def _round_quality(run: DemoRun) -> None:
    with run.app.uow() as uow:
        ws = uow.workspaces.ensure(PLATFORM, WORKSPACE, run.clock.now())
        lines = []
        for program in uow.programs.all(ws.id):
            published = uow.rounds.latest_published(program.id)
            if published is None:
                continue
            matches = uow.matches.of_round(published.id)
            waiting = uow.rounds.waiting(published.id)
            lines.append(_quality(program.spec.name, matches, len(waiting)))
    run.echo("")
    for line in lines:
        run.echo(textwrap.fill(line, 78, initial_indent="  ", subsequent_indent="  "))


def _quality(name: str, matches: Sequence[Match], waiting: int) -> str:
    one = sum(_teaching_directions(x.reasons) >= 1 for x in matches)
    both = sum(_teaching_directions(x.reasons) >= 2 for x in matches)
    hours = sum(any(r["code"] == "hours" and r["value"] >= 3 for r in x.reasons) for x in matches)
    return (
        f"{name}: {len(matches)} matches, {waiting} waiting. In {one} someone can teach "
        f"what the other wants to learn ({both} both ways); {hours} share 3 or more "
        "working hours a day."
    )


def _teaching_directions(reasons: tuple[Mapping[str, Any], ...]) -> int:
    return len({tuple(r["who"]) for r in reasons if r["code"] == "teaches" and r["items"]})


def summary(run: DemoRun) -> None:
    run.heading("7. Where things stand")
    with run.app.uow() as uow:
        ws = uow.workspaces.ensure(PLATFORM, WORKSPACE, run.clock.now())
        for program in uow.programs.all(ws.id):
            statuses = collections.Counter(e.status for e in uow.enrolments.in_program(program.id))
            counts = ", ".join(f"{statuses[s]} {_STATUS_WORDS[s]}" for s in Status if statuses[s])
            run.echo(f"  {program.spec.name}: {counts or 'nobody yet'}")
        growth = uow.programs.get(ws.id, GROWTH)
        assert growth is not None
        profiles = [
            uow.answers.of(e.id)
            for e in uow.enrolments.in_program(growth.id, [Status.ACTIVE, Status.PAUSED])
        ]
    offered = collections.Counter(s for a in profiles for s in _listed(a.get("offers")))
    wanted = collections.Counter(s for a in profiles for s in _listed(a.get("wants")))
    run.echo("\n  The skills market in Engineering Growth Partners (wanted vs offered):")
    for skill, demand in wanted.most_common(8):
        gap = "  ← few can teach this" if offered[skill] < demand / 2 else ""
        run.echo(f"    {skill:<24} wanted by {demand:>2}, offered by {offered[skill]:>2}{gap}")
    zones = collections.Counter(str(a.get("timezone")).split("/")[0] for a in profiles)
    run.echo("\n  Timezone regions: " + ", ".join(f"{z} {n}" for z, n in zones.most_common()))
    stats = run.stats
    told = (
        f"The whole story: {stats['messages from people']:,} messages from people and "
        f"{stats['messages from Tandem']:,} from Tandem (the six months' "
        f"{stats['six months from people']:,} answers and "
        f"{stats['six months from Tandem']:,} messages among them), every one through "
        "the same engine that Slack and Teams use."
    )
    run.echo("\n" + textwrap.fill(told, 86, initial_indent="  ", subsequent_indent="  "))


_STATUS_WORDS = {
    Status.INTAKE: "still answering the survey",
    Status.ACTIVE: "taking part",
    Status.PAUSED: "on a break",
    Status.LEFT: "left",
}


def _listed(value: object) -> list[str]:
    return [str(v) for v in value] if isinstance(value, list) else []


CHAPTERS: list[Callable[[DemoRun], None]] = [
    meet_the_workforce,
    the_first_enrolment,
    everyone_else_joins,
    the_awkward_cases,
    the_first_round,
    six_months,
    summary,
]


def _fresh_database(out_dir: Path) -> Path:
    out_dir.mkdir(parents=True, exist_ok=True)
    path = out_dir / "demo.db"
    for leftover in (path, path.with_name("demo.db-wal"), path.with_name("demo.db-shm")):
        leftover.unlink(missing_ok=True)
    return path


def _cast(people: list[SyntheticPerson]) -> Iterator[tuple[str, SyntheticPerson]]:
    roles = ("first", "careless", "halfway", "moving", "tired", "leaving", "private")
    return zip(roles, people, strict=False)


def run_demo(*, people: int, seed: int, out_dir: Path, echo: Echo) -> DemoRun:
    """Run every chapter on a fresh SQLite database in ``out_dir``."""
    path = _fresh_database(out_dir)
    settings = Settings(database_url=f"sqlite:///{path}", data_dir=out_dir)
    clock = ManualClock(START)
    app = build(settings, clock=clock)
    try:
        prepare_database(app)
        specs = {s.slug: s for s in bundled_programs()}
        install_programs(app.uow, clock, PLATFORM, WORKSPACE, list(specs.values()))
        crowd = workforce(people, seed, specs[GROWTH].skills)
        run = DemoRun(app, clock, crowd, specs, echo, seed, out_dir)
        run.cast.update(_cast(crowd))
        echo(f"Tandem demo: {people} synthetic people (seed {seed}), a fresh database at {path}.")
        for chapter in CHAPTERS:
            chapter(run)
    finally:
        app.close()
    echo(
        "\nStep into this world as someone in a running match (try “home”, “match”, "
        f"“goals”, “pause for 2 weeks”):\n  {explore_command(run, path)}"
    )
    return run


def explore_command(run: DemoRun, path: Path) -> str:
    """The command that steps into the demo's world as someone in a running match,
    on its time line: it goes on from where the demo stopped."""
    name = _explorer(run)
    at = run.clock.now().strftime("%Y-%m-%dT%H:%MZ")
    database = shlex.quote(f"sqlite:///{path}")
    return f"DATABASE_URL={database} {_tandem()} chat --as {shlex.quote(name)} --at {at}"


def _explorer(run: DemoRun) -> str:
    """Someone in a running match; what the simulation showed them counts as read,
    so their chat opens on what comes next, not on six months of history."""
    now = run.clock.now()
    with run.app.uow() as uow:
        workspace = uow.workspaces.ensure(PLATFORM, WORKSPACE, now)
        program = uow.programs.get(workspace.id, GROWTH)
        running = list(uow.matches.active(program.id)) if program else []
        members = [m for match in running for m in match.members]
        if members:
            uow.mailbox.take_unread(workspace.id, members[0].handle, now)
        uow.commit()
    return members[0].name if members else run.cast["first"].name


def _tandem() -> str:
    """How this process was started, so the printed command works as printed
    (``.venv/bin/tandem`` after ``make demo``)."""
    started = Path(sys.argv[0])
    if started.name == "tandem":
        try:
            return shlex.quote(str(started.absolute().relative_to(Path.cwd())))
        except ValueError:
            return shlex.quote(str(started))
    return f"{shlex.quote(sys.executable)} -m tandem"
