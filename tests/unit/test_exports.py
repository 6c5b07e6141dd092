"""The report's CSV exports: what each file holds, nothing private, no formulas."""

from __future__ import annotations

import csv
import io
from dataclasses import replace

import pytest

from bot.report import exports
from bot.report.build import build_report
from bot.report.document import Report
from bot.report.exports import export_files
from bot.report.window import Window
from tests.unit.report_facts import CREATED, NOW, known_facts, known_program

HOSTILE = ("=cmd|' /C calc'!A0", "+1", "-2", "@x", '=HYPERLINK("http://evil","x")', "\tTab")


def _report(**window: object) -> Report:
    return build_report(known_program(), known_facts(), NOW, **window)  # type: ignore[arg-type]


def _rows(content: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(content)))


def _files(report: Report) -> dict[str, list[list[str]]]:
    return {f.name: _rows(f.content) for f in export_files(report)}


def test_three_files_named_by_program_what_and_day() -> None:
    files = export_files(_report())
    assert [f.name for f in files] == [
        "engineering-growth-matches-2026-03-02.csv",
        "engineering-growth-participation-2026-03-02.csv",
        "engineering-growth-cycles-2026-03-02.csv",
    ]
    assert all(f.mime == "text/csv" for f in files)
    sliced = export_files(_report(window=Window(CREATED.date(), NOW.date(), 1)))
    assert sliced[0].name == "engineering-growth-round-1-matches-2026-03-02.csv"


def test_matches_hold_members_round_start_status_and_meetings() -> None:
    rows = _files(_report())["engineering-growth-matches-2026-03-02.csv"]
    assert rows[0][:6] == ["match", "members", "round", "started", "status", "meetings held"]
    first = dict(zip(rows[0], rows[1], strict=True))
    assert first["match"] == "101" and first["members"] == "Person 1; Person 2"
    assert (first["round"], first["started"], first["status"]) == ("1", "2026-01-12", "running")
    assert first["meetings held"] == "3"
    assert rows[4][4] == "ended: not working"
    assert len(rows) == 5


def test_participation_has_everyone_in_scope_with_status_only() -> None:
    rows = _files(_report())["engineering-growth-participation-2026-03-02.csv"]
    assert rows[0] == ["name", "status", "joined", "finished survey", "matches", "meetings held"]
    assert len(rows) == 13
    by_name = {r[0]: r for r in rows[1:]}
    assert by_name["Person 1"] == ["Person 1", "active", "2026-01-06", "2026-01-06", "1", "3"]
    assert by_name["Person 11"][1:4] == ["intake", "2026-01-06", ""]
    assert by_name["Person 12"][1] == "left"


def test_cycles_show_rates_and_hide_thin_ratings() -> None:
    rows = _files(_report())["engineering-growth-cycles-2026-03-02.csv"]
    header = rows[0]
    cycles = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    busy = cycles["2026-01-26"]
    assert (busy["matches asked"], busy["matches met"], busy["meeting rate (%)"]) == (
        "4",
        "3",
        "75.0",
    )
    assert (busy["feedback asked"], busy["feedback answered"]) == ("6", "5")
    assert busy["average rating (1-5)"] == "4.0" and busy["rating note"] == ""
    thin = build_report(known_program(), _thin(), NOW)
    rows = _files(thin)["engineering-growth-cycles-2026-03-02.csv"]
    cycles = {r[0]: dict(zip(header, r, strict=True)) for r in rows[1:]}
    hidden = cycles["2026-01-26"]
    assert hidden["average rating (1-5)"] == ""
    assert hidden["rating note"] == "hidden: fewer than 5 answered"


def _thin():  # type: ignore[no-untyped-def]
    facts = known_facts()
    return replace(facts, feedback=[f for f in facts.feedback if f.person_id in (1, 2)])


def test_no_file_carries_a_formula_from_a_hostile_name() -> None:
    facts = known_facts()
    people = [
        replace(p, name=HOSTILE[i % len(HOSTILE)]) if i < 9 else p
        for i, p in enumerate(facts.people)
    ]
    report = build_report(known_program(), replace(facts, people=people), NOW)
    names = set()
    for content in (f.content for f in export_files(report)):
        for row in _rows(content)[1:]:
            for cell in row:
                assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), cell
            names.update(row)
    assert "'=cmd|' /C calc'!A0" in names and "'+1" in names and "'@x" in names
    assert "'-2" in names and "'\tTab" in names
    members = {r[1] for r in _rows(export_files(report)[0].content)[1:]}
    assert "'=cmd|' /C calc'!A0; +1" in members  # the cell starts with the formula: quoted


def test_a_long_export_is_cut_and_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(exports, "MAX_ROWS", 5)
    rows = _files(_report())["engineering-growth-participation-2026-03-02.csv"]
    assert len(rows) == 1 + 5 + 1
    assert rows[-1] == ["... 7 more people not included (at most 5 rows a file)"]
