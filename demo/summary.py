"""The demo's last chapter: where things stand once the six months are over."""

from __future__ import annotations

import collections
import textwrap

from adapters.console.chat import WORKSPACE
from adapters.console.platform import PLATFORM
from bot.model import Status
from demo.run import GROWTH, DemoRun


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
