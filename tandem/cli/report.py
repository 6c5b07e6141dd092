"""``tandem report``: a program's report as files (charts, CSV exports, report.html)."""

from __future__ import annotations

from pathlib import Path

import click

from adapters.console.chat import WORKSPACE
from adapters.console.platform import PLATFORM
from tandem.cli.app import command_app, day, instant


@click.command()
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

    asked = Asked(platform, workspace, slug, day(first, "--from"), day(last, "--to"), round_id)
    when = instant(at) if at else None
    with command_app() as app:
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
