"""``tandem teams``: the Microsoft Teams app package."""

from __future__ import annotations

from pathlib import Path

import click


@click.group()
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
