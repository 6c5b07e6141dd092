"""``tandem report``: a program's report as files - the charts as PNG, the CSV
exports and a one-page HTML report - for a coordinator to keep or pass on."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from bot.model import Program
from bot.ports import UnitOfWorkFactory
from bot.report.build import build_report
from bot.report.charts import charts_of
from bot.report.document import Report
from bot.report.exports import export_files, file_name
from bot.report.window import Window, default_window

# What the command prints; every figure is in the HTML page and the CSV files.
KEY_FIGURES = (
    "joined",
    "surveyed",
    "matched",
    "waiting",
    "matches_running",
    "matches_ended",
    "meeting_rate",
    "feedback_response_rate",
    "average_rating",
    "goals_done",
    "stalled",
    "failed_deliveries",
)
HTML_NAME = "report.html"


class ReportError(ValueError):
    """The report cannot be made as asked; the message says why."""


@dataclass(frozen=True)
class Asked:
    """What the command was asked for: a program and, optionally, a slice of it."""

    platform: str
    workspace: str
    slug: str
    first_day: date | None = None
    last_day: date | None = None
    round_id: int | None = None


def make_report(uow: UnitOfWorkFactory, asked: Asked, now: datetime) -> Report:
    """The program's report, read in one unit of work that changes nothing."""
    with uow() as work:
        workspace = work.workspaces.ensure(asked.platform, asked.workspace, now)
        program = work.programs.get(workspace.id, asked.slug)
        if program is None:
            known = ", ".join(sorted(p.spec.slug for p in work.programs.all(workspace.id)))
            raise ReportError(
                f"No program {asked.slug!r} in {asked.platform} workspace {asked.workspace}"
                f" (programs there: {known or 'none'})."
            )
        facts = work.reports.facts(program.id)
    rounds = sorted(r.id for r in facts.rounds if r.published_at is not None)
    if asked.round_id is not None and asked.round_id not in rounds:
        listed = ", ".join(str(r) for r in rounds) or "none published yet"
        raise ReportError(f"{asked.slug} has no round {asked.round_id} (rounds: {listed}).")
    return build_report(program, facts, now, window_for(program, asked, now))


def window_for(program: Program, asked: Asked, now: datetime) -> Window:
    default = default_window(program, now)
    first = asked.first_day or default.first_day
    last = asked.last_day or default.last_day
    if first > last:
        raise ReportError(f"--from {first} is after --to {last}.")
    return Window(first, last, asked.round_id)


def write_files(report: Report, out: Path) -> list[Path]:
    """Every chart as PNG, the CSV exports and the HTML page, in ``out``."""
    from adapters.reports.charts import png  # matplotlib: only when drawing
    from adapters.reports.html import page

    try:
        out.mkdir(parents=True, exist_ok=True)
        written = [
            _write(out / file_name(report, chart.name.replace("_", "-"), "png"), png(chart))
            for chart in charts_of(report)
        ]
        written += [_write(out / f.name, f.content.encode("utf-8")) for f in export_files(report)]
        written.append(_write(out / HTML_NAME, page(report).encode("utf-8")))
    except OSError as error:
        where = error.filename or out
        raise ReportError(f"Cannot write to {where}: {error.strerror or error}.") from None
    return written


def _write(path: Path, content: bytes) -> Path:
    path.write_bytes(content)
    return path


def summary(report: Report) -> list[str]:
    """The key numbers and the success criteria's verdicts, as printed lines."""
    lines = [f"{report.name}: {report.scope}"]
    for figure in (report.figure(m) for m in KEY_FIGURES):
        base = f" (of {figure.base:,})" if figure.base and figure.about.unit != "count" else ""
        lines.append(f"  {figure.about.label}: {figure.shown}{base}")
    if report.verdicts:
        lines.append("Success criteria:")
    for verdict in report.verdicts:
        value = f": {verdict.value}" if verdict.value else ""
        threshold = f" (target {verdict.threshold})" if verdict.threshold else ""
        why = f" - {verdict.why}" if verdict.why else ""
        lines.append(f"  {verdict.outcome.value}{value}{threshold}  {verdict.label}{why}")
    return lines


def size(path: Path) -> str:
    n = path.stat().st_size
    return f"{n:,} bytes" if n < 10_000 else f"{n / 1024:,.0f} KB"
