"""``tandem demo``: a synthetic workforce runs through Tandem, told as a story.

The demo is a list of chapters over one :class:`DemoRun`. Every conversation goes
through the console adapter and the real engine on a fresh SQLite database, so
what the story shows is what people would see. After the first round, the
program's six months run on the same database in accelerated time
(:mod:`demo.months`). The chapters are told in this order by :func:`run_demo`;
what they share is :class:`demo.run.DemoRun`.
"""

from __future__ import annotations

import shlex
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

from adapters.console.chat import WORKSPACE
from adapters.console.platform import PLATFORM
from bot.admin import bundled_programs, install_programs
from bot.clock import ManualClock
from demo.first_round import the_first_round
from demo.joining import (
    everyone_else_joins,
    meet_the_workforce,
    the_awkward_cases,
    the_first_enrolment,
)
from demo.months import six_months
from demo.run import GROWTH, START, DemoRun, Echo
from demo.summary import summary
from demo.workforce import SyntheticPerson, workforce
from tandem.bootstrap import build, prepare_database
from tandem.settings import Settings

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
            uow.mailbox.take_unread(workspace.id, members[0].user_id, now)
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
