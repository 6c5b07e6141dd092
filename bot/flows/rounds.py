"""Coordinators' rounds: ``round preview``, review changes, ``round publish``.

round [program] preview [seed N]   a fresh draft: matches with scores and reasons
round [program]                    show the draft again
round swap @a @b                   exchange two people (or one matched, one waiting)
round unpair @a                    hold back @a's match; its members wait
round pair @a @b                   pair two waiting people
round publish | round discard
"""

from __future__ import annotations

import zlib
from dataclasses import replace

from bot import outbound as m
from bot.cadence.publish import publish
from bot.cadence.sender import Sender
from bot.flows.matches import WAITING_SUMMARY
from bot.flows.menus import choose, split_program
from bot.matching.service import Review, ReviewError, discard, pool, propose
from bot.matching.words import explained
from bot.model import Program, Round, Status
from bot.text import counted
from bot.turn import Turn

_SHOWN = 25  # matches listed in chat; the rest are counted
_HELP = (
    "Say “round swap @a @b”, “round unpair @a” or “round pair @a @b” to change it, then "
    "“round publish” (or “round discard”)."
)


def round_command(turn: Turn, args: str) -> None:
    named, rest = split_program(turn, args)
    managed = turn.coordinated()
    if not managed:
        turn.say("Only a program's coordinators can run its matching rounds.")
        return
    program = choose(turn, named, managed, "round", rest)
    if program is None:
        return
    word, _, more = rest.partition(" ")
    action = _ACTIONS.get(word.casefold() or "show")
    if action is None:
        turn.say(f"I don't know “round {one_word(word)}”. {_HELP}")
        return
    action(turn, program, more.split())


def one_word(word: str) -> str:
    return word[:20]


def _preview(turn: Turn, program: Program, args: list[str]) -> None:
    waiting = pool(turn.uow, program, turn.now).profiles
    if len(waiting) < 2:
        turn.say(_nobody_to_match(turn, program, len(waiting)))
        return
    # A seed from the event id: a platform retry of this command proposes the same round.
    seed = _seed(args) if args[:1] == ["seed"] else zlib.crc32(turn.event.event_id.encode())
    seed %= 2**31  # stored as a 32-bit integer
    round_ = propose(turn.uow, program, turn.now, seed)
    _show_round(turn, program, round_)


def _nobody_to_match(turn: Turn, program: Program, free: int) -> str:
    """Why there is no round to propose: where everyone is."""
    now, enrolments = turn.now, turn.uow.enrolments.in_program(program.id)
    places = {
        "in running matches": sum(len(x.members) for x in turn.uow.matches.active(program.id)),
        "on a break": sum(e.status is Status.PAUSED and e.is_paused(now) for e in enrolments),
        "still answering the survey": sum(e.status is Status.INTAKE for e in enrolments),
    }
    where = [counted(free, "person", "people") + " waiting"] + [
        f"{counted(n, 'person', 'people')} {place}" for place, n in places.items() if n
    ]
    return (
        f"There's nobody to match in {program.spec.name} yet: a round needs at least two "
        f"people waiting ({', '.join(where)}). No draft was made."
    )


def _seed(args: list[str]) -> int:
    return int(args[1][:9]) if len(args) > 1 and args[1].isdigit() else 0


def _show(turn: Turn, program: Program, args: list[str]) -> None:
    draft = turn.uow.rounds.draft(program.id)
    if draft is None:
        turn.say(
            f"There's no draft round for {program.spec.name}. Say “round preview” to propose one."
        )
        return
    _show_round(turn, program, draft)


def _show_round(turn: Turn, program: Program, round_: Round) -> None:
    matches = turn.uow.matches.of_round(round_.id)
    waiting = turn.uow.rounds.waiting(round_.id)
    people = sum(len(x.members) for x in matches)
    lines = [
        m.para(
            m.Bold(f"{n}. " + " + ".join(f"{x.name} (@{x.user_id})" for x in match.members)),
            f" — score {match.score:.0f}",
            f", {match.topic}" if match.topic else "",
        )
        for n, match in enumerate(matches[:_SHOWN], start=1)
    ]
    notes = [
        m.Note(explained(match, None) or "No particular reasons.") for match in matches[:_SHOWN]
    ]
    listed = [block for pair in zip(lines, notes, strict=True) for block in pair]
    more = [m.Note(f"…and {len(matches) - _SHOWN} more matches.")] if len(matches) > _SHOWN else []
    wait = [
        m.para(
            m.Bold("Waiting: "),
            f"{w.name} (@{w.user_id}), {WAITING_SUMMARY.get(w.reason, w.reason)}",
        )
        for w in waiting
    ]
    exact = (
        "changed by hand"
        if round_.edited
        else "the best possible round"
        if round_.exact
        else "within a fraction of a percent of the best"
    )
    size = (
        f"{counted(len(matches), 'match', 'matches')} covering "
        f"{counted(people, 'person', 'people')}, {len(waiting)} waiting; "
        f"total score {sum(x.score for x in matches):.0f} ({exact})."
        if matches
        else f"No match is possible: the program's rules keep apart everyone waiting "
        f"({len(waiting)})."
    )
    turn.reply(
        m.Heading(f"Proposed round for {program.spec.name}"),
        m.para(size),
        *listed,
        *more,
        *wait,
        m.Note(_HELP),
        summary=f"Proposed round for {program.spec.name}",
        kind="round",
    )


def _review(turn: Turn, program: Program) -> Review | None:
    draft = turn.uow.rounds.draft(program.id)
    if draft is None:
        turn.say("There's no draft round to change. Say “round preview” first.")
        return None
    return Review(turn.uow, program, draft, pool(turn.uow, program, turn.now), turn.now)


def _change(turn: Turn, program: Program, args: list[str], needed: int, name: str) -> None:
    if len(args) != needed:
        people = " ".join(["@a", "@b"][:needed])
        turn.say(f"Say “round {name} {people}”.")
        return
    review = _review(turn, program)
    if review is None:
        return
    try:
        getattr(review, name)(*args)
    except ReviewError as error:
        turn.say(str(error))
        return
    turn.uow.rounds.mark_edited(review.round_.id)
    _show_round(turn, program, replace(review.round_, edited=True))


def _publish(turn: Turn, program: Program, args: list[str]) -> None:
    draft = turn.uow.rounds.draft(program.id)
    if draft is None:
        turn.say("There's no draft round to publish. Say “round preview” first.")
        return
    send = Sender.live(turn.uow, program, turn.now, turn.capabilities)
    matches, waiting = publish(send, draft)
    turn.say(
        f"Published: {counted(len(matches), 'match', 'matches')} will be introduced and "
        f"{counted(len(waiting), 'person', 'people')} told why they're waiting, each at a "
        "good time in their own working hours."
    )


def _discard(turn: Turn, program: Program, args: list[str]) -> None:
    if discard(turn.uow, program, turn.now):
        turn.say("Draft discarded; nothing was sent.")
    else:
        turn.say("There's no draft round to discard.")


_ACTIONS = {
    "preview": _preview,
    "show": _show,
    "swap": lambda t, p, a: _change(t, p, a, 2, "swap"),
    "unpair": lambda t, p, a: _change(t, p, a, 1, "unpair"),
    "pair": lambda t, p, a: _change(t, p, a, 2, "pair"),
    "publish": _publish,
    "discard": _discard,
}
