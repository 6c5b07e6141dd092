"""``tandem chat``: talk to Tandem in the terminal, or pipe lines in."""

from __future__ import annotations

import sys
from collections.abc import Iterator

import click

from adapters.console.chat import WORKSPACE
from adapters.console.platform import PLATFORM
from bot.admin import bundled_programs, install_programs
from bot.clock import ContinuedClock
from bot.text import BadText, clean
from tandem.cli.app import command_app, instant


@click.command()
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
    clock = ContinuedClock(instant(at)) if at else None
    with command_app(clock=clock) as app:
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
                click.echo(f"{session.actor.user_id}> {line[:200]}{'…' if len(line) > 200 else ''}")
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
