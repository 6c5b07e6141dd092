"""The ``tandem`` command."""

from __future__ import annotations

import logging
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from importlib.metadata import EntryPoint, entry_points
from pathlib import Path

import click
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

from adapters.console.chat import WORKSPACE
from adapters.console.platform import PLATFORM
from bot.admin import bundled_programs, install_programs
from bot.clock import Clock, ContinuedClock
from bot.program import ProgramError, load_program, with_coordinators
from bot.text import BadText, clean
from store.migrate import current_revision, head_revision, upgrade
from tandem.bootstrap import App, build, load_settings, prepare_database
from tandem.settings import SettingsError

# The entry-point group through which installed packages add commands to `tandem`.
PLUGIN_GROUP = "tandem.commands"


def _instant(text: str) -> datetime:
    try:
        found = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise click.BadParameter(
            "a date and time such as 2027-07-19T09:00Z", param_hint="--at"
        ) from None
    return found if found.tzinfo else found.replace(tzinfo=UTC)


@contextmanager
def _app(
    *, prepare: bool = True, socket_mode: bool = False, clock: Clock | None = None
) -> Iterator[App]:
    """The app for one command, with configuration and database errors made readable."""
    try:
        settings = load_settings(socket_mode=socket_mode)
    except SettingsError as error:
        raise click.ClickException(str(error)) from None
    logging.basicConfig(
        level=settings.log_level,
        stream=sys.stderr,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    app = build(settings, clock=clock)
    try:
        if prepare:
            prepare_database(app)
        yield app
    except SettingsError as error:
        raise click.ClickException(str(error)) from None
    except OperationalError as error:
        where = make_url(settings.database_url).render_as_string(hide_password=True)
        reason = str(error.orig).strip().splitlines()[0] if error.orig else "unknown error"
        raise click.ClickException(f"Cannot use the database at {where}: {reason}") from None
    finally:
        app.close()


class _Commands(click.Group):
    """Tandem's own commands and those other installed packages plug in.

    A package adds a command with an entry point in the group ``tandem.commands``
    (name: the command, value: the click command), as the demo package does for
    ``tandem demo`` and ``tandem simulate``: the product never imports it, and a
    plugged-in command is loaded only when it is run or listed.
    """

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*super().list_commands(ctx), *_plugged()})

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        command = super().get_command(ctx, cmd_name)
        if command is None and cmd_name in _plugged():
            loaded = _plugged()[cmd_name].load()
            command = loaded if isinstance(loaded, click.Command) else None
        return command


def _plugged() -> dict[str, EntryPoint]:
    return {e.name: e for e in entry_points(group=PLUGIN_GROUP)}


@click.group(cls=_Commands)
def main() -> None:
    """Tandem: peer mentoring that runs itself, inside chat."""


@main.command()
@click.option("--as", "name", required=True, help="Who you are in this chat, e.g. --as Alice.")
@click.option("--program", default=None, help="The program commands refer to by default.")
@click.option("--workspace", default=WORKSPACE, show_default=True, help="Console workspace.")
@click.option(
    "--at",
    "at",
    default=None,
    help="Take up a time line where it stopped (the demo prints it), e.g. 2027-07-19T09:00Z.",
)
def chat(name: str, program: str | None, workspace: str, at: str | None) -> None:
    """Chat with Tandem in the terminal (or pipe lines in: one line per message)."""
    name = _checked_name(name)
    clock = ContinuedClock(_instant(at)) if at else None
    with _app(clock=clock) as app:
        install_programs(
            app.uow, app.clock, PLATFORM, workspace, bundled_programs(), only_if_empty=True
        )
        session = app.chat(name, workspace=workspace, program=program)
        interactive = sys.stdin.isatty()
        if interactive:
            click.echo(f"Chatting with Tandem as {name}. Say “help” to start, Ctrl-D to quit.\n")
        _print(session.open())
        for line in _lines(interactive):
            if not interactive:
                click.echo(f"{session.actor.user}> {line[:200]}{'…' if len(line) > 200 else ''}")
            _print(session.send(line))


def _checked_name(name: str) -> str:
    try:
        checked = clean(name, max_chars=40)
    except BadText as error:
        raise click.BadParameter(str(error), param_hint="--as") from None
    if not checked:
        raise click.BadParameter("give a name, e.g. --as Alice", param_hint="--as")
    return checked


def _lines(interactive: bool) -> Iterator[str]:
    while True:
        try:
            line = input("you> ") if interactive else sys.stdin.readline()
        except EOFError:
            return
        if not interactive and not line:
            return
        line = line.rstrip("\r\n")
        if line.strip():
            yield line


def _print(replies: list[str]) -> None:
    for reply in replies:
        click.echo(reply)
        click.echo()


@main.command()
@click.option(
    "--input",
    "source",
    required=True,
    type=click.Path(dir_okay=False, path_type=Path),
    help="People: CSV (id,name,timezone,level,department,manager,offers,wants,goals,"
    "role,avoid) or JSON with the same fields.",
)
@click.option("--output", "target", required=True, help="Where to write the JSON (- for stdout).")
@click.option(
    "--history",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Earlier pairs: CSV with a,b,date.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["pairs", "mentor", "reverse", "circles"]),
    default="pairs",
    show_default=True,
)
@click.option("--seed", default=0, show_default=True, help="Same seed, same round.")
@click.option(
    "--program",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Take the weights and rules from this program's YAML.",
)
@click.option(
    "--on",
    "on",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="The round's date (working hours and repeat window): default today.",
)
def match(
    source: Path,
    target: str,
    history: Path | None,
    fmt: str,
    seed: int,
    program: Path | None,
    on: datetime | None,
) -> None:
    """Match people from a file and write the round as JSON."""
    from adapters.files.people import InputError
    from tandem.matchfile import run_match

    day = (on or datetime.now(UTC)).date()
    try:
        proposal = run_match(
            source, target, history=history, fmt=fmt, seed=seed, program=program, on=day
        )
    except (InputError, ProgramError) as error:
        raise click.ClickException(str(error)) from None
    people = len(proposal.matched_people())  # a mentor with two mentees counts once
    click.echo(
        f"{len(proposal.matches)} matches ({people} people), "
        f"{len(proposal.unmatched)} unmatched; total score {proposal.total():.1f}"
        + ("" if proposal.exact else " (large pool: best candidates per person)"),
        err=target == "-",
    )


@main.command()
@click.option(
    "--socket-mode",
    is_flag=True,
    help="Connect to Slack over Socket Mode (SLACK_APP_TOKEN) instead of a public URL.",
)
def serve(socket_mode: bool) -> None:
    """Run Tandem: the scheduler that keeps programs going, and the web server."""
    from aiohttp import web

    from adapters.dashboard.app import AccessLog
    from tandem.serve import make_server

    with _app(socket_mode=socket_mode) as app:
        server = make_server(app)
        click.echo(f"Tandem is running on port {app.settings.port} (Ctrl-C to stop).")
        web.run_app(server, port=app.settings.port, print=None, access_log_class=AccessLog)


def _day(text: str | None, option: str) -> date | None:
    if text is None:
        return None
    try:
        return datetime.strptime(text.strip(), "%Y-%m-%d").date()
    except ValueError:
        raise click.BadParameter("a date such as 2027-03-01", param_hint=option) from None


@main.command()
@click.argument("slug")
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the charts (PNG), the CSV exports and report.html.",
)
@click.option("--from", "first", default=None, help="First day counted, e.g. 2027-01-01.")
@click.option("--to", "last", default=None, help="Last day counted (default today).")
@click.option("--round", "round_id", type=int, default=None, help="Only this round's people.")
@click.option(
    "--at",
    "at",
    default=None,
    help="The report as it stood then (a demo's time line), e.g. 2027-07-19T09:00Z.",
)
@click.option("--workspace", default=WORKSPACE, show_default=True)
@click.option("--platform", default=PLATFORM, show_default=True)
def report(
    slug: str,
    out_dir: Path,
    first: str | None,
    last: str | None,
    round_id: int | None,
    at: str | None,
    workspace: str,
    platform: str,
) -> None:
    """Write a program's report: charts, CSV exports and a one-page HTML report."""
    from tandem.reportfiles import Asked, ReportError, make_report, size, summary, write_files

    asked = Asked(platform, workspace, slug, _day(first, "--from"), _day(last, "--to"), round_id)
    when = _instant(at) if at else None
    with _app() as app:
        try:
            made = make_report(app.uow, asked, when or app.clock.now())
        except ReportError as error:
            raise click.ClickException(str(error)) from None
    for line in summary(made):
        click.echo(line)
    try:
        written = write_files(made, out_dir)
    except ReportError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Wrote {len(written)} files:")
    for path in written:
        click.echo(f"  {path} ({size(path)})")


@main.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply every migration the database does not have yet."""
    with _app(prepare=False) as app:
        before = current_revision(app.database)
        upgrade(app.database)
        after = current_revision(app.database)
    click.echo(
        f"Database at revision {after}"
        + (" (unchanged)." if before == after else f" (was {before or 'empty'}).")
    )


@db.command("current")
def db_current() -> None:
    """Show the database's revision and the newest one."""
    with _app(prepare=False) as app:
        click.echo(
            f"database: {current_revision(app.database) or 'empty'}; newest: {head_revision()}"
        )


@main.group()
def teams() -> None:
    """The Microsoft Teams app."""


@teams.command("package")
@click.option("--app-id", required=True, help="The bot's app id (MICROSOFT_APP_ID), a GUID.")
@click.option("--host", required=True, help="The public host of `tandem serve`.")
@click.option(
    "--out",
    "out",
    default="tandem-teams.zip",
    show_default=True,
    type=click.Path(dir_okay=False, path_type=Path),
)
@click.option("--version", "version", default="1.0.0", show_default=True, help="The app's version.")
def teams_package(app_id: str, host: str, out: Path, version: str) -> None:
    """Write the Teams app package (manifest.json and icons) to upload to Teams."""
    from adapters.teams.package import PackageError, write
    from bot.flows import COMMANDS

    # Teams shows ten: the ones people reach for first.
    first = (
        "join",
        "home",
        "match",
        "goals",
        "checkin",
        "profile",
        "pause",
        "resume",
        "programs",
        "help",
    )
    listed = {c.name: c for c in COMMANDS if not c.coordinators}
    commands = [(name, listed[name].summary) for name in first if name in listed]
    try:
        written = write(out, app_id, host, commands, version)
    except PackageError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"Wrote {written}: upload it in Teams (Apps → Manage your apps → Upload an app).")


@main.group()
def program() -> None:
    """Program definitions (YAML)."""


@program.command("check")
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False, path_type=Path))
def program_check(files: tuple[Path, ...]) -> None:
    """Validate program files and list every problem found."""
    failed = False
    for file in files:
        try:
            spec = load_program(file)
        except ProgramError as error:
            failed = True
            click.echo(str(error), err=True)
            continue
        click.echo(
            f"{file}: OK ({spec.slug}, {len(spec.questions)} questions, {len(spec.skills)} skills)"
        )
    if failed:
        raise SystemExit(1)


@program.command("add")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--workspace", default=WORKSPACE, show_default=True)
@click.option("--platform", default=PLATFORM, show_default=True)
@click.option(
    "--coordinator",
    "coordinators",
    multiple=True,
    help="A coordinator to add to the file's (a Slack user id, a Teams object id); repeatable.",
)
def program_add(file: Path, workspace: str, platform: str, coordinators: tuple[str, ...]) -> None:
    """Add a program to a workspace (or update the one with the same slug)."""
    try:
        spec = with_coordinators(load_program(file), coordinators)
    except ProgramError as error:
        raise click.ClickException(str(error)) from None
    with _app() as app:
        install_programs(app.uow, app.clock, platform, workspace, [spec])
    click.echo(f"Program {spec.slug} is ready in {platform} workspace {workspace}.")
    click.echo(f"Coordinators: {', '.join(spec.coordinators) or 'none'}.")


@program.command("example")
def program_example() -> None:
    """Print the example program, to copy and adapt."""
    from importlib import resources

    path = resources.files("bot").joinpath("content/programs/engineering-growth.yaml")
    click.echo(path.read_text(encoding="utf-8"), nl=False)
