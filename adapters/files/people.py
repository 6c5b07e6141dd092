"""People from a CSV or JSON export, checked cell by cell.

CSV header: ``id,name,timezone,level,department,manager,offers,wants,goals,role,avoid``
(optional extra columns: ``hours`` such as ``08:30-16:30``, default 09:00-17:00, and
``requested``, an id). Multi-valued cells are separated by ``;``. JSON: a list of
objects with the same fields (or ``{"people": [...]}``), lists allowed for
multi-valued fields. Every problem is reported with its row and column; nothing
is matched until the whole file is right.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from bot.matching.participant import DEFAULT_HOURS, Profile, key
from bot.survey.question import BadAnswer
from bot.survey.written import HoursQuestion
from bot.text import BadText, clean
from bot.timezones import resolve_timezone

REQUIRED = (
    "id",
    "name",
    "timezone",
    "level",
    "department",
    "manager",
    "offers",
    "wants",
    "goals",
    "role",
    "avoid",
)
OPTIONAL = ("hours", "requested")
ROLES = ("peer", "mentor", "mentee", "either")
MAX_ROWS = 100_000
MAX_BYTES = 50 * 1024 * 1024
MAX_PROBLEMS = 25
_HOURS = HoursQuestion(key="hours", prompt="hours")


class InputError(Exception):
    """The input cannot be used; ``problems`` name the row and column of each."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = problems
        super().__init__("\n".join(problems))


class _Bad(ValueError):
    """One cell's problem, in words."""


@dataclass(frozen=True)
class Person:
    """A row of the export: the profile to match and the names to show."""

    profile: Profile
    row: int


def _text(value: Any, limit: int = 200) -> str:
    if value is None:
        return ""
    if not isinstance(value, str | int | float):
        raise _Bad("expected text")
    try:
        return clean(str(value), max_chars=limit)
    except BadText as error:
        raise _Bad(str(error)) from None


def _required(value: Any, limit: int = 200) -> str:
    text = _text(value, limit)
    if not text:
        raise _Bad("is empty; every person needs one")
    return text


def _items(value: Any) -> list[str]:
    raw = value if isinstance(value, list) else (_text(value, 2000).split(";") if value else [])
    items = [_text(item, 75) for item in raw]
    if len(items) > 30:
        raise _Bad(f"has {len(items)} entries; at most 30")
    return [i for i in items if i]


def _timezone(value: Any) -> str:
    text = _required(value, 64)
    zone = resolve_timezone(text)
    if zone is None:
        raise _Bad(f"“{text}” is not a timezone; use names like Europe/Berlin or America/New_York")
    return zone


def _level(value: Any) -> int:
    text = _required(value, 10)
    try:
        level = int(float(text))
    except ValueError:
        raise _Bad(f"“{text}” is not a number; give the career level as a number, like 3") from None
    if not 0 <= level <= 20 or float(text) != level:
        raise _Bad(f"{text} is not a whole number between 0 and 20")
    return level


def _role(value: Any) -> str:
    text = _text(value, 20).casefold() or "either"
    if text not in ROLES:
        raise _Bad(f"“{text}” is not a role; use one of {', '.join(ROLES)}")
    return text


def _hours(value: Any) -> str:
    text = _text(value, 40)
    if not text:
        return DEFAULT_HOURS
    try:
        return str(_HOURS.parse_text(text))
    except BadAnswer as error:
        raise _Bad(str(error)) from None


_FIELDS: dict[str, Callable[[Any], Any]] = {
    "id": lambda v: _required(v, 100),
    "name": _required,
    "timezone": _timezone,
    "level": _level,
    "department": lambda v: _text(v, 100),
    "manager": lambda v: _text(v, 100),
    "offers": _items,
    "wants": _items,
    "goals": _items,
    "role": _role,
    "avoid": _items,
    "hours": _hours,
    "requested": lambda v: _text(v, 100),
}


def _profile(cells: Mapping[str, Any]) -> Profile:
    skills = [*cells["offers"], *cells["wants"], *cells["goals"]]
    return Profile(
        id=cells["id"],
        name=cells["name"],
        timezone=cells["timezone"],
        hours=cells["hours"],
        level=cells["level"],
        offers=frozenset(map(key, cells["offers"])),
        wants=frozenset(map(key, cells["wants"])),
        goals=frozenset(map(key, cells["goals"])),
        role=cells["role"],
        avoid=frozenset(cells["avoid"]),
        manager=cells["manager"] or None,
        department=cells["department"],
        requested=frozenset([cells["requested"]]) if cells["requested"] else frozenset(),
        labels={key(s): s for s in skills},
    )


def _rows(path: Path) -> Iterator[tuple[str, Mapping[str, Any]]]:
    """(where, record) for each person in the file."""
    if path.stat().st_size > MAX_BYTES:
        raise InputError([f"{path}: the file is larger than {MAX_BYTES // 2**20} MB"])
    if path.suffix.casefold() == ".json":
        yield from _json_rows(path)
    else:
        yield from _csv_rows(path)


def _csv_rows(path: Path) -> Iterator[tuple[str, Mapping[str, Any]]]:
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        header = [h.strip() for h in reader.fieldnames or []]
        missing = [c for c in REQUIRED if c not in header]
        unknown = [c for c in header if c not in REQUIRED + OPTIONAL]
        if missing or unknown:
            raise InputError(
                [
                    f"{path}, header: "
                    + "; ".join(
                        ([f"missing column(s): {', '.join(missing)}"] if missing else [])
                        + ([f"unknown column(s): {', '.join(unknown)}"] if unknown else [])
                    )
                    + f" (expected {','.join(REQUIRED)})"
                ]
            )
        reader.fieldnames = header
        for record in reader:
            if None in record:
                raise InputError([f"{path}, row {reader.line_num}: more cells than columns"])
            yield f"{path}, row {reader.line_num}", record


def _json_rows(path: Path) -> Iterator[tuple[str, Mapping[str, Any]]]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError) as error:
        raise InputError([f"{path}: not valid JSON ({error})"]) from None
    people = data.get("people") if isinstance(data, dict) else data
    if not isinstance(people, list):
        raise InputError([f'{path}: expected a list of people, or {{"people": [...]}}'])
    for n, record in enumerate(people, start=1):
        if not isinstance(record, dict):
            raise InputError([f"{path}, person {n}: expected an object with fields"])
        unknown = [f for f in record if f not in REQUIRED + OPTIONAL]
        if unknown:
            raise InputError([f"{path}, person {n}: unknown field(s): {', '.join(unknown)}"])
        yield f"{path}, person {n}", record


def read_people(path: Path) -> list[Profile]:
    """Every person in the file, or :class:`InputError` listing what is wrong."""
    try:
        rows = list(_rows(path))
    except OSError as error:
        raise InputError([f"{path}: cannot read the file ({error.strerror})"]) from None
    except UnicodeDecodeError:
        raise InputError([f"{path}: the file is not UTF-8 text"]) from None
    except csv.Error as error:
        raise InputError([f"{path}: not valid CSV ({error})"]) from None
    if len(rows) > MAX_ROWS:
        raise InputError([f"{path}: {len(rows):,} people; at most {MAX_ROWS:,} at a time"])
    problems: list[str] = []
    profiles: list[Profile] = []
    seen: dict[str, str] = {}
    for where, record in rows:
        cells = _cells(where, record, problems)
        if cells is None:
            continue
        if cells["id"] in seen:
            problems.append(
                f"{where}, column id: “{cells['id']}” is already used "
                f"({seen[cells['id']].rsplit(', ', 1)[-1]})"
            )
            continue
        seen[cells["id"]] = where
        profiles.append(_profile(cells))
    if problems:
        shown = problems[:MAX_PROBLEMS]
        more = len(problems) - len(shown)
        raise InputError(shown + ([f"…and {more} more problems"] if more else []))
    if not profiles:
        raise InputError([f"{path}: there is nobody to match"])
    return profiles


def _cells(where: str, record: Mapping[str, Any], problems: list[str]) -> dict[str, Any] | None:
    cells: dict[str, Any] = {}
    before = len(problems)
    for field, read in _FIELDS.items():
        try:
            cells[field] = read(record.get(field))
        except _Bad as error:
            problems.append(f"{where}, column {field}: {error}")
    return cells if len(problems) == before else None
