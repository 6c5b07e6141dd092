"""A program's page on the dashboard: what it shows, made from the engine's report
(privacy applied there): the headline figures, the charts drawn as SVG from their
numbers, the matches and who waits, the CSV exports to download."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from markupsafe import Markup

from adapters.dashboard.svg import chart_svg
from bot.dashboard import (
    EXPORTS,
    ProgramView,
)
from bot.report.charts import chart_of
from bot.report.document import Figure, Point, Series
from bot.report.metrics import formatted

MAX_ROWS = 500  # matches shown on a page; the CSV export has them all
HEADLINE = (
    "joined",
    "matched",
    "waiting",
    "matches_running",
    "meeting_rate",
    "average_rating",
    "stalled",
    "failed_deliveries",
)
_LABELS = {
    "matches": "Matches (status only)",
    "participation": "Participation",
    "cycles": "Metrics per cycle",
}


@dataclass(frozen=True)
class _Chart:
    name: str
    title: str
    note: str
    svg: Markup
    points: tuple[_PointRow, ...]


@dataclass(frozen=True)
class _PointRow:
    label: str
    shown: str
    base: int


@dataclass(frozen=True)
class _Download:
    href: str
    label: str


def program_page(view: ProgramView, problem: str, base: str) -> dict[str, Any]:
    """What a program's page shows (the template's context), from its report;
    ``base`` is the page's path, under which its CSV exports are."""
    report = view.report
    window = view.window
    query = {
        "from": window.first_day.isoformat(),
        "to": window.last_day.isoformat(),
        **({"round": str(window.round_id)} if window.round_id else {}),
    }
    headline: list[Figure] = [report.figure(name) for name in HEADLINE]
    return {
        "view": view,
        "problem": problem,
        "headline": headline,
        "charts": [_chart(series) for series in report.series],
        "matches": report.matches[:MAX_ROWS],
        "more_matches": len(report.matches) > MAX_ROWS,
        "stalled": [x for x in report.matches if x.stalled],
        "waiting": report.waiting[:MAX_ROWS],
        "failed": int(report.figure("failed_deliveries").value or 0),
        "downloads": [
            _Download(f"{base}/{what}.csv?{urlencode(query)}", _LABELS[what]) for what in EXPORTS
        ],
    }


def _chart(series: Series) -> _Chart:
    chart = chart_of(series)
    return _Chart(
        series.name,
        series.title,
        series.note,
        Markup(chart_svg(chart)),  # drawn from numbers; matplotlib escapes the labels
        tuple(_PointRow(p.label, _point(p, series), p.base) for p in series.points),
    )


def _point(point: Point, series: Series) -> str:
    return "hidden" if point.suppressed else formatted(point.value, series.unit)
