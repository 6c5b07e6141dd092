"""Coordinators' tools for a running program: quiet days and stalled matches.

quiet [program]                               list quiet days
quiet [program] add 2027-12-24 2028-01-02 Holidays
quiet [program] remove N
stalls [program]                              matches that haven't met for two cycles
"""

from __future__ import annotations

import re
from datetime import date

from bot import outbound as m
from bot.cadence.calendar import cycles_due, started
from bot.flows.menus import choose, split_program
from bot.model import Answer, Program
from bot.text import one_line
from bot.turn import Turn

_ADD = re.compile(r"^add\s+(\d{4}-\d{2}-\d{2})\s+(?:to\s+)?(\d{4}-\d{2}-\d{2})\s*(.*)$", re.I)


def managed(turn: Turn, args: str, purpose: str) -> tuple[Program, str] | None:
    named, rest = split_program(turn, args)
    managed = turn.coordinated()
    if not managed:
        turn.say("Only a program's coordinators can do that.")
        return None
    if named is not None and all(p.id != named.id for p in managed):
        # Coordinating one program gives no say over (nor a look into) another.
        turn.say(f"Only {named.spec.name}'s coordinators can do that.")
        return None
    program = choose(turn, named, managed, purpose, rest)
    return (program, rest) if program else None


def quiet(turn: Turn, args: str) -> None:
    found = managed(turn, args, "quiet")
    if found is None:
        return
    program, rest = found
    if rest.casefold().startswith("add"):
        _add_quiet(turn, program, rest)
    elif rest.casefold().startswith("remove"):
        _remove_quiet(turn, program, rest.split()[-1])
    else:
        _list_quiet(turn, program)


def _add_quiet(turn: Turn, program: Program, rest: str) -> None:
    match = _ADD.match(rest.strip())
    try:
        first, last = (
            (date.fromisoformat(match.group(n)) for n in (1, 2)) if match else (None, None)
        )
    except ValueError:
        first = last = None
    if match is None or first is None or last is None or last < first:
        turn.say(
            "Say “quiet add 2027-12-24 2028-01-02 Holidays”: a first and last day "
            "(each person's own calendar), and a note."
        )
        return
    if (last - first).days > 62:
        turn.say("A quiet period can be up to two months long.")
        return
    note = one_line(match.group(3))[:100] or "Quiet days"
    turn.uow.quiet.add(turn.workspace.id, program.id, first, last, note, turn.now)
    turn.say(
        f"{program.spec.name} will send nothing from {first:%-d %B} to {last:%-d %B %Y} "
        f"({note}); anything due then waits until the next working day."
    )


def _remove_quiet(turn: Turn, program: Program, number: str) -> None:
    periods = list(turn.uow.quiet.of_program(program.id))
    index = int(number) - 1 if number.isdigit() else -1
    if not 0 <= index < len(periods):
        turn.say("Say “quiet” to see the quiet periods and their numbers.")
        return
    turn.uow.quiet.remove(periods[index].id)
    turn.say(f"Removed: {periods[index].note}.")


def _list_quiet(turn: Turn, program: Program) -> None:
    periods = turn.uow.quiet.of_program(program.id)
    if not periods:
        turn.say(
            f"No quiet days in {program.spec.name}. Say “quiet add 2027-12-24 2028-01-02 "
            "Holidays” to add some."
        )
        return
    turn.reply(
        m.para(f"Quiet days in {program.spec.name}:"),
        m.Bullets(
            tuple(
                m.para(f"{n}. {p.starts_on:%-d %b %Y} to {p.ends_on:%-d %b %Y}: {p.note}")
                for n, p in enumerate(periods, start=1)
            )
        ),
        summary="Quiet days",
    )


def stalls(turn: Turn, args: str) -> None:
    found = managed(turn, args, "stalls")
    if found is None:
        return
    program, _ = found
    stalled = []
    for match in turn.uow.matches.active(program.id):
        current = cycles_due(started(match), program.spec.cadence_weeks, turn.now.date())
        asked = turn.uow.checkins.of_match(match.id)
        recent = {c.cycle for c in asked if c.cycle in (current - 1, current - 2)}
        met = {c.cycle for c in asked if c.answer is Answer.YES}
        if current >= 3 and len(recent) == 2 and not recent & met:
            stalled.append(" and ".join(x.name for x in match.members))
    if not stalled:
        turn.say(f"Every match in {program.spec.name} has met in the last two cycles.")
        return
    turn.reply(
        m.para(f"Matches in {program.spec.name} that haven't met for two cycles:"),
        m.bullets(*stalled),
        summary="Stalled matches",
    )
