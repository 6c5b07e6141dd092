"""Timezone names people type, resolved to IANA zone names."""

from __future__ import annotations

import unicodedata
import zoneinfo
from functools import cache

# Zone areas that name real places; "US/Eastern"-style aliases still resolve when
# typed in full, but a bare city prefers these.
_AREAS = (
    "Africa",
    "America",
    "Antarctica",
    "Asia",
    "Atlantic",
    "Australia",
    "Europe",
    "Indian",
    "Pacific",
)


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.replace("_", " ").casefold().split())


@cache
def _index() -> tuple[dict[str, str], dict[str, str]]:
    full: dict[str, str] = {}
    cities: dict[str, str] = {}
    for zone in sorted(zoneinfo.available_timezones()):
        full[_fold(zone)] = zone
        area, _, rest = zone.partition("/")
        if area in _AREAS and rest:
            cities.setdefault(_fold(rest.rsplit("/", 1)[-1]), zone)
    return full, cities


def resolve_timezone(text: str) -> str | None:
    """The IANA name for ``text`` (a zone name or a city), or ``None``."""
    folded = _fold(text)
    if not folded or len(folded) > 64:
        return None
    full, cities = _index()
    if "/" in folded:
        return full.get(folded)
    # A bare name is most likely a city; legacy aliases ("Singapore", "Japan")
    # would otherwise win over the canonical zone.
    return cities.get(folded) or full.get(folded)


def is_timezone(name: str) -> bool:
    """Whether ``name`` is exactly a known IANA zone name."""
    return name in zoneinfo.available_timezones()
