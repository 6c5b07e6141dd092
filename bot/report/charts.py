"""The report's series as the engine's chart blocks, for every surface to draw."""

from __future__ import annotations

from bot.outbound import Chart
from bot.report.document import Report, Series


def chart_of(series: Series) -> Chart:
    return Chart(
        name=series.name,
        title=series.title,
        unit=series.unit.value,
        labels=tuple(p.label for p in series.points),
        values=tuple(None if p.suppressed else p.value for p in series.points),
        kind="line" if series.kind == "line" else "bars",
        note=series.note,
    )


def charts_of(report: Report) -> tuple[Chart, ...]:
    """Every chart of the report, in the order they are shown."""
    return tuple(chart_of(s) for s in report.series)
