"""Participants and their matches: ``match``, ``request``, and what publishing a
round tells people (an introduction to each match, a kind word to those waiting)."""

from __future__ import annotations

from datetime import date

from bot import outbound as m
from bot.cadence.calendar import next_round_on
from bot.flows.menus import choose, split_program
from bot.matching.words import explained
from bot.model import MatchStatus, Program, Status
from bot.survey.colleagues import PeopleQuestion
from bot.survey.question import BadAnswer
from bot.text import one_line
from bot.turn import Turn

# The same reasons, for a coordinator's eyes.
WAITING_SUMMARY = {
    "odd_one_out": "the odd one out",
    "no_shared_hours": "nobody shares enough working hours",
    "no_mentor_capacity": "no mentor places left",
    "no_mentee": "more mentors than mentees",
    "no_circle": "no circle fits",
    "no_circle_topic": "nobody else wants the same topics",
    "held_back": "held back by you",
    "avoid_list": "ruled out by private preferences",
    "reporting_line": "everyone suitable is in the same reporting line",
    "repeat_partner": "has met everyone suitable already",
    "level_direction": "no suitable mentor",
    "no_one_else": "nobody else to match with",
}
_ASK = PeopleQuestion(key="request", prompt="Who would you like to be paired with?", max=1)


def show_match(turn: Turn, args: str) -> None:
    """``match [program]``: who you're matched with, and why."""
    named, _ = split_program(turn, args)
    live = [
        x
        for x in turn.uow.matches.of_person(turn.person.id, [MatchStatus.ACTIVE])
        if named is None or x.program_id == named.id
    ]
    if not live:
        lines = _no_match(turn, named)
        turn.reply(*(m.para(x) for x in lines), summary=lines[0], kind="match")
        return
    blocks: list[m.Block] = []
    for match in live:
        others = [x.name for x in match.members if x.person_id != turn.person.id]
        program = turn.uow.programs.by_id(match.program_id)
        blocks.append(
            m.para(m.Bold(program.spec.name), f": you're matched with {' and '.join(others)}.")
        )
        why = explained(match, turn.person.user_id)
        if why:
            blocks.append(m.Note(why))
    turn.reply(*blocks, summary="Your match", kind="match")


def _no_match(turn: Turn, named: Program | None) -> list[str]:
    """Why there is no match to show, and what happens next, program by program."""
    enrolments = [
        e
        for e in turn.uow.enrolments.of_person(turn.person.id)
        if e.status is not Status.LEFT and (named is None or e.program_id == named.id)
    ]
    if not enrolments:
        where = f" in {named.spec.name}" if named else " in a program"
        return [
            f"You're not taking part{where}, so there's no match to show. Say “join” to take part."
        ]
    ended = turn.uow.matches.of_person(turn.person.id, [MatchStatus.ENDED])
    lines = []
    for enrolment in enrolments:
        program = turn.uow.programs.by_id(enrolment.program_id)
        name = program.spec.name
        if enrolment.status is Status.INTAKE:
            lines.append(f"{name}: finish joining first (say “join” to carry on).")
            continue
        if enrolment.is_paused(turn.now):
            lines.append(f"{name}: you're on a break; say “resume” to be matched again.")
            continue
        last = max(
            (x for x in ended if x.program_id == program.id and x.ended_at),
            key=lambda x: x.ended_at or turn.now,
            default=None,
        )
        before = (
            f"your last match ended on {_day(last.ended_at)}; " if last and last.ended_at else ""
        )
        on = next_round_on(program, turn.now)
        lines.append(
            f"{name}: {before}you'll be in the next round, on {on:%A} {_day(on)}, and I'll "
            "introduce you when it is published."
        )
    return ["You don't have a match right now.", *lines]


def _day(when: date | None) -> str:
    if when is None:
        return "an earlier day"
    return f"{when.day} {when:%B}"


def request(turn: Turn, args: str) -> None:
    """``request @someone [program]`` or ``request none``: a partner for the next round."""
    named, rest = split_program(turn, args)
    mine = {
        e.program_id
        for e in turn.uow.enrolments.of_person(turn.person.id)
        if e.status in {Status.ACTIVE, Status.PAUSED}
    }
    candidates = [p for p in turn.programs() if p.id in mine]
    program = choose(turn, named, candidates, "request", rest)
    if program is None:
        if not candidates:
            turn.say("Join a program first; then you can ask for a partner.")
        return
    _request_in(turn, program, rest)


def _request_in(turn: Turn, program: Program, rest: str) -> None:
    if not rest:
        turn.say(
            "Who would you like to be paired with? Say “request @name”, or "
            "“request none” to take a request back."
        )
        return
    try:
        handles = _ASK.parse_text(rest)
    except BadAnswer as error:
        turn.say(str(error))
        return
    if not isinstance(handles, list) or not handles:
        turn.uow.requests.clear(program.id, turn.person.id)
        turn.say(f"OK, no request for the next round of {program.spec.name}.")
        return
    handle = handles[0]
    if handle.casefold() == turn.person.user_id.casefold():
        turn.say("That's you! Name a colleague instead.")
        return
    known = turn.uow.people.find(turn.workspace.id, handle) or turn.uow.people.find(
        turn.workspace.id, handle.casefold()
    )
    if known is None:
        turn.say(
            f"I don't know anyone called @{one_line(handle)[:40]} here yet. You can ask "
            "for a colleague who has talked to Tandem; ask them to say “join” first."
        )
        return
    handle = known.user_id
    turn.uow.requests.put(turn.workspace.id, program.id, turn.person.id, handle, turn.now)
    turn.say(
        f"Noted: I'll try to pair you with @{one_line(handle)} in the next round of "
        f"{program.spec.name}, if the program's rules allow it."
    )
