"""Participants and their matches: ``match``, ``request``, and what publishing a
round tells people (an introduction to each match, a kind word to those waiting)."""

from __future__ import annotations

from bot import messages as m
from bot.flows.menus import choose, split_program
from bot.matching.explain import Words, sentence
from bot.matching.service import reason_from_data
from bot.model import Match, MatchStatus, Program, Status
from bot.survey import BadAnswer, PeopleQuestion
from bot.text import one_line
from bot.turn import Turn

WAITING_WORDS = {
    "odd_one_out": "There was an odd number of people this round and you're the one left "
    "over, so you'll be first in line for the next round.",
    "no_shared_hours": "Nobody else in the program shares enough of your working hours yet, "
    "so I couldn't find you a partner this round. Widening your working "
    "hours (say “profile”) would help; you'll be first in line next round.",
    "no_mentor_capacity": "Every mentor's places were taken this round. You'll be first in "
    "line for the next one.",
    "no_mentee": "There were more mentors than mentees this round, so you're free this time. "
    "Thank you for offering; you'll be first in line next round.",
    "no_circle": "I couldn't fit you into a circle this round. Adding another topic you'd "
    "like to learn (say “profile”) would help; you'll be first in line next round.",
    "held_back": "Your coordinator is arranging your match by hand this round; you'll hear "
    "from them or from me soon.",
}
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
# Rules that ruled everyone out: told the same way, without saying whose preference.
_RULED_OUT = (
    "Everyone who'd suit you this round is ruled out by the program's rules "
    "(for example people you've already met in it). As new people join you'll be "
    "first in line."
)
_ASK = PeopleQuestion(key="request", prompt="Who would you like to be paired with?", max=1)


def waiting_words(reason: str) -> str:
    if reason == "no_circle_topic":
        return WAITING_WORDS["no_circle"]
    return WAITING_WORDS.get(reason, _RULED_OUT)


def explained(match: Match, viewer: str | None) -> str:
    names = {member.handle: member.name for member in match.members}
    reasons = [reason_from_data(r) for r in match.reasons]
    return sentence(reasons, Words(names, {}, viewer), limit=3)


def show_match(turn: Turn, args: str) -> None:
    """``match [program]``: who you're matched with, and why."""
    named, _ = split_program(turn, args)
    live = [
        x
        for x in turn.uow.matches.of_person(turn.person.id, [MatchStatus.ACTIVE])
        if named is None or x.program_id == named.id
    ]
    if not live:
        turn.say(
            "You don't have a match yet. When the next round is published I'll "
            "introduce you in a group chat."
        )
        return
    blocks: list[m.Block] = []
    for match in live:
        others = [x.name for x in match.members if x.person_id != turn.person.id]
        program = turn.uow.programs.by_id(match.program_id)
        blocks.append(
            m.para(m.Bold(program.spec.name), f": you're matched with {' and '.join(others)}.")
        )
        why = explained(match, turn.person.external_id)
        if why:
            blocks.append(m.Note(why))
    turn.reply(*blocks, summary="Your match", kind="match")


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
    if handle.casefold() == turn.person.external_id.casefold():
        turn.say("That's you! Name a colleague instead.")
        return
    turn.uow.requests.put(turn.workspace.id, program.id, turn.person.id, handle, turn.now)
    turn.say(
        f"Noted: I'll try to pair you with @{one_line(handle)} in the next round of "
        f"{program.spec.name}, if the program's rules allow it."
    )
