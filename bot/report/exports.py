"""A report as CSV files a coordinator can open in a spreadsheet.

Three files, each made only of what the report already holds (statuses, dates and
counts, never what anyone wrote): the matches, the people and the metrics per
cycle. Every cell goes through :func:`bot.spreadsheet.safe_cell`, so a name typed
as ``=HYPERLINK(...)`` is text in the spreadsheet, never a formula; and each file
holds at most :data:`MAX_ROWS` rows, ending with a line that says so when cut.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from datetime import date

from bot.outbound import File
from bot.report.document import CycleRow, MatchLine, PersonLine, Report
from bot.spreadsheet import Cell, to_csv

MAX_ROWS = 10_000  # rows per file; a spreadsheet opens this many at once comfortably
_NOT_FILE_NAME = re.compile(r"[^a-z0-9-]+")

MATCH_HEADER = ("match", "members", "round", "started", "status", "meetings held")
MATCH_HEADER_MORE = ("met in the last cycle", "stalled", "a member paused")
PEOPLE_HEADER = ("name", "status", "joined", "finished survey", "matches", "meetings held")
CYCLE_HEADER = (
    "cycle starts",
    "matches asked",
    "matches met",
    "meeting rate (%)",
    "feedback asked",
    "feedback answered",
    "feedback response rate (%)",
    "average rating (1-5)",
    "rating note",
)


def export_files(report: Report) -> tuple[File, ...]:
    """The report's matches, people and metrics per cycle, as CSV files."""
    return (
        _file(report, "matches", "Matches (status only)", _matches_csv(report.matches)),
        _file(report, "participation", "Participation", _people_csv(report.people)),
        _file(report, "cycles", "Metrics per cycle", _cycles_csv(report.cycles, report.min_group)),
    )


def file_name(report: Report, what: str, extension: str = "csv") -> str:
    """``{slug}-{what}-{YYYY-MM-DD}.csv`` (with the round when the report has one),
    letters, digits and dashes only, then one dot."""
    parts = [report.program, f"round-{report.round_id}" if report.round_id else "", what]
    stem = "-".join(_NOT_FILE_NAME.sub("-", p.casefold()).strip("-") for p in parts if p)
    suffix = _NOT_FILE_NAME.sub("", extension.casefold()) or "txt"
    return f"{stem or 'report'}-{report.last_day:%Y-%m-%d}.{suffix}"


def _file(report: Report, what: str, title: str, content: str) -> File:
    return File(file_name(report, what), f"{report.name}: {title}, {report.scope}", content)


def _matches_csv(matches: Sequence[MatchLine]) -> str:
    rows = [
        (
            x.match_id,
            "; ".join(x.names),
            x.round_id,
            _day(x.started),
            x.status,
            x.meetings,
            x.met_this_cycle,
            x.stalled,
            x.paused,
        )
        for x in matches
    ]
    return _csv((*MATCH_HEADER, *MATCH_HEADER_MORE), rows, "matches")


def _people_csv(people: Sequence[PersonLine]) -> str:
    rows = [
        (p.name, p.status, _day(p.joined), _day(p.surveyed), p.matches, p.meetings) for p in people
    ]
    return _csv(PEOPLE_HEADER, rows, "people")


def _cycles_csv(cycles: Sequence[CycleRow], min_group: int) -> str:
    rows = [
        (
            _day(c.starts_on),
            c.asked,
            c.met,
            _percent(c.met, c.asked),
            c.feedback_asked,
            c.feedback_answered,
            _percent(c.feedback_answered, c.feedback_asked),
            None if c.rating_suppressed or c.rating is None else round(c.rating, 2),
            f"hidden: fewer than {min_group} answered" if c.rating_suppressed else "",
        )
        for c in cycles
    ]
    return _csv(CYCLE_HEADER, rows, "cycles")


def _csv(header: Sequence[str], rows: Sequence[Sequence[Cell]], what: str) -> str:
    """The rows, at most :data:`MAX_ROWS` of them; a last line says how many were left out."""
    if len(rows) <= MAX_ROWS:
        return to_csv(header, rows)
    cut = f"... {len(rows) - MAX_ROWS} more {what} not included (at most {MAX_ROWS} rows a file)"
    return to_csv(header, [*rows[:MAX_ROWS], (cut,)])


def _percent(part: int, whole: int) -> float | None:
    return round(100 * part / whole, 1) if whole else None


def _day(day: date | None) -> str | None:
    return None if day is None else day.isoformat()
