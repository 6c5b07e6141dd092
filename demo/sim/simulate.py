"""``tandem simulate``: run a whole program in accelerated time and report on it."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.admin import bundled_programs, install_programs
from bot.cadence.calendar import Hours
from bot.clock import ManualClock
from bot.program.loading import load_program
from bot.program.spec import ProgramSpec
from demo.sim.check import Finding
from demo.sim.log import MessageLog
from demo.sim.report import report
from demo.sim.simulation import Simulation
from demo.workforce import workforce
from tandem.bootstrap import build, prepare_database
from tandem.settings import Settings

START = datetime(2027, 1, 4, tzinfo=UTC)  # a Monday, midnight UTC
Echo = Callable[[str], None]


def sim_program(spec: ProgramSpec) -> ProgramSpec:
    """The program, with its first round a week after people start joining."""
    if spec.schedule.first_round is not None:
        return spec
    first = (START + timedelta(days=7)).date()
    return spec.model_copy(
        update={"schedule": spec.schedule.model_copy(update={"first_round": first})}
    )


def simulate(
    *, people: int, days: int, seed: int, program: Path | None, out: Path, echo: Echo
) -> list[Finding]:
    out.mkdir(parents=True, exist_ok=True)
    database = out / "sim.db"
    for leftover in (database, out / "sim.db-wal", out / "sim.db-shm"):
        leftover.unlink(missing_ok=True)
    clock = ManualClock(START)
    # The database is scratch (made afresh each run): no fsyncs.
    settings = Settings(database_url=f"sqlite:///{database}", data_dir=out)
    app = build(settings, clock=clock, durable=False)
    try:
        prepare_database(app)
        spec = sim_program(load_program(program) if program else bundled_programs()[0])
        install_programs(app.uow, clock, "sim", "sim", [spec])
        crowd = workforce(people, seed, spec.skills)
        log = MessageLog(out / "messages.jsonl")
        simulation = Simulation(app, clock, spec, crowd, log, seed=seed)
        simulation.enrol_all()
        until = START + timedelta(days=days)
        simulation.run(until)
        log.close()
        # Coordinators are not in the crowd: Tandem knows no hours of theirs, so it
        # keeps to the default working day in UTC.
        hours = {h: Hours("UTC") for h in spec.coordinators}
        hours |= {p.user_id: Hours(p.timezone, p.hours) for p in crowd}
        (out / "people.json").write_text(
            json.dumps(
                {h: {"timezone": x.timezone, "hours": x.window} for h, x in hours.items()}, indent=1
            ),
            encoding="utf-8",
        )
        echo(
            f"Simulated {people} people in {spec.name} for {days} days (seed {seed}); "
            f"the log is {log.path}."
        )
        return report(app, log.path, hours, spec.schedule.messages_per_week, until, echo)
    finally:
        app.close()
