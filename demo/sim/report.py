"""What a simulated program achieved, from its database and its message log."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from adapters.console.render import render
from adapters.reports.charts import png
from bot.cadence.calendar import Hours
from bot.report.build import build_report
from bot.report.charts import charts_of
from bot.report.message import report_message
from demo.sim.check import Finding, check
from store.tables import (
    CheckinRow,
    EnrolmentRow,
    FeedbackRow,
    GoalRow,
    MatchRow,
    OutboxRow,
    RoundRow,
    WrapupRow,
)
from tandem.bootstrap import App

Echo = Callable[[str], None]


def unsent(app: App, until: datetime) -> int:
    """Messages due before ``until`` that were never sent (should be none)."""
    with app.database.connect() as connection:
        query = (
            select(func.count())
            .select_from(OutboxRow)
            .where(
                OutboxRow.status != "sent",
                OutboxRow.not_before.is_not(None),
                OutboxRow.not_before < until,
            )
        )
        return int(connection.scalar(query) or 0)


def report(
    app: App, log: Path, hours: Mapping[str, Hours], per_week: int, until: datetime, echo: Echo
) -> list[Finding]:
    lines = [json.loads(x) for x in log.read_text(encoding="utf-8").splitlines()]
    sent = [x for x in lines if "to" in x]
    replies = [x for x in lines if x.get("kind") == "reply"]
    with app.database.connect() as db:
        enrolled = db.scalar(select(func.count(func.distinct(EnrolmentRow.person_id))))
        rounds = int(
            db.scalar(
                select(func.count()).select_from(RoundRow).where(RoundRow.status == "published")
            )
            or 0
        )
        ends = Counter(r for (r,) in db.execute(select(MatchRow.end_reason)))
        meetings = _meetings(
            db.execute(select(CheckinRow.match_id, CheckinRow.cycle, CheckinRow.answer)).all()
        )
        ratings = [
            r
            for (r,) in db.execute(
                select(FeedbackRow.rating).where(FeedbackRow.completed_at.is_not(None))
            )
        ]
        goals = Counter(s for (s,) in db.execute(select(GoalRow.status)))
        wraps = db.execute(
            select(WrapupRow.recommend, WrapupRow.again).where(WrapupRow.answered_at.is_not(None))
        ).all()
    kinds = Counter((x["kind"]) for x in sent)
    prompts = len({x["key"] for x in sent if x["kind"] == "feedback"})
    echo(
        f"  {enrolled} people joined; {len(sent):,} messages from Tandem, {len(replies):,} answers."
    )
    echo(
        f"  {_n(sum(ends.values()), 'match', 'matches')} in {_n(rounds, 'round')}: "
        f"{ends[None]} still running, "
        f"{ends['completed']} completed, {ends['not_working']} ended as not working "
        f"(no-fault rematch), {ends['paused']} ended by a partner's pause."
    )
    echo(
        "  Meetings per cycle: "
        + ", ".join(f"{cycle}: {met}/{asked}" for cycle, (met, asked) in sorted(meetings.items()))
    )
    given = [r for r in ratings if r is not None]
    average = sum(given) / len(given) if given else 0
    echo(
        f"  Feedback: {prompts} prompts, {len(ratings)} answered "
        f"({len(ratings) / max(prompts, 1):.0%}), average rating {average:.1f} of 5."
    )
    echo(f"  Goals: {sum(goals.values())} set, {goals['done']} done.")
    echo(
        f"  Coordinators: {kinds['digest']} weekly digests, {kinds['round']} rounds to review; "
        f"people paused after three silent cycles: {kinds['paused']}; rematch notices: "
        f"{kinds['rematch']}."
    )
    scores = [r for r, _ in wraps if r is not None]
    again = sum(1 for _, a in wraps if a)
    echo(
        f"  Wrap-ups answered: {len(wraps)}"
        + (
            f"; would recommend {sum(scores) / len(scores):.1f}/10 on average; "
            f"{again / len(wraps):.0%} join the next cycle."
            if wraps
            else "."
        )
    )
    handles = _engine_report(app, until, log.parent, echo)
    findings = check(lines, hours, per_week, unsent(app, until), handles)
    for finding in findings:
        echo(f"  {'✓' if finding.passed else '✗'} {finding.rule}: {finding.detail}")
    return findings


def _engine_report(app: App, until: datetime, out: Path, echo: Echo) -> list[str]:
    """The coordinators' report of each program with people, as chat shows it (the
    charts written beside the log); the coordinators' handles."""
    handles: list[str] = []
    with app.uow() as uow:
        programs = list(uow.programs.every())
        facts = {p.id: uow.reports.facts(p.id) for p in programs}
    for program in programs:
        if not facts[program.id].people:
            continue
        handles += program.spec.coordinators
        built = build_report(program, facts[program.id], until)
        echo("")
        echo(render(report_message(built, charts=False)))
        for chart in charts_of(built):
            path = out / f"{program.spec.slug}-{chart.name}.png"
            path.write_bytes(png(chart))
            echo(f"  chart: {path} ({path.stat().st_size:,} bytes)")
    return handles


def _n(count: int, one: str, many: str = "") -> str:
    return f"{count} {one if count == 1 else many or one + 's'}"


def _meetings(rows: Sequence[Any]) -> dict[int, tuple[int, int]]:
    met: dict[tuple[int, int], bool] = defaultdict(bool)
    for match, cycle, answer in rows:
        met[(match, cycle)] |= answer == "yes"
    per_cycle: dict[int, list[int]] = defaultdict(lambda: [0, 0])
    for (_, cycle), yes in met.items():
        per_cycle[cycle][0] += yes
        per_cycle[cycle][1] += 1
    return {cycle: (counts[0], counts[1]) for cycle, counts in per_cycle.items()}
