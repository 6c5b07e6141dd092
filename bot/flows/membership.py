"""Taking part or not: ``pause [until DATE]``, ``resume``, ``leave``."""

from __future__ import annotations

from dataclasses import replace

from bot import outbound as m
from bot.dates import BadDate, parse_until
from bot.flows.answers import local_date, person_timezone
from bot.flows.checkins import pause_ends_matches
from bot.flows.menus import ask_to_confirm, choose, split_program
from bot.model import Enrolment, Program, Status
from bot.turn import Turn


def _mine(turn: Turn, named: Program | None, statuses: set[Status]) -> list[Enrolment]:
    """The person's enrolments with these statuses, in the named program if any."""
    return [
        e
        for e in turn.uow.enrolments.of_person(turn.person.id)
        if e.status in statuses and (named is None or e.program_id == named.id)
    ]


def _names(turn: Turn, enrolments: list[Enrolment]) -> str:
    return " and ".join(turn.uow.programs.by_id(e.program_id).spec.name for e in enrolments)


def pause(turn: Turn, args: str) -> None:
    """``pause [program] [until DATE | for N weeks]``: a break from matching and nudges."""
    named, rest = split_program(turn, args)
    enrolments = _mine(turn, named, {Status.ACTIVE, Status.PAUSED, Status.INTAKE})
    if not enrolments:
        turn.say("You're not taking part in a program right now, so there's nothing to pause.")
        return
    until = None
    zone = person_timezone(turn)
    if rest:
        try:
            until = parse_until(rest, turn.now, zone)
        except BadDate as error:
            turn.say(str(error))
            return
    for enrolment in enrolments:
        turn.uow.enrolments.save(replace(enrolment, status=Status.PAUSED, paused_until=until))
    when = f"until {local_date(until, zone)}" if until else "until you say “resume”"
    turn.reply(
        m.para(
            f"Enjoy the break. {_names(turn, enrolments)} won't match you or send you "
            f"check-ins {when}."
        ),
        m.Note("Say “resume” any time to come back early."),
        summary=f"Paused {when}.",
    )


def resume(turn: Turn, args: str) -> None:
    """``resume [program]``: back from a break."""
    named, _ = split_program(turn, args)
    enrolments = _mine(turn, named, {Status.PAUSED})
    if not enrolments:
        turn.say("You're not on a break, so there's nothing to resume.")
        return
    for enrolment in enrolments:
        back = Status.ACTIVE if enrolment.intake_completed_at else Status.INTAKE
        turn.uow.enrolments.save(replace(enrolment, status=back, paused_until=None))
    turn.say(
        f"Welcome back! You're taking part in {_names(turn, enrolments)} again and "
        "will be in the next matching round."
    )


def leave(turn: Turn, args: str) -> None:
    """``leave [program]``: stop taking part (after a confirmation)."""
    named, rest = split_program(turn, args)
    current = _mine(turn, named, {Status.ACTIVE, Status.PAUSED, Status.INTAKE})
    programs = [turn.uow.programs.by_id(e.program_id) for e in current]
    if not programs:
        turn.say("You're not taking part in a program right now.")
        return
    program = choose(turn, named, programs, "leave", rest)
    if program is None:
        return
    question = m.para(
        f"Leave {program.spec.name}? You won't be matched or messaged about it any more. "
        "Your answers are kept so you can rejoin quickly; say “forget me” to erase everything."
    )
    ask_to_confirm(turn, "leave", program, question, "Leave", "Stay")


def confirmed_leave(turn: Turn, program: Program | None, subject: str = "") -> None:
    enrolment = turn.uow.enrolments.get(program.id, turn.person.id) if program else None
    if program is None or enrolment is None or enrolment.status is Status.LEFT:
        turn.say("You're not part of that program any more.")
        return
    turn.uow.enrolments.save(replace(enrolment, status=Status.LEFT, left_at=turn.now))
    pause_ends_matches(turn, program)
    turn.say(
        f"You've left {program.spec.name}. Thank you for taking part; say “join "
        f"{program.slug}” if you'd like to come back."
    )
