"""A coordinator's report in chat.

report [program] [from DATE] [to DATE] [round N]
export [program] [from DATE] [to DATE] [round N]
"""

from __future__ import annotations

import re
from datetime import date

from bot import messages as m
from bot.flows.coordinating import managed
from bot.model import Program
from bot.report.build import Window, build_report, default_window
from bot.report.exports import export_files
from bot.report.message import report_message
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
    found = managed(turn, args, "report")
    if found is None:
        return
    program, rest = found
    window = _window(turn, program, rest)
    if window is None:
        return
    facts = turn.uow.reports.facts(program.id)
    if window.round_id is not None and all(r.id != window.round_id for r in facts.rounds):
        turn.say(f"{program.spec.name} has no round {window.round_id}. " + _how(program))
        return
    message = report_message(build_report(program, facts, turn.now, window))
    turn.reply(*message.blocks, summary=message.summary, kind=message.kind)


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
    found = managed(turn, args, "export")
    if found is None:
        return
    program, rest = found
    window = _window(turn, program, rest)
    if window is None:
        return
    facts = turn.uow.reports.facts(program.id)
    files = export_files(build_report(program, facts, turn.now, window))
    turn.reply(
        m.para(
            f"{program.spec.name}, {len(files)} CSV files: who is matched with whom and how "
            "each match is doing (status only), who takes part, and the numbers per cycle."
        ),
        *files,
        m.Note(
            "Nothing anyone wrote in private is in them. Cells are safe to open in a spreadsheet."
        ),
        summary=f"{program.spec.name}: CSV exports",
        kind="export",
    )
