"""The ``tandem`` command: one module per command, under this package.

``main`` is the group; installed packages add commands to it through the entry-point
group ``tandem.commands`` (the demo package's ``demo`` and ``simulate``).
"""

from __future__ import annotations

from importlib.metadata import EntryPoint, entry_points

import click

from tandem.cli.chat import chat
from tandem.cli.db import db
from tandem.cli.match import match
from tandem.cli.program import program
from tandem.cli.report import report
from tandem.cli.serve import serve
from tandem.cli.teams import teams

# The entry-point group through which installed packages add commands to `tandem`.
PLUGIN_GROUP = "tandem.commands"


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
        plugged = _plugged().get(cmd_name) if command is None else None
        if plugged is not None:
            loaded = plugged.load()
            command = loaded if isinstance(loaded, click.Command) else None
        return command


def _plugged() -> dict[str, EntryPoint]:
    return {e.name: e for e in entry_points(group=PLUGIN_GROUP)}


@click.group(cls=_Commands)
def main() -> None:
    """Tandem: peer mentoring that runs itself, inside chat."""


for command in (chat, match, serve, report, db, teams, program):
    main.add_command(command)
