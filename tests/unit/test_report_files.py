"""The report drawn and written: PNG charts carrying their data, SVG, the HTML page."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from dataclasses import replace
from html.parser import HTMLParser

from PIL import Image

from adapters.reports.charts import META_KEY, png, svg
from adapters.reports.html import inline_svg, page
from bot.report.build import build_report
from bot.report.charts import charts_of
from bot.report.document import Report
from tests.unit.report_facts import NOW, known_facts, known_program


def _report(**changes: object) -> Report:
    facts = replace(known_facts(), **changes)  # type: ignore[arg-type]
    return build_report(known_program(), facts, NOW)


def _thin() -> Report:
    facts = known_facts()
    return _report(feedback=[f for f in facts.feedback if f.person_id in (1, 2)])


def _read_png(data: bytes) -> tuple[tuple[int, int], dict[str, object]]:
    image = Image.open(io.BytesIO(data))
    assert image.format == "PNG"
    return image.size, json.loads(image.text[META_KEY])  # type: ignore[attr-defined]


def test_every_chart_is_an_800_by_450_png_carrying_its_series() -> None:
    report = _report()
    charts = charts_of(report)
    assert [c.name for c in charts] == ["meeting_rate", "funnel", "ratings", "goals"]
    for chart, series in zip(charts, report.series, strict=True):
        size, data = _read_png(png(chart))
        assert size == (800, 450)
        assert data["name"] == series.name and data["title"] == series.title
        assert data["labels"] == [p.label for p in series.points]
        assert data["values"] == [p.value for p in series.points]
    _, funnel = _read_png(png(charts[1]))
    assert funnel["values"] == [12, 11, 8, 6]
    _, ratings = _read_png(png(charts[2]))
    assert ratings["values"] == [0, 0, 1, 3, 1]


def test_a_suppressed_ratings_chart_carries_no_values() -> None:
    report = _thin()
    ratings = next(c for c in charts_of(report) if c.name == "ratings")
    size, data = _read_png(png(ratings))
    assert size == (800, 450)
    assert data["labels"] == ["1 of 5", "2 of 5", "3 of 5", "4 of 5", "5 of 5"]
    assert data["values"] == [None] * 5
    assert report.chart("ratings").suppressed


def test_svg_is_well_formed_xml_without_script() -> None:
    for chart in charts_of(_report()):
        text = svg(chart)
        root = ET.fromstring(text.encode())
        assert root.tag == "{http://www.w3.org/2000/svg}svg"
        assert "<script" not in text.casefold()
        inline = inline_svg(chart)
        assert ET.fromstring(inline).get("aria-label") == chart.title
        assert not inline.startswith("<?xml")


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _parsed(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


def test_the_page_is_self_contained_accessible_and_complete() -> None:
    html = page(_report())
    parsed = _parsed(html)
    tags = [t for t, _ in parsed.tags]
    assert html.startswith("<!DOCTYPE html>") and ("html", {"lang": "en"}) in parsed.tags
    assert "script" not in tags and "link" not in tags and "img" not in tags
    assert tags.count("h1") == 1 and tags.count("svg") == 4
    assert all(a.get("scope") in ("col", "row") for t, a in parsed.tags if t == "th")
    text = " ".join(" ".join(parsed.text).split())
    for expected in (
        "Key figures",
        "Check-ins where the match met",
        "Success criteria",
        "not met",
        "67%",
        "at least",
        "Person 1, Person 2",
        "ended: not working",
        "People waiting",
        "the odd one out last round",
    ):
        assert expected in text, expected
    ids = re.findall(r'\bid="([^"]+)"', html)
    assert len(ids) == len(set(ids)), "an id is used twice"
    assert "What people chose to share" not in text  # no comments in this report


def test_a_hostile_name_is_escaped_everywhere() -> None:
    facts = known_facts()
    hostile = '<script>alert("x")</script><img src=x onerror=alert(1)>'
    people = [replace(p, name=hostile) if p.person_id in (1, 9) else p for p in facts.people]
    html = page(_report(people=people))
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html
    parsed = _parsed(html)
    assert not any(t in ("script", "img") for t, _ in parsed.tags)


def test_shared_comments_appear_only_when_the_report_holds_them() -> None:
    report = replace(_report(), comments=("<b>Great</b> pairing", "Helpful"), comments_shared=10)
    html = page(report)
    assert "What people chose to share" in html
    assert "&lt;b&gt;Great&lt;/b&gt; pairing" in html and "<b>" not in html
