"""``tandem match``: a round from an HR export (CSV or JSON in, JSON out)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import click

from bot.program.problems import ProgramError


@click.command()
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
