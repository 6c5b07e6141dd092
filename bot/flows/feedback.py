"""Private feedback after a meeting: a rating, what helped, what next, a note.

Only the person and Tandem see it: it is stored as given, reported only in
aggregate, and never written to logs. In chat it is a few short questions; where
the platform has forms it is one form after the rating.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import replace

from bot import forms
from bot import outbound as m
from bot.cadence.content import guides
from bot.events import FormValue
from bot.flow_names import FlowName
from bot.model import Conversation, Feedback, Match
from bot.router import padded
from bot.text import BadText, clean, one_line
from bot.turn import Turn

MAX_CHARS = 1000
_STEPS = ("helped", "next", "note")
_SKIP = frozenset({"skip", "none", "no", "-", "nothing"})


def _match_of(turn: Turn, match_id: str) -> Match | None:
    match = turn.uow.matches.get(int(match_id)) if match_id.isdigit() else None
    return match if match and match.member(turn.person.id) else None


def _partner(turn: Turn, match: Match) -> str:
    return " and ".join(x.name for x in match.others(turn.person.id))


class FeedbackFlow:
    """The rating button starts it; each typed answer moves it on."""

    def on_choice(self, turn: Turn, args: Sequence[str], values: tuple[str, ...]) -> None:
        match_id, cycle = padded(args, 2)
        match = _match_of(turn, match_id)
        rating = values[0] if values else ""
        if match is None or not cycle.isdigit() or rating not in {"1", "2", "3", "4", "5"}:
            turn.say("That feedback question isn't open to you.")
            return
        entry = turn.uow.checkins.feedback(match, turn.person.id, int(cycle), turn.now)
        if entry.completed_at is not None:
            turn.say("You've given feedback on this meeting already. Thank you!")
            return
        turn.uow.checkins.save_feedback(replace(entry, rating=int(rating)))
        if turn.event.surface.forms:
            turn.show_form(_form(match, int(cycle), _partner(turn, match)))
            return
        partner = _partner(turn, match)
        # The conversation holds the entry and the partner's name: each answer then
        # costs no lookup of the match.
        data = {"entry": entry.id, "partner": partner, "step": "helped"}
        turn.remember(Conversation(FlowName.FEEDBACK, data))
        _ask(turn, "helped", partner)

    def on_text(self, turn: Turn, conversation: Conversation, text: str) -> None:
        entry_id, step = conversation.get("entry"), str(conversation.get("step", ""))
        entry = turn.uow.checkins.feedback_by_id(entry_id) if isinstance(entry_id, int) else None
        if entry is None or entry.person_id != turn.person.id or step not in _STEPS:
            turn.forget_conversation()
            turn.commands.fall_through(turn, text)
            return
        partner = str(conversation.get("partner", "your partner"))
        try:
            answer = clean(text, max_chars=MAX_CHARS, multiline=True)
        except BadText as error:
            turn.say(str(error))
            _ask(turn, step, partner)
            return
        _save_step(turn, entry, step, answer)
        following = _STEPS[_STEPS.index(step) + 1] if step != _STEPS[-1] else None
        if following is None:
            turn.forget_conversation()
            turn.say(guides().feedback.private.format(partner=partner))
        else:
            turn.remember(conversation.with_data(step=following))
            _ask(turn, following, partner)


def _ask(turn: Turn, step: str, partner: str) -> None:
    words = guides().feedback
    text = {"helped": words.helped, "next": words.next, "note": words.note}[step]
    turn.reply(
        m.para(text.format(partner=partner)),
        m.Note(f"Up to {MAX_CHARS:,} characters."),
        summary=text.format(partner=partner),
        kind="survey",
    )


def _save_step(turn: Turn, entry: Feedback, step: str, answer: str) -> None:
    skipped = one_line(answer[:20]).casefold() in _SKIP
    if step == "helped":
        entry = replace(entry, helped=answer)
    elif step == "next":
        entry = replace(entry, next_focus=answer)
    else:
        entry = replace(entry, note=None if skipped else answer, completed_at=turn.now)
    turn.uow.checkins.save_feedback(entry)


def _form(match: Match, cycle: int, partner: str) -> forms.Form:
    words = guides().feedback
    fields: tuple[forms.Field, ...] = (
        forms.TextField("helped", words.helped, MAX_CHARS, multiline=True),
        forms.TextField("next", words.next, MAX_CHARS, multiline=True),
        forms.TextField(
            "note", words.note.split(" (")[0], MAX_CHARS, multiline=True, optional=True
        ),
    )
    return forms.Form(
        f"{FlowName.FEEDBACK}:{match.id}:{cycle}",
        "Your session",
        "Send",
        fields,
        (m.Note(words.private.format(partner=partner)),),
    )


def submitted(turn: Turn, args: Sequence[str], values: Mapping[str, FormValue]) -> None:
    """The feedback form (platforms with forms)."""
    match_id, cycle = padded(args, 2)
    match = _match_of(turn, match_id)
    if match is None or not cycle.isdigit():
        turn.form_errors["_"] = "This feedback form isn't open to you any more."
        return
    answers: dict[str, str] = {}
    for name in _STEPS:
        raw = values.get(name, "")
        try:
            answers[name] = clean(
                raw if isinstance(raw, str) else "", max_chars=MAX_CHARS, multiline=True
            )
        except BadText as error:
            turn.form_errors[name] = str(error)
    for name in ("helped", "next"):
        if name not in turn.form_errors and not answers.get(name):
            turn.form_errors[name] = "Please answer this one."
    if turn.form_errors:
        return
    entry = turn.uow.checkins.feedback(match, turn.person.id, int(cycle), turn.now)
    turn.uow.checkins.save_feedback(
        replace(
            entry,
            helped=answers["helped"],
            next_focus=answers["next"],
            note=answers["note"] or None,
            completed_at=turn.now,
        )
    )
    turn.say(guides().feedback.private.format(partner=_partner(turn, match)))


def form_for(turn: Turn, args: Sequence[str]) -> forms.Form | None:
    """The feedback form of a match's cycle (to show it again)."""
    match_id, cycle = padded(args, 2)
    match = _match_of(turn, match_id)
    if match is None or not cycle.isdigit():
        return None
    return _form(match, int(cycle), _partner(turn, match))
