"""``forget me``: erase every row that is about the person.

A partner in a live match is told the match ended (not why, and not by whom: the
person asked to be forgotten, so their name is not written again), keeps their
own goals and history, and is matched again in the next round.
"""

from __future__ import annotations

from bot import outbound as m
from bot.cadence.content import guides
from bot.cadence.lifecycle import TAKEN_BACK, never_introduced, tell_partners
from bot.cadence.sender import Sender
from bot.flows.menus import ask_to_confirm
from bot.model import Match, MatchStatus, Member, Program
from bot.turn import Turn

_EVERY_STATUS = tuple(MatchStatus)


def forget_me(turn: Turn, args: str) -> None:
    if _holds_nothing(turn):
        # The row this very event made is all there is: it goes, and nothing is asked.
        turn.uow.people.erase(turn.person.id)
        turn.persist = False
        turn.say(
            "Tandem holds nothing about you: no answers, no matches, no history. "
            "There's nothing to erase."
        )
        return
    question = m.para(
        "This erases everything Tandem holds about you: your answers in every program, "
        "your matches and history, and any messages waiting for you. It can't be undone. "
        "Erase everything?"
    )
    ask_to_confirm(turn, "forget", None, question, "Erase everything", "Cancel")


_MOST_TRACES = 200


def _traces(turn: Turn) -> list[str]:
    """What identifies the person in text others were sent: their name, and what
    they wrote (answers, goals, notes)."""
    me = turn.person.id
    found = [turn.person.display_name]
    for enrolment in turn.uow.enrolments.of_person(me):
        values = turn.uow.answers.of(enrolment.id).values()
        found += [v for v in values if isinstance(v, str)]
    for match in turn.uow.matches.of_person(me, _EVERY_STATUS):
        found += [g.text for g in turn.uow.goals.of(match.id, me)]
        wrapup = turn.uow.wrapups.get(match.id, me)
        if wrapup and wrapup.changed:
            found.append(wrapup.changed)
        for note in turn.uow.checkins.feedback_of(match.program_id):
            if note.person_id == me and note.match_id == match.id:
                found += [t for t in (note.helped, note.next_focus, note.note) if t]
    found += turn.uow.recognitions.written_by(me)  # kudos they sent
    found += turn.uow.surveys.comments_of(me)
    # Short answers ("yes", "4") identify nobody and would match everything.
    written = [t for t in dict.fromkeys(found[1:]) if len(t.strip()) >= 4]
    return [found[0], *written][:_MOST_TRACES]


def _holds_nothing(turn: Turn) -> bool:
    me = turn.person.id
    return (
        not turn.uow.enrolments.of_person(me)
        and not turn.uow.matches.of_person(me, _EVERY_STATUS)
        and not turn.uow.training.of(me)
    )


def confirmed_forget(turn: Turn, program: Program | None, subject: str = "") -> None:
    me = turn.person
    traces = _traces(turn)
    live = turn.uow.matches.of_person(me.id, [MatchStatus.ACTIVE])
    # What their matches had queued goes first: a partner who was never introduced
    # (the introduction was still waiting) need not hear that anything ended.
    unaware = {
        match.id: never_introduced(match, turn.uow.outbox.withdraw_match(match.id, TAKEN_BACK))
        for match in live
    }
    turn.uow.matches.forget_person(me.id, turn.now)
    # Tandem's own copies of what named them: in the outbox and the console's
    # inboxes. What already reached a platform is the platform's (README: Privacy).
    turn.uow.outbox.redact(turn.workspace.id, me.user_id, traces)
    turn.uow.mailbox.redact(turn.workspace.id, [me.user_id, *traces])
    for match in live:
        _tell_partners(turn, match, unaware[match.id])
    turn.uow.people.erase(me.id)
    # Storing this reply would store the person again; it is sent, not kept.
    turn.persist = False
    turn.say(
        "Done: everything Tandem held about you has been erased. If you join again, "
        "you'll start afresh."
    )


def _tell_partners(turn: Turn, match: Match, unaware: list[Member]) -> None:
    """Kindly, and without naming who left: they asked to be forgotten."""
    program = turn.uow.programs.by_id(match.program_id)
    send = Sender.live(turn.uow, program, turn.now, turn.capabilities)
    text = guides().partner_left.format(program=program.spec.name)
    tell_partners(send, match, turn.person.id, text, unaware)
