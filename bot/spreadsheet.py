"""CSV for spreadsheets: every cell a spreadsheet would take for a formula is
neutralised, so a name like ``=HYPERLINK(...)`` typed into Slack or an HR export
is shown as text, never run, when a coordinator opens an export.

The rule is OWASP's for CSV injection: a cell that begins with ``=``, ``+``,
``-``, ``@``, a tab or a carriage return gets a leading apostrophe, which
spreadsheets read as "this is text" and do not display. Numbers written as
numbers stay numbers (a negative score is still ``-3``).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")

Cell = str | int | float | bool | None


def safe_cell(value: Cell) -> str:
    """The cell as a spreadsheet should show it: text that cannot be a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return repr(value) if isinstance(value, float) else str(value)
    text = str(value)
    return f"'{text}" if text.startswith(_FORMULA_START) else text


def to_csv(header: Sequence[str], rows: Iterable[Sequence[Cell]]) -> str:
    """A whole CSV document (RFC 4180 quoting, ``\\r\\n`` lines), every cell safe."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([safe_cell(h) for h in header])
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return out.getvalue()
