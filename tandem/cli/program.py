"""``tandem program``: program definitions in YAML (check, add, example)."""

from __future__ import annotations

from pathlib import Path

import click

from adapters.console.chat import WORKSPACE
from adapters.console.platform import PLATFORM
from bot.admin import install_programs
from bot.program.loading import load_program, with_coordinators
from bot.program.problems import ProgramError
from tandem.cli.app import command_app


@click.group()
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
    with command_app() as app:
        install_programs(app.uow, app.clock, platform, workspace, [spec])
    click.echo(f"Program {spec.slug} is ready in {platform} workspace {workspace}.")
    click.echo(f"Coordinators: {', '.join(spec.coordinators) or 'none'}.")


@program.command("example")
def program_example() -> None:
    """Print the example program, to copy and adapt."""
    from importlib import resources

    path = resources.files("bot").joinpath("content/programs/engineering-growth.yaml")
    click.echo(path.read_text(encoding="utf-8"), nl=False)
