"""A match's check-ins: accepting the agreement, "did you meet?", ending a match.

A check-in is asked of each member privately, so "this match isn't working" is
never seen by the partner. The first "yes" counts for the match: every member gets
a private feedback prompt (the one who answered at once, the others at a good
time for them, told who said they met), and the others' check-ins for that cycle
are settled: one not sent yet is taken back, so nobody is asked "did you meet?"
after being asked how the meeting went.
"""

from __future__ import annotations

from collections.abc import Sequence

from bot import outbound as m
from bot.cadence import messages as msg
from bot.cadence.content import guides
from bot.cadence.lifecycle import end_match, end_matches_of, tell_partners
from bot.cadence.sender import Sender
from bot.flows.menus import ask_to_confirm
from bot.model import Answer, Checkin, Conversation, Match, MatchStatus, Program
from bot.router import padded
from bot.turn import Turn


def _number(text: str) -> int:
    return int(text) if text.isdigit() else 0


class AcceptFlow:
    """ "I accept" under the agreement in a match's introduction."""

    def on_text(self, turn: Turn, conversation: Conversation, text: str) -> None:
        turn.commands.fall_through(turn, text)

    def on_choice(self, turn: Turn, args: Sequence[str], values: tuple[str, ...]) -> None:
        match = turn.uow.matches.get(_number(padded(args, 1)[0]))
        if match is None or match.member(turn.person.id) is None:
            turn.say("That agreement is between other people.")
            return
        if turn.uow.matches.agreed(match.id, turn.person.id, turn.now):
            first = turn.person.display_name.split(" ")[0]
            turn.say(
                f"Thank you, {first}: you've accepted the agreement. Enjoy your first meeting!"
            )
        else:
            turn.say("You've accepted this agreement already. Thank you!")


class CheckinFlow:
    """Answers to "did you meet?": yes, not yet, skip this time, isn't working."""

    def on_text(self, turn: Turn, conversation: Conversation, text: str) -> None:
        turn.commands.fall_through(turn, text)

    def on_choice(self, turn: Turn, args: Sequence[str], values: tuple[str, ...]) -> None:
        item = turn.uow.checkins.get(_number(padded(args, 1)[0]))
        if item is None or item.person_id != turn.person.id:
            turn.say("That check-in isn't yours.")
            return
        match = turn.uow.matches.get(item.match_id)
        if match is None or match.status is not MatchStatus.ACTIVE:
            turn.say("That match has ended, so there's nothing to check in on.")
            return
        answer = next((a for a in _ANSWERS if values and a.value == values[0]), None)
        if answer is None:
            turn.say("Please pick one of the options.")
            return
        if item.answer in _MET and answer is not Answer.STOP:
            # Ending a match stays possible after a meeting; nothing else changes it.
            # A second click on "yes" says nothing; anything else says who said so.
            if item.answer is Answer.MET or answer is not Answer.YES:
                turn.say(_already(turn, match, item), match=match.id)
            return
        if item.answer is answer:
            return  # a second click on the same button changes nothing
        _ANSWERS[answer](turn, match, item)


_MET = (Answer.YES, Answer.MET)


def _already(turn: Turn, match: Match, item: Checkin) -> str:
    """Who said that this cycle's meeting happened."""
    if item.answer is Answer.YES:
        return "You've told me you met already: thank you!"
    said = next(
        (
            c
            for c in turn.uow.checkins.of_match(match.id)
            if c.cycle == item.cycle and c.answer is Answer.YES
        ),
        None,
    )
    told = match.member(said.person_id) if said else None
    return guides().checkin.already.format(name=told.name if told else "Your partner")


def _yes(turn: Turn, match: Match, item: Checkin) -> None:
    turn.uow.checkins.answer(item.id, Answer.YES, turn.now)
    turn.say(guides().checkin.thanks_yes, match=match.id)
    me = match.member(turn.person.id)
    assert me is not None
    turn.out.append(
        m.Outbound(
            _feedback_key(match, item.cycle, me.person_id),
            m.ToPerson(me.user_id),
            msg.feedback_prompt(match, me, item.cycle),
        )
    )
    # The first "yes" counts for everyone in the match: their open check-ins for
    # the cycle are answered (nobody is paused as silent for a meeting they had),
    # and one still waiting in the outbox is not sent at all.
    cycle = [c for c in turn.uow.checkins.of_match(match.id) if c.cycle == item.cycle]
    open_ = [c for c in cycle if c.answer in (None, Answer.NOT_YET) and c.id != item.id]
    for settled_item in open_:
        turn.uow.checkins.answer(settled_item.id, Answer.MET, turn.now)
    settled = [key for c in open_ for key in (f"checkin{c.id}", f"reminder{c.id}")]
    turn.uow.outbox.withdraw(turn.workspace.id, settled)
    program = turn.uow.programs.by_id(match.program_id)
    send = Sender.live(turn.uow, program, turn.now, turn.capabilities)
    for other in match.others(turn.person.id):
        send.direct(
            other,
            msg.feedback_prompt(match, other, item.cycle, told_by=turn.person.display_name),
            _feedback_key(match, item.cycle, other.person_id),
        )


def _feedback_key(match: Match, cycle: int, person_id: int) -> str:
    return f"feedback:{match.id}:{cycle}:{person_id}"  # an outbox key


def _not_yet(turn: Turn, match: Match, item: Checkin) -> None:
    turn.uow.checkins.answer(item.id, Answer.NOT_YET, turn.now)
    turn.say(guides().checkin.thanks_not_yet, match=match.id)


def _skip(turn: Turn, match: Match, item: Checkin) -> None:
    turn.uow.checkins.answer(item.id, Answer.SKIP, turn.now)
    turn.say(guides().checkin.thanks_skip, match=match.id)


def _stop(turn: Turn, match: Match, item: Checkin) -> None:
    words = guides().stop
    partner = msg.names(match.others(turn.person.id))
    program = turn.uow.programs.by_id(match.program_id)
    ask_to_confirm(
        turn,
        "stop",
        program,
        m.para(words.confirm.format(partner=partner)),
        words.yes,
        words.no,
        subject=f"{match.id}.{item.id}",
    )


_ANSWERS = {Answer.YES: _yes, Answer.NOT_YET: _not_yet, Answer.SKIP: _skip, Answer.STOP: _stop}


def confirmed_stop(turn: Turn, program: Program | None, subject: str) -> None:
    """End a match without blame: the partner hears it ended, the coordinators'
    weekly digest lists it, and both are matched again next round."""
    match_id, _, checkin_id = subject.partition(".")
    match = turn.uow.matches.get(_number(match_id))
    if program is None or match is None or match.status is not MatchStatus.ACTIVE:
        turn.say("That match has ended already.")
        return
    turn.uow.checkins.answer(_number(checkin_id), Answer.STOP, turn.now)
    # A check-in comes after the introduction: every partner knows of the match.
    end_match(turn.uow, match, turn.now, "not_working")
    words = guides().stop
    text = words.partner.format(partner=turn.person.display_name, program=program.spec.name)
    send = Sender.live(turn.uow, program, turn.now, turn.capabilities)
    tell_partners(send, match, turn.person.id, text)
    turn.say(words.done)


def pause_ends_matches(turn: Turn, program: Program) -> None:
    """Someone leaving a program frees their partners."""
    send = Sender.live(turn.uow, program, turn.now, turn.capabilities)
    end_matches_of(send, turn.person.id, "left")


def open_checkins(turn: Turn, args: str) -> None:
    """``checkin``: show my check-ins still waiting for an answer."""
    shown = 0
    for match in turn.uow.matches.of_person(turn.person.id, [MatchStatus.ACTIVE]):
        program = turn.uow.programs.by_id(match.program_id)
        me = match.member(turn.person.id)
        asked = [
            c
            for c in turn.uow.checkins.of_match(match.id)
            if c.person_id == turn.person.id and c.answer in (None, Answer.NOT_YET)
        ]
        if me is not None and asked:
            message = msg.checkin(program, match, me, asked[-1])
            turn.reply(*message.blocks, summary=message.summary, kind="checkin")
            shown += 1
    if not shown:
        turn.say("You have no check-ins waiting. I'll ask when the next one is due.")
