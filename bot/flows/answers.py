"""Reading answers from chat and forms, and showing a profile."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime
from zoneinfo import ZoneInfo

from bot import outbound as m
from bot.events import FormValue
from bot.program.spec import ProgramSpec
from bot.survey.kinds import Question
from bot.survey.question import AnswerValue, BadAnswer
from bot.turn import Turn

ACCEPT_DEFAULT = frozenset({"ok", "okay", "yes", "same", "default", "keep", "keep it"})


def default_for(turn: Turn, question: Question) -> str | None:
    """The answer a person can accept with "ok".

    What they answered to the same question in another program comes first (a
    second program should not ask for a timezone from scratch), then the
    platform profile's timezone, then the question's own default.
    """
    earlier = _earlier_answer(turn, question)
    if earlier is not None:
        return earlier
    if question.kind == "timezone" and turn.event.actor.timezone:
        return turn.event.actor.timezone
    return question.default


def _earlier_answer(turn: Turn, question: Question) -> str | None:
    if question.kind not in {"timezone", "hours"}:
        return None
    for enrolment in turn.uow.enrolments.of_person(turn.person.id):
        value = turn.uow.answers.of(enrolment.id).get(question.key)
        if isinstance(value, str):
            return value
    return None


def parse_reply(turn: Turn, question: Question, text: str) -> AnswerValue:
    """A typed answer, with "ok" standing for the default where there is one."""
    default = default_for(turn, question)
    if default is not None and text.strip().casefold() in ACCEPT_DEFAULT:
        return question.parse_text(default)
    return question.parse_text(text)


def parse_form(
    questions: Sequence[Question], values: Mapping[str, FormValue]
) -> tuple[dict[str, AnswerValue | None], dict[str, str]]:
    """Every question's answer from a submitted form, or an error per field."""
    parsed: dict[str, AnswerValue | None] = {}
    errors: dict[str, str] = {}
    for question in questions:
        raw = values.get(question.key)
        try:
            parsed[question.key] = _field_value(question, raw)
        except BadAnswer as error:
            errors[question.key] = str(error)
    return parsed, errors


def _field_value(question: Question, raw: FormValue | None) -> AnswerValue | None:
    if raw is None or raw == "" or raw == ():
        if question.optional:
            return None
        return question.parse_values(()) if question.kind == "multi" else _missing()
    if isinstance(raw, tuple):
        return question.parse_values(raw)
    return question.parse_text(raw)


def _missing() -> AnswerValue:
    raise BadAnswer("Please answer this one.")


def profile_facts(spec: ProgramSpec, answers: Mapping[str, AnswerValue | None]) -> m.Facts:
    """Answers as numbered label/value pairs, in survey order."""
    facts = tuple(
        m.Fact(f"{n}. {q.title}", _shown(q, answers.get(q.key, _UNANSWERED)))
        for n, q in enumerate(spec.questions, start=1)
    )
    return m.Facts(facts)


_UNANSWERED = object()


def _shown(question: Question, value: object) -> str:
    if value is _UNANSWERED:
        return "(not answered yet)"
    if value is None:
        return "(skipped)"
    return question.display(value)  # type: ignore[arg-type]


def first_unanswered(spec: ProgramSpec, answers: Mapping[str, object]) -> int | None:
    return next((i for i, q in enumerate(spec.questions) if q.key not in answers), None)


def person_timezone(turn: Turn) -> str:
    """The timezone the person gave in any program, else their platform's, else UTC."""
    for enrolment in turn.uow.enrolments.of_person(turn.person.id):
        zone = turn.uow.answers.of(enrolment.id).get("timezone")
        if isinstance(zone, str):
            return zone
    return turn.event.actor.timezone or "UTC"


def local_date(instant: datetime, zone: str) -> str:
    """A day as the person reads it, e.g. "15 January 2027"."""
    return f"{instant.astimezone(ZoneInfo(zone)):%-d %B %Y}"
