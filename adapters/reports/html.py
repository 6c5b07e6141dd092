"""A report as one self-contained HTML page: no script, no external file.

The page is made on the server from :class:`bot.report.document.Report` alone, so it
shows nothing the report does not hold (names, statuses, counts and aggregates
that passed the privacy thresholds). Every string is escaped; the charts are
inline SVG (from :func:`adapters.reports.charts.svg`), each with a caption and
its numbers as a table for screen readers and for copying.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from html import escape

from adapters.reports.charts import svg
from bot.outbound import Chart
from bot.report.charts import chart_of
from bot.report.document import Outcome, Report, Series

MAX_TABLE_ROWS = 500  # matches or people shown; the CSV export has them all
_NS = "http://www.w3.org/2000/svg"

_STYLE = """
:root { color: #1f2933; background: #ffffff; font: 16px/1.5 system-ui, sans-serif; }
main { max-width: 60rem; margin: 0 auto; padding: 1rem 1.5rem 3rem; }
h1 { font-size: 1.8rem; margin-bottom: 0.2rem; }
h2 { font-size: 1.3rem; margin-top: 2.2rem; border-bottom: 2px solid #cbd2d9; }
p.scope, p.note, figcaption small { color: #3e4c59; }
table { border-collapse: collapse; width: 100%; margin: 0.5rem 0 1rem; }
caption { text-align: left; font-weight: 600; padding: 0.3rem 0; }
th, td { text-align: left; padding: 0.35rem 0.6rem; border-bottom: 1px solid #e4e7eb; }
thead th { background: #f5f7fa; }
td.number { text-align: right; font-variant-numeric: tabular-nums; }
.met { color: #14532d; font-weight: 600; }
.not-met { color: #991b1b; font-weight: 600; }
.too-early, .not-measured { color: #3e4c59; font-weight: 600; }
figure { margin: 1.5rem 0; }
figure svg { max-width: 100%; height: auto; display: block; }
details { margin-top: 0.3rem; }
"""

_OUTCOME_CLASS = {
    Outcome.MET: "met",
    Outcome.NOT_MET: "not-met",
    Outcome.TOO_EARLY: "too-early",
    Outcome.NOT_MEASURED: "not-measured",
}


def page(report: Report) -> str:
    """The whole report as one HTML document."""
    title = f"{report.name}: how the program is doing"
    body = "\n".join(
        [
            f"<h1>{_e(title)}</h1>",
            f'<p class="scope">{_e(report.scope)}. Made {report.generated_at:%-d %b %Y %H:%M} '
            f"UTC.</p>",
            _figures(report),
            _verdicts(report),
            _charts(report),
            _matches(report),
            _waiting(report),
            _comments(report),
            _privacy(report),
        ]
    )
    return (
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{_e(title)}</title>\n<style>{_STYLE}</style>\n</head>\n"
        f"<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


def _e(text: object) -> str:
    return escape(str(text), quote=True)


def _table(
    caption: str,
    header: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    numbers: frozenset[int] = frozenset(),
) -> str:
    """A table whose first column heads its rows; cells are escaped here."""
    head = "".join(f'<th scope="col">{_e(h)}</th>' for h in header)
    lines = []
    for row in rows:
        first, *rest = row
        cells = "".join(
            f'<td class="number">{_e(c)}</td>' if i in numbers else f"<td>{_e(c)}</td>"
            for i, c in enumerate(rest, start=1)
        )
        lines.append(f'<tr><th scope="row">{_e(first)}</th>{cells}</tr>')
    return (
        f"<table>\n<caption>{_e(caption)}</caption>\n<thead><tr>{head}</tr></thead>\n"
        f"<tbody>\n{chr(10).join(lines)}\n</tbody>\n</table>"
    )


def _figures(report: Report) -> str:
    rows = [
        (f.about.label, f.shown, "" if f.base is None else f"{f.base:,}") for f in report.figures
    ]
    table = _table(
        "Every figure of the report",
        ("Measure", "Value", "Counted over"),
        rows,
        numbers=frozenset({1, 2}),
    )
    return f"<h2>Key figures</h2>\n{table}"


def _verdicts(report: Report) -> str:
    if not report.verdicts:
        return "<h2>Success criteria</h2>\n<p>The program sets no success criteria.</p>"
    lines = []
    for v in report.verdicts:
        outcome = f'<span class="{_OUTCOME_CLASS[v.outcome]}">{_e(v.outcome.value)}</span>'
        lines.append(
            f'<tr><th scope="row">{_e(v.label)}</th><td>{outcome}</td>'
            f"<td>{_e(v.value or '–')}</td><td>{_e(v.threshold or '–')}</td>"
            f"<td>{_e(v.why)}</td></tr>"
        )
    head = "".join(
        f'<th scope="col">{h}</th>' for h in ("Criterion", "Verdict", "Value", "Threshold", "Note")
    )
    return (
        "<h2>Success criteria</h2>\n<table>\n<caption>Each criterion, measured</caption>\n"
        f"<thead><tr>{head}</tr></thead>\n<tbody>\n{chr(10).join(lines)}\n</tbody>\n</table>"
    )


def _charts(report: Report) -> str:
    figures = [_chart(series, chart_of(series)) for series in report.series]
    return "<h2>Charts</h2>\n" + "\n".join(figures)


def _chart(series: Series, chart: Chart) -> str:
    label = _e(chart.title)
    note = f"<br><small>{_e(chart.note)}</small>" if chart.note else ""
    values = [
        (p.label, "hidden" if p.suppressed else _value(p.value), f"{p.base:,}")
        for p in series.points
    ]
    data = _table(
        f"{chart.title}: the numbers",
        ("", "Value", "Counted over"),
        values,
        numbers=frozenset({1, 2}),
    )
    return (
        f'<figure aria-labelledby="{_e(chart.name)}-caption">\n{inline_svg(chart)}\n'
        f'<figcaption id="{_e(chart.name)}-caption">{label}{note}</figcaption>\n'
        f"<details><summary>The numbers</summary>\n{data}\n</details>\n</figure>"
    )


def _value(value: float | None) -> str:
    if value is None:
        return "–"
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.1f}"


_XML_PROLOGUE = re.compile(r"^\s*(<\?xml[^>]*\?>|<!DOCTYPE[^>]*>|\s)*", re.DOTALL)
_IDS = re.compile(r'\bid="([^"]+)"')


def inline_svg(chart: Chart) -> str:
    """The chart's SVG for inlining in a page: no XML prologue, its ids prefixed
    with the chart's name so that several charts on one page never share one, and
    labelled for screen readers."""
    text = _XML_PROLOGUE.sub("", svg(chart), count=1)
    prefix = re.sub(r"[^A-Za-z0-9_-]", "", chart.name) or "chart"
    for found in sorted(set(_IDS.findall(text)), key=len, reverse=True):
        new = f"{prefix}-{found}"
        text = text.replace(f'id="{found}"', f'id="{new}"')
        text = text.replace(f"url(#{found})", f"url(#{new})")
        text = text.replace(f'href="#{found}"', f'href="#{new}"')
    return text.replace("<svg ", f'<svg role="img" aria-label="{_e(chart.title)}" ', 1)


def _matches(report: Report) -> str:
    if not report.matches:
        return "<h2>Matches</h2>\n<p>No match in this report yet.</p>"
    rows = [
        (
            f"{x.match_id}",
            ", ".join(x.names),
            f"{x.started:%-d %b %Y}",
            x.status,
            f"{x.meetings}",
            "yes" if x.met_this_cycle else "no",
            "stalled" if x.stalled else "",
        )
        for x in report.matches[:MAX_TABLE_ROWS]
    ]
    table = _table(
        "Each match's status (never what anyone said)",
        ("Match", "Members", "Started", "Status", "Meetings held", "Met last cycle", "Stalled"),
        rows,
        numbers=frozenset({4}),
    )
    return f"<h2>Matches</h2>\n{table}{_more(len(report.matches), 'matches')}"


def _waiting(report: Report) -> str:
    if not report.waiting:
        return "<h2>People waiting</h2>\n<p>Nobody is waiting for a match.</p>"
    rows = [(w.name, f"{w.since:%-d %b %Y}", w.why) for w in report.waiting[:MAX_TABLE_ROWS]]
    table = _table("Who waits for a match, and why", ("Name", "Since", "Why"), rows)
    return f"<h2>People waiting</h2>\n{table}{_more(len(report.waiting), 'people')}"


def _more(count: int, what: str) -> str:
    if count <= MAX_TABLE_ROWS:
        return ""
    return (
        f'\n<p class="note">The first {MAX_TABLE_ROWS} of {count:,} {_e(what)}: '
        "the CSV export has them all.</p>"
    )


def _comments(report: Report) -> str:
    if not report.comments:
        return ""
    items = "\n".join(f"<li>{_e(c)}</li>" for c in report.comments)
    return (
        "<h2>What people chose to share</h2>\n"
        f'<p class="note">Wrap-up comments their writers shared with the coordinators, '
        f"in no particular order.</p>\n<ul>\n{items}\n</ul>"
    )


def _privacy(report: Report) -> str:
    return (
        f'<h2>About these numbers</h2>\n<p class="note">Ratings, goals and wrap-up answers are '
        f"hidden until at least {report.min_group} people have answered. A match is shown by "
        "its status only, never by what anyone said.</p>"
    )
