"""The demo's six months: the program runs itself, told from one person's side.

After the first round is published, :class:`demo.sim.simulation.Simulation` takes over
the demo's own database: the real scheduler, outbox and engine on the demo's
manual clock, with the workforce answering (or not) like people do. The story is
read back from the simulation's ``messages.jsonl``, the same log
``tandem simulate`` writes, so what the demo shows is what was sent.
"""

from __future__ import annotations

import json
import textwrap
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from adapters.console.chat import WORKSPACE
from adapters.console.platform import PLATFORM
from bot.cadence.calendar import Hours
from bot.model import Match
from demo.run import GROWTH, DemoRun
from demo.sim.log import MessageLog
from demo.sim.report import report
from demo.sim.simulation import Simulation
from demo.workforce import SyntheticPerson

# Six months of meetings, then the wrap-up survey and the answers to it.
MONTHS_DAYS = 196
Line = dict[str, Any]


def six_months(run: DemoRun) -> None:
    """Chapter: the program's six months, from the published round to the wrap-up."""
    run.heading("6. Six months in a few seconds")
    coordinator = run.app.chat("Coordinator", event_ids=run.event_ids)
    run.echo("  Before the months roll by, the coordinator marks a company-wide break:")
    run.transcript(coordinator, [f"quiet {GROWTH} add 2027-04-05 2027-04-09 Spring break"])
    run.echo(
        "\n  From here the scheduler drives everything: introductions, check-ins every two\n"
        "  weeks, feedback, goals, milestones, the wrap-up. Simulated people answer at\n"
        "  their own pace, inside their own working hours; some late, some never."
    )
    first_pairs = _first_round_pairs(run)
    log = MessageLog(run.out_dir / "messages.jsonl")
    simulation = Simulation(
        run.app,
        run.clock,
        run.programs[GROWTH],
        run.people,
        log,
        seed=run.seed,
        platform=PLATFORM,
        workspace=WORKSPACE,
    )
    until = run.clock.now() + timedelta(days=MONTHS_DAYS)
    try:
        simulation.run(until)
    finally:
        log.close()
    lines = [json.loads(x) for x in log.path.read_text(encoding="utf-8").splitlines()]
    run.stats["six months from people"] = sum(x["kind"] == "reply" for x in lines)
    run.stats["six months from Tandem"] = sum("to" in x for x in lines)
    run.stats["messages from people"] += run.stats["six months from people"]
    run.stats["messages from Tandem"] += run.stats["six months from Tandem"]

    pair = _followed_pair(run, first_pairs, lines)
    if pair is not None:
        _journey(run, lines, *pair)
    _hard_times(run, lines)
    _more_of_the_program(run, lines)
    run.echo(f"\n  The whole program, {until:%-d %B %Y} (every line is in {log.path}):")
    hours = {h: Hours("UTC") for s in run.programs.values() for h in s.coordinators}
    hours |= {p.user_id: Hours(p.timezone, p.hours) for p in run.people}
    per_week = run.programs[GROWTH].schedule.messages_per_week
    report(run.app, log.path, hours, per_week, until, run.echo)
    run.echo("\n  The coordinator asks which matches have gone quiet:")
    run.transcript(coordinator, [f"stalls {GROWTH}"], reply_lines=6)


def _first_round_pairs(run: DemoRun) -> list[Match]:
    """The pairs of the first Engineering Growth round (read before the months run)."""
    with run.app.uow() as uow:
        ws = uow.workspaces.ensure(PLATFORM, WORKSPACE, run.clock.now())
        program = uow.programs.get(ws.id, GROWTH)
        first = uow.rounds.latest_published(program.id) if program else None
        matches = list(uow.matches.of_round(first.id)) if first else []
    return [x for x in matches if x.kind == "pair" and len(x.members) == 2]


def _followed_pair(
    run: DemoRun, pairs: Sequence[Match], lines: Sequence[Line]
) -> tuple[Match, SyntheticPerson, SyntheticPerson] | None:
    """The best-scoring of those pairs that saw their six months through to the
    wrap-up (the whole journey), or the best-scoring pair if none did."""
    if not pairs:
        return None
    finished = {x.get("match") for x in lines if x.get("kind") == "wrapup"}
    whole = [x for x in pairs if x.id in finished]
    best = max(whole or pairs, key=lambda x: x.score)
    by_user_id = {p.user_id: p for p in run.people}
    one, other = (by_user_id[x.user_id] for x in best.members)
    return best, one, other


def _journey(
    run: DemoRun,
    lines: Sequence[Line],
    match: Match,
    person: SyntheticPerson,
    partner: SyntheticPerson,
) -> None:
    zone = ZoneInfo(person.timezone)
    # The partner's "we met" is shown too: it is what brings the rating question,
    # however the person answered their own check-in.
    mine = [
        x
        for x in lines
        if x.get("match") == match.id
        and (
            person.user_id in (x.get("to"), x.get("from"))
            or (x.get("from") == partner.user_id and x.get("answering") in {"checkin", "reminder"})
        )
    ]
    intro = next((x for x in mine if x["kind"] == "intro"), None)
    if intro is None:
        return
    run.echo(
        f"\n  {person.name} ({person.city}) and {partner.name} ({partner.city}) were matched "
        "in the first round.\n  Their introduction arrives in a group chat, in working hours "
        f"({_local(intro['at'], zone)} for {person.name.split()[0]}):\n"
    )
    body = intro["text"].splitlines()
    run.echo(textwrap.indent("\n".join(body[:22] + (["…"] if len(body) > 22 else [])), "    "))
    by_user_id = {person.user_id: person, partner.user_id: partner}
    run.echo(
        f"\n  What happened next, as {person.name.split()[0]} saw it (in their own time; "
        f"{partner.name.split()[0]}'s check-ins too):"
    )
    rest = [x for x in mine if x is not intro]
    shown = rest if len(rest) <= 34 else [*rest[:22], None, *rest[-12:]]
    for line in shown:
        if line is None:
            run.echo(f"    … {len(rest) - 34} more like these …")
            continue
        who = "Tandem" if "to" in line else by_user_id[line["from"]].name.split()[0]
        run.echo(f"    {_local(line['at'], zone)}  {who:<7} {_gist(line['text'])}")


def _hard_times(run: DemoRun, lines: Sequence[Line]) -> None:
    """Not every match works out: show what Tandem says when one doesn't. The
    partner hears at once, without blame; the coordinator reads it in the next
    weekly digest (the one shown is the first to list that match)."""
    names = {p.user_id: p.name for p in run.people}
    partner = next((x for x in lines if x["kind"] == "rematch" and "Your match" in x["text"]), None)
    digest = next(
        (
            x
            for x in lines
            if partner
            and x["kind"] == "digest"
            and x["at"] >= partner["at"]
            and "Ended as not working" in x["text"]
        ),
        None,
    )
    paused = next((x for x in lines if x["kind"] == "paused"), None)
    for line, intro in (
        (
            partner,
            "When someone says a match isn't working, the partner hears it ended, without blame",
        ),
        (digest, "and the coordinator's weekly digest lists it"),
        (paused, "Someone who answers nothing for three cycles is paused, kindly"),
    ):
        if line is None:
            continue
        run.echo(f"\n  {intro} (to {names.get(line['to'], line['to'])}):")
        text = _needs(line["text"]) if line is digest else line["text"]
        run.echo(textwrap.indent(textwrap.fill(text.replace("\n", " "), 74), "    "))


def _needs(digest: str) -> str:
    """The "What needs you" part of a digest."""
    start = digest.find("What needs you")
    end = digest.find("This week", start)
    return " ".join(digest[start:end].split()) if start >= 0 else digest


def _more_of_the_program(run: DemoRun, lines: Sequence[Line]) -> None:
    """What else a program brings besides its check-ins: a stage guide riding on the
    30-day goal check-in, a thank-you between colleagues, a lesson of the mentor
    training (the survey results are in the report below)."""
    names = {p.user_id: p.name for p in run.people}
    guide = next((x for x in lines if x.get("kind") == "milestone" and "Guide:" in x["text"]), None)
    kudos = next(
        (x for x in lines if x.get("kind") == "kudos" and x["text"].startswith("Kudos from")),
        None,
    )
    lesson = next((x for x in lines if x.get("kind") == "training"), None)
    for line, intro, start in (
        (guide, "At 30 days, the goal check-in carries a stage guide", "Guide:"),
        (kudos, "Colleagues thank each other (privately, a few a week)", "Kudos from"),
        (lesson, "Mentors get a short training, a lesson at a time", ""),
    ):
        if line is None:
            continue
        run.echo(f"\n  {intro} (to {names.get(line['to'], line['to'])}):")
        text = line["text"][line["text"].find(start) :] if start else line["text"]
        shown = [x for x in text.splitlines() if x.strip() and not x.startswith("  [")][:6]
        run.echo(textwrap.indent("\n".join(shown), "    "))


def _local(at: str, zone: ZoneInfo) -> str:
    instant = datetime.fromisoformat(at.replace("Z", "+00:00")).astimezone(zone)
    return f"{instant:%a %d %b %H:%M}"


def _gist(text: str, width: int = 60) -> str:
    """The first line that says something, cut to ``width``."""
    first = next((t.strip(" =*") for t in text.splitlines() if t.strip(" =*")), "")
    return first if len(first) <= width else first[: width - 1] + "…"
