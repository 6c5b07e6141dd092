"""A coordinator's report in chat.

report [program] [from DATE] [to DATE] [round N]
export [program] [from DATE] [to DATE] [round N]
"""

from __future__ import annotations

import re
from datetime import date

from bot import outbound as m
from bot.flows.coordinating import managed
from bot.model import Program
from bot.report.build import build_report
from bot.report.document import Report
from bot.report.exports import export_files
from bot.report.message import report_message
from bot.report.window import Window, default_window
from bot.turn import Turn

_RANGE = re.compile(
    r"^(?:from\s+(?P<first>\S+))?\s*(?:to\s+(?P<last>\S+))?\s*(?:round\s+(?P<round>\S+))?$",
    re.I,
)
_HOW = (
    "Say “report”, or narrow it down: “report {slug} from 2027-01-01 to 2027-03-31”, "
    "“report {slug} round 3”."
)


def report(turn: Turn, args: str) -> None:
    built = _built(turn, args, "report")
    if built is not None:
        message = report_message(built)
        turn.reply(*message.blocks, summary=message.summary, kind=message.kind)


def _built(turn: Turn, args: str, purpose: str) -> Report | None:
    """The report a coordinator asked for (its program, days and round), or None
    after saying what was wrong."""
    found = managed(turn, args, purpose)
    if found is None:
        return None
    program, rest = found
    window = _window(turn, program, rest)
    if window is None:
        return None
    facts = turn.uow.reports.facts(program.id)
    if window.round_id is not None and all(r.id != window.round_id for r in facts.rounds):
        turn.say(f"{program.spec.name} has no round {window.round_id}. " + _how(program))
        return None
    return build_report(program, facts, turn.now, window)


def _window(turn: Turn, program: Program, rest: str) -> Window | None:
    whole = default_window(program, turn.now)
    found = _RANGE.match(" ".join(rest.split()))
    if found is None:
        turn.say(_how(program))
        return None
    try:
        first = _day(found["first"], whole.first_day)
        last = _day(found["last"], whole.last_day)
        round_id = int(found["round"]) if found["round"] else None
    except ValueError:
        turn.say("I couldn't read that. " + _how(program))
        return None
    if last < first:
        turn.say("The first day comes after the last one. " + _how(program))
        return None
    return Window(first, last, round_id)


def _day(text: str | None, default: date) -> date:
    return date.fromisoformat(text) if text else default


def _how(program: Program) -> str:
    return _HOW.format(slug=program.spec.slug)


def export(turn: Turn, args: str) -> None:
    """The report's CSV files (matches, participation, metrics per cycle), sent to
    the coordinator's DM."""
    built = _built(turn, args, "export")
    if built is None:
        return
    files = export_files(built)
    turn.reply(
        m.para(
            f"{built.name}, {len(files)} CSV files: who is matched with whom and how "
            "each match is doing (status only), who takes part, and the numbers per cycle."
        ),
        *files,
        m.Note(
            "Nothing anyone wrote in private is in them. Cells are safe to open in a spreadsheet."
        ),
        summary=f"{built.name}: CSV exports",
        kind="export",
    )
