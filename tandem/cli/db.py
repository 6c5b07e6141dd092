"""``tandem db``: the database schema (upgrade, current)."""

from __future__ import annotations

import click

from store.migrate import current_revision, head_revision, upgrade
from tandem.cli.app import command_app


@click.group()
def db() -> None:
    """Database schema."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Apply every migration the database does not have yet."""
    with command_app(prepare=False) as app:
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
    with command_app(prepare=False) as app:
        click.echo(
            f"database: {current_revision(app.database) or 'empty'}; newest: {head_revision()}"
        )
