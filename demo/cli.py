"""``tandem demo`` and ``tandem simulate``: the demo package's commands.

The product's CLI (:mod:`tandem.cli`) does not import this package: it finds these
commands through the ``tandem.commands`` entry points in ``pyproject.toml`` and
loads one only when it is run (or listed by ``tandem --help``).
"""

from __future__ import annotations

from pathlib import Path

import click

from bot.program.problems import ProgramError


@click.command()
@click.option("--people", default=48, show_default=True, help="How many synthetic people.")
@click.option("--seed", default=7, show_default=True, help="Seed for the synthetic workforce.")
@click.option(
    "--out",
    "out_dir",
    default="data/demo",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the demo's fresh SQLite database.",
)
def demo(people: int, seed: int, out_dir: Path) -> None:
    """Run a whole mentoring program on a synthetic workforce and tell its story."""
    from demo.story import run_demo

    if not 40 <= people <= 2000:
        raise click.BadParameter("between 40 and 2000", param_hint="--people")
    run_demo(people=people, seed=seed, out_dir=out_dir, echo=click.echo)


@click.command()
@click.option("--people", default=200, show_default=True, help="Simulated participants.")
@click.option("--days", default=180, show_default=True, help="How long the program runs.")
@click.option("--seed", default=7, show_default=True)
@click.option(
    "--program",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="A program YAML (default: the example program).",
)
@click.option(
    "--out",
    "out_dir",
    required=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for messages.jsonl, people.json and the simulation's database.",
)
def simulate(people: int, days: int, seed: int, program: Path | None, out_dir: Path) -> None:
    """Run a whole program in accelerated time with simulated people."""
    from demo.sim.simulate import simulate as run_simulation

    if not 2 <= people <= 5000:
        raise click.BadParameter("between 2 and 5000", param_hint="--people")
    if not 1 <= days <= 730:
        raise click.BadParameter("between 1 and 730", param_hint="--days")
    try:
        findings = run_simulation(
            people=people, days=days, seed=seed, program=program, out=out_dir, echo=click.echo
        )
    except ProgramError as error:
        raise click.ClickException(str(error)) from None
    if not all(f.passed for f in findings):
        raise SystemExit(1)
