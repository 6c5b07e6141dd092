"""``tandem demo`` and ``tandem simulate`` are the demo package's: the product's CLI
finds them through the ``tandem.commands`` entry points, never by importing it."""

from __future__ import annotations

from importlib.metadata import entry_points

import click
from click.testing import CliRunner

from demo import cli as demo_cli
from tandem.cli import PLUGIN_GROUP, main


def test_the_demo_plugs_its_two_commands_in() -> None:
    plugged = {e.name: e.value for e in entry_points(group=PLUGIN_GROUP)}
    assert plugged == {"demo": "demo.cli:demo", "simulate": "demo.cli:simulate"}
    context = click.Context(main)
    assert main.get_command(context, "demo") is demo_cli.demo
    assert main.get_command(context, "simulate") is demo_cli.simulate


def test_the_help_lists_them_among_the_products_own() -> None:
    result = CliRunner().invoke(main, ["--help"])
    assert result.exit_code == 0, result.output
    listed = [line.split()[0] for line in result.output.split("Commands:")[1].splitlines() if line]
    assert listed == sorted(listed)
    assert {"chat", "demo", "match", "program", "serve", "simulate"} <= set(listed)


def test_a_plugged_command_checks_its_options() -> None:
    result = CliRunner().invoke(main, ["demo", "--people", "3"])
    assert result.exit_code == 2
    assert "between 40 and 2000" in result.output


def test_an_unknown_command_is_still_refused() -> None:
    result = CliRunner().invoke(main, ["nonsense"])
    assert result.exit_code == 2
    assert "No such command" in result.output
