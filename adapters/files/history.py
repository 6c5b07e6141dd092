"""Who met whom before: a CSV with header ``a,b,date`` (ISO dates)."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

from adapters.files.people import InputError


def read_history(path: Path, since: date) -> frozenset[frozenset[str]]:
    """Pairs matched on or after ``since`` (earlier pairs may meet again)."""
    problems: list[str] = []
    pairs: set[frozenset[str]] = set()
    try:
        with path.open(newline="", encoding="utf-8-sig") as handle:
            reader = csv.DictReader(handle)
            header = [h.strip() for h in reader.fieldnames or []]
            if header[:3] != ["a", "b", "date"]:
                raise InputError([f"{path}, header: expected a,b,date (got {','.join(header)})"])
            reader.fieldnames = header
            for record in reader:
                where = f"{path}, row {reader.line_num}"
                pair = _pair(where, record, problems)
                if pair is not None and pair[1] >= since:
                    pairs.add(pair[0])
    except OSError as error:
        raise InputError([f"{path}: cannot read the file ({error.strerror})"]) from None
    except UnicodeDecodeError:
        raise InputError([f"{path}: the file is not UTF-8 text"]) from None
    if problems:
        raise InputError(problems[:25])
    return frozenset(pairs)


def _pair(
    where: str, record: dict[str, str | None], problems: list[str]
) -> tuple[frozenset[str], date] | None:
    a, b, when = ((record.get(c) or "").strip() for c in ("a", "b", "date"))
    if not a or not b:
        problems.append(f"{where}, column {'a' if not a else 'b'}: is empty")
        return None
    try:
        day = date.fromisoformat(when)
    except ValueError:
        problems.append(f"{where}, column date: “{when[:20]}” is not a date like 2026-03-01")
        return None
    return frozenset((a, b)), day
