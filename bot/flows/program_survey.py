"""The program survey, one question at a time: three scores, then an optional
comment, then whether the coordinators may read it (never with a name).

psurvey:ID:start       the first question
psurvey:ID:KEY         a score for the question KEY (growth, supported, recommend)
psurvey:ID:share       yes / no: the comment may be read by the coordinators
(text)                 the comment, or "skip", while the conversation is here
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bot import outbound as m
from bot.adjustment import ProgramSurvey
from bot.cadence.recognition_content import SurveyQuestion, words
from bot.flow_names import FlowName
from bot.model import Conversation
from bot.router import padded
from bot.text import BadText, clean, one_line
from bot.turn import Turn

ACTION = FlowName.PROGRAM_SURVEY
COMMENT_CHARS = 1000
_SKIP = frozenset({"skip", "no", "none", "nothing", "-"})


def _open(turn: Turn, raw: str) -> ProgramSurvey | None:
    w = words().program_survey
    survey = turn.uow.surveys.get(int(raw)) if raw.isdigit() else None
    if survey is None or survey.person_id != turn.person.id:
        turn.say(w.closed)
        return None
    if survey.answered_at is not None:
        turn.say(w.done)
        return None
    return survey


def _program(turn: Turn, survey: ProgramSurvey) -> str:
    return turn.uow.programs.by_id(survey.program_id).spec.name


def _ask(turn: Turn, survey: ProgramSurvey, question: SurveyQuestion) -> None:
    text = question.prompt.format(program=_program(turn, survey))
    options = tuple(m.Option(str(n), str(n)) for n in range(question.low, question.high + 1))
    action = f"{ACTION}:{survey.id}:{question.key}"
    choice: m.Block = (
        m.Buttons(action, options)
        if len(options) <= 5
        else m.Select(action, options, placeholder=f"{question.low} to {question.high}")
    )
    turn.reply(m.para(text), choice, summary=text, kind="survey")


def _next(turn: Turn, survey: ProgramSurvey, after: str | None) -> None:
    """The question after ``after`` (the first when ``None``), or the comment."""
    keys: list[str] = [q.key for q in words().program_survey.questions]
    index = 0 if after is None else keys.index(after) + 1
    if index < len(keys):
        _ask(turn, survey, words().program_survey.questions[index])
        return
    turn.remember(Conversation(ACTION, {"survey": survey.id}))
    text = words().program_survey.comment
    turn.reply(
        m.para(text),
        m.Note(f"Up to {COMMENT_CHARS:,} characters."),
        summary=text,
        kind="survey",
    )


def _finish(turn: Turn, survey: ProgramSurvey) -> None:
    turn.uow.surveys.save(replace(survey, answered_at=turn.now))
    turn.say(words().program_survey.thanks.format(program=_program(turn, survey)))


def _scored(survey: ProgramSurvey, key: str, value: int) -> ProgramSurvey:
    if key == "growth":
        return replace(survey, growth=value)
    if key == "supported":
        return replace(survey, supported=value)
    return replace(survey, recommend=value)


class ProgramSurveyFlow:
    def on_choice(self, turn: Turn, args: Sequence[str], values: tuple[str, ...]) -> None:
        raw, step = padded(args, 2)
        survey = _open(turn, raw)
        if survey is None:
            return
        w = words().program_survey
        if step == "start":
            _next(turn, survey, None)
            return
        if step == "share":
            _finish(turn, replace(survey, shared=values[:1] == ("yes",)))
            return
        question = next((q for q in w.questions if q.key == step), None)
        value = values[0] if values else ""
        if question is None:
            turn.say(w.closed)
            return
        if not value.isdigit() or not question.low <= int(value) <= question.high:
            turn.say(f"Please pick a number from {question.low} to {question.high}.")
            return
        survey = _scored(survey, question.key, int(value))
        turn.uow.surveys.save(survey)
        _next(turn, survey, question.key)

    def on_text(self, turn: Turn, conversation: Conversation, text: str) -> None:
        survey = _open(turn, str(conversation.get("survey", "")))
        if survey is None:
            turn.forget_conversation()
            return
        if one_line(text).casefold().rstrip(".!") in _SKIP:
            turn.forget_conversation()
            _finish(turn, survey)
            return
        try:
            comment = clean(text, max_chars=COMMENT_CHARS, multiline=True)
        except BadText as error:
            turn.say(str(error))
            return
        turn.forget_conversation()
        survey = replace(survey, comment=comment)
        turn.uow.surveys.save(survey)
        w = words().program_survey
        turn.reply(
            m.para(w.share),
            m.Buttons(
                f"{ACTION}:{survey.id}:share",
                (m.Option("yes", w.share_yes), m.Option("no", w.share_no)),
            ),
            summary=w.share,
            kind="survey",
        )
