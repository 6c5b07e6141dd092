"""A chart's SVG made fit for a page whose Content-Security-Policy allows no inline
style: matplotlib writes ``style="fill: ..."`` attributes and a ``<style>`` element,
both of which such a policy blocks. Here they become SVG presentation attributes
(``fill="..."``), which no policy blocks; the ``<style>`` rule moves to the
stylesheet."""

from __future__ import annotations

import re
from html import escape

from adapters.reports.html import inline_svg
from bot.outbound import Chart

_STYLE_ELEMENT = re.compile(r"<style\b[^>]*>.*?</style>", re.DOTALL)
_STYLE_ATTRIBUTE = re.compile(r'\sstyle="([^"]*)"')
_METADATA = re.compile(r"<metadata>.*?</metadata>", re.DOTALL)
# The properties matplotlib writes, all of which SVG also takes as attributes.
_PRESENTATION = frozenset(
    {
        "fill",
        "fill-opacity",
        "fill-rule",
        "stroke",
        "stroke-width",
        "stroke-opacity",
        "stroke-linecap",
        "stroke-linejoin",
        "stroke-dasharray",
        "stroke-dashoffset",
        "stroke-miterlimit",
        "opacity",
        "clip-rule",
        "font-family",
        "font-size",
        "font-style",
        "font-weight",
        "text-anchor",
    }
)


def _attributes(found: re.Match[str]) -> str:
    pairs = []
    for declaration in found.group(1).split(";"):
        name, _, value = declaration.partition(":")
        name, value = name.strip().lower(), value.strip()
        if name in _PRESENTATION and value:
            pairs.append(f' {name}="{escape(value, quote=True)}"')
    return "".join(pairs)


def csp_safe(svg: str) -> str:
    """The SVG with no ``<style>`` element or ``style`` attribute left."""
    text = _METADATA.sub("", _STYLE_ELEMENT.sub("", svg))
    return _STYLE_ATTRIBUTE.sub(_attributes, text)


def chart_svg(chart: Chart) -> str:
    """The chart, inline (ids prefixed, labelled for screen readers), CSP-safe."""
    return csp_safe(inline_svg(chart))
