"""The end of a match: would you recommend it, what changed, join again?

wrapup:MATCH      "Start"
wrapscore:MATCH   0..10
wrapagain:MATCH   yes / no
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bot import outbound as m
from bot.cadence.content import guides
from bot.flow_names import FlowName
from bot.model import Conversation, Match, Status, Wrapup
from bot.router import padded
from bot.text import BadText, clean
from bot.turn import Turn

_CHANGED_CHARS = 1000


def _open(turn: Turn, match_id: str) -> tuple[Match, Wrapup] | None:
    match = turn.uow.matches.get(int(match_id)) if match_id.isdigit() else None
    wrapup = turn.uow.wrapups.get(match.id, turn.person.id) if match else None
    if match is None or wrapup is None:
        turn.say("That survey isn't open to you.")
        return None
    if wrapup.answered_at is not None:
        turn.say("You've answered this one already. Thank you!")
        return None
    return match, wrapup


def _program_name(turn: Turn, match: Match) -> str:
    return turn.uow.programs.by_id(match.program_id).spec.name


class WrapupFlow:
    def on_choice(self, turn: Turn, args: Sequence[str], values: tuple[str, ...]) -> None:
        found = _open(turn, padded(args, 1)[0])
        if found is None:
            return
        match, _ = found
        words = guides().wrapup
        text = words.recommend.format(program=_program_name(turn, match))
        scores = tuple(m.Option(str(n), str(n)) for n in range(11))
        turn.reply(
            m.para(text),
            m.Select(f"{FlowName.WRAPSCORE}:{match.id}", scores, placeholder="0 to 10"),
            summary=text,
            kind="survey",
        )

    def on_text(self, turn: Turn, conversation: Conversation, text: str) -> None:
        found = _open(turn, str(conversation.get("match", "")))
        if found is None:
            turn.forget_conversation()
            return
        match, wrapup = found
        try:
            changed = clean(text, max_chars=_CHANGED_CHARS, multiline=True)
        except BadText as error:
            turn.say(str(error))
            return
        turn.uow.wrapups.save(replace(wrapup, changed=changed))
        turn.forget_conversation()
        if changed:
            _ask_share(turn, match)
        else:
            _ask_again(turn, match)


def _ask_share(turn: Turn, match: Match) -> None:
    words = guides().wrapup
    turn.reply(
        m.para(words.share),
        m.Buttons(
            f"{FlowName.WRAPSHARE}:{match.id}",
            (m.Option("yes", words.share_yes), m.Option("no", words.share_no)),
        ),
        summary=words.share,
        kind="survey",
    )


def _ask_again(turn: Turn, match: Match) -> None:
    words = guides().wrapup
    turn.reply(
        m.para(words.again),
        m.Buttons(
            f"{FlowName.WRAPAGAIN}:{match.id}",
            (m.Option("yes", "Yes, count me in"), m.Option("no", "Not this time")),
        ),
        summary=words.again,
        kind="survey",
    )


class ShareFlow:
    """Whether the coordinators may read the wrap-up comment (never with a name)."""

    def on_text(self, turn: Turn, conversation: Conversation, text: str) -> None:
        turn.commands.fall_through(turn, text)

    def on_choice(self, turn: Turn, args: Sequence[str], values: tuple[str, ...]) -> None:
        found = _open(turn, padded(args, 1)[0])
        if found is None:
            return
        match, wrapup = found
        turn.uow.wrapups.save(replace(wrapup, shared=values[:1] == ("yes",)))
        _ask_again(turn, match)


class ScoreFlow:
    def on_text(self, turn: Turn, conversation: Conversation, text: str) -> None:
        turn.commands.fall_through(turn, text)

    def on_choice(self, turn: Turn, args: Sequence[str], values: tuple[str, ...]) -> None:
        found = _open(turn, padded(args, 1)[0])
        score = values[0] if values else ""
        if found is None:
            return
        if not score.isdigit() or not 0 <= int(score) <= 10:
            turn.say("Please pick a number from 0 to 10.")
            return
        match, wrapup = found
        turn.uow.wrapups.save(replace(wrapup, recommend=int(score)))
        turn.remember(Conversation(FlowName.WRAPUP, {"match": match.id}))
        text = guides().wrapup.changed
        turn.reply(
            m.para(text),
            m.Note(f"Up to {_CHANGED_CHARS:,} characters."),
            summary=text,
            kind="survey",
        )


class AgainFlow:
    def on_text(self, turn: Turn, conversation: Conversation, text: str) -> None:
        turn.commands.fall_through(turn, text)

    def on_choice(self, turn: Turn, args: Sequence[str], values: tuple[str, ...]) -> None:
        found = _open(turn, padded(args, 1)[0])
        if found is None:
            return
        match, wrapup = found
        again = values[:1] == ("yes",)
        turn.uow.wrapups.save(replace(wrapup, again=again, answered_at=turn.now))
        enrolment = turn.uow.enrolments.get(match.program_id, turn.person.id)
        words = guides().wrapup
        if again or enrolment is None:
            turn.say(words.thanks_again if again else words.thanks_done)
            return
        turn.uow.enrolments.save(replace(enrolment, status=Status.LEFT, left_at=turn.now))
        turn.say(words.thanks_done)
