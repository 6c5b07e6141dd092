"""``programs``: what runs here, and whether you take part."""

from __future__ import annotations

from bot import outbound as m
from bot.model import Status
from bot.turn import Turn

_STATUS = {
    Status.INTAKE: "you're part-way through joining",
    Status.ACTIVE: "you take part",
    Status.PAUSED: "you're on a break",
    Status.LEFT: "you left",
}


def list_programs(turn: Turn, args: str) -> None:
    programs = turn.programs()
    if not programs:
        turn.say("No programs are running here yet. Your coordinator can add one.")
        return
    mine = {e.program_id: e.status for e in turn.uow.enrolments.of_person(turn.person.id)}
    items = tuple(
        m.para(
            m.Bold(p.spec.name),
            f" ({p.slug}): {p.spec.description}",
            f" — {_STATUS[mine[p.id]]}." if p.id in mine else "",
        )
        for p in programs
    )
    turn.reply(
        m.para("Programs running here:"),
        m.Bullets(items),
        m.Note("Say “join” followed by a program's short name to join it."),
        summary="Programs running here",
    )
