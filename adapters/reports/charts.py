"""Charts as PNG (chat, files) and SVG (the web), drawn with matplotlib's Agg backend.

A PNG carries the numbers it shows in a ``tandem:chart`` text chunk (JSON), so a
test or a curious reader can check the picture against the data without reading
pixels.
"""

from __future__ import annotations

import io
import json
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display, ever: before pyplot is imported

from matplotlib.figure import Figure
from PIL import Image
from PIL.PngImagePlugin import PngInfo

from bot.outbound import Chart

SIZE = (8.0, 4.5)  # inches
DPI = 100  # 800 x 450 pixels
META_KEY = "tandem:chart"
_INK, _ACCENT, _MUTED = "#1f2933", "#2563eb", "#9aa5b1"
_LIMITS = {"percent": (0, 100), "rating": (0, 5), "score": (0, 10), "nps": (-100, 100)}


def chart_data(chart: Chart) -> dict[str, Any]:
    """What a chart shows, as plain data (embedded in its PNG)."""
    return {
        "name": chart.name,
        "title": chart.title,
        "unit": chart.unit,
        "labels": list(chart.labels),
        "values": list(chart.values),
    }


def png(chart: Chart, size: tuple[float, float] = SIZE) -> bytes:
    """The chart as a PNG of ``size`` inches at :data:`DPI`, its data in a text chunk."""
    figure = _draw(chart, size)
    out = io.BytesIO()
    metadata = {META_KEY: json.dumps(chart_data(chart)), "Software": "Tandem"}
    figure.savefig(out, format="png", dpi=DPI, metadata=metadata)
    return out.getvalue()


COMPACT = (4.0, 2.25)  # inches: 400 x 225 pixels


def compact_png(chart: Chart) -> bytes:
    """A small PNG in 16 colours (about 4 KB) for where every byte counts: inside a
    Teams card, which holds about 28 KB in all. Its data rides along as in :func:`png`."""
    drawn = Image.open(io.BytesIO(png(chart, COMPACT))).convert("RGB").quantize(colors=16)
    info = PngInfo()
    info.add_text(META_KEY, json.dumps(chart_data(chart)))
    out = io.BytesIO()
    drawn.save(out, format="PNG", optimize=True, pnginfo=info)
    return out.getvalue()


def svg(chart: Chart) -> str:
    """The chart as an SVG document (for the web: inline, no script)."""
    figure = _draw(chart)
    out = io.StringIO()
    figure.savefig(out, format="svg", metadata={"Title": chart.title, "Date": None})
    return out.getvalue()


def _draw(chart: Chart, size: tuple[float, float] = SIZE) -> Figure:
    # A Figure of its own, not pyplot's: no global state, so senders on several
    # threads may draw at once, and nothing lingers to be closed.
    figure = Figure(figsize=size, dpi=DPI, layout="constrained")
    axes = figure.subplots()
    axes.set_title(chart.title, loc="left", color=_INK, fontsize=13)
    positions = list(range(len(chart.labels)))
    heights = [v if v is not None else 0.0 for v in chart.values]
    if chart.kind == "line":
        xs = [x for x, v in zip(positions, chart.values, strict=True) if v is not None]
        ys = [v for v in chart.values if v is not None]
        axes.plot(xs, ys, marker="o", color=_ACCENT, linewidth=2)
    else:
        colours = [_ACCENT if v is not None else _MUTED for v in chart.values]
        axes.bar(positions, heights, color=colours)
        for x, v in zip(positions, chart.values, strict=True):
            if v is not None:
                axes.annotate(
                    _label(v, chart.unit),
                    (x, v),
                    ha="center",
                    va="bottom",
                    fontsize=9,
                    color=_INK,
                    xytext=(0, 2),
                    textcoords="offset points",
                )
    axes.set_xticks(
        positions,
        chart.labels,
        rotation=30 if len(positions) > 8 else 0,
        ha="right" if len(positions) > 8 else "center",
    )
    if chart.unit in _LIMITS:
        axes.set_ylim(*_LIMITS[chart.unit])
    else:  # counts: from zero, with room for the labels (and an axis when all are 0)
        axes.set_ylim(0, max([1.0, *(v for v in chart.values if v is not None)]) * 1.15)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    if chart.note:
        figure.text(0.01, 0.01, chart.note, fontsize=8, color=_MUTED)
    if not chart.labels or all(v is None for v in chart.values):
        axes.text(
            0.5,
            0.5,
            chart.note or "Nothing to show yet",
            transform=axes.transAxes,
            ha="center",
            va="center",
            color=_MUTED,
        )
    return figure


def _label(value: float, unit: str) -> str:
    if unit == "percent":
        return f"{value:.0f}%"
    if unit in ("rating", "score"):
        return f"{value:.1f}"
    return f"{value:,.0f}"
