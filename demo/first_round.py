"""The demo's first matching round: the coordinator's preview, a swap the rules
refuse, publishing, and how good the round is."""

from __future__ import annotations

import textwrap
from collections.abc import Mapping, Sequence
from typing import Any

from adapters.console.chat import WORKSPACE
from adapters.console.platform import PLATFORM
from bot.model import Match
from demo.run import GROWTH, LEADERSHIP, DemoRun


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
    where = {p.user_id: p.continent for p in run.people}
    matches = _draft_matches(run, GROWTH)
    east = next(
        (m for m in matches if {where.get(x.user_id) for x in m.members} == {"Asia-Pacific"}), None
    )
    west = next(
        (m for m in matches if {where.get(x.user_id) for x in m.members} == {"Americas"}), None
    )
    return (east.members[0].user_id, west.members[0].user_id) if east and west else None


def _what_people_see(run: DemoRun) -> None:
    by_user_id = {p.user_id: p for p in run.people}
    with run.app.uow() as uow:
        ws = uow.workspaces.ensure(PLATFORM, WORKSPACE, run.clock.now())
        rounds = [uow.rounds.latest_published(p.id) for p in uow.programs.all(ws.id)]
        matches = [m for r in rounds if r for m in uow.matches.of_round(r.id)]
    best = max((m for m in matches if m.kind == "pair"), key=lambda m: m.score)
    person = by_user_id[best.members[0].user_id]
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
