"""``forget me``: erase every row that is about the person."""

from __future__ import annotations

from bot import messages as m
from bot.flows.menus import ask_to_confirm
from bot.model import Program
from bot.turn import Turn


def forget_me(turn: Turn, args: str) -> None:
    question = m.para(
        "This erases everything Tandem holds about you: your answers in every program, "
        "your matches and history, and any messages waiting for you. It can't be undone. "
        "Erase everything?"
    )
    ask_to_confirm(turn, "forget", None, question, "Erase everything", "Cancel")


def confirmed_forget(turn: Turn, program: Program | None, subject: str = "") -> None:
    turn.uow.matches.forget_person(turn.person.id, turn.now)
    turn.uow.people.erase(turn.person.id)
    # Storing this reply would store the person again; it is sent, not kept.
    turn.persist = False
    turn.say(
        "Done: everything Tandem held about you has been erased. If you join again, "
        "you'll start afresh."
    )
