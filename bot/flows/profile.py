"""``profile``: see your answers and change any of them."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from bot import forms
from bot import outbound as m
from bot.events import FormValue
from bot.flow_names import FlowName
from bot.flows.answers import (
    default_for,
    local_date,
    parse_form,
    parse_reply,
    person_timezone,
    profile_facts,
)
from bot.flows.menus import choose, resolve_option, split_program
from bot.model import Conversation, Enrolment, Program, Status
from bot.router import padded
from bot.survey.kinds import Question
from bot.survey.question import AnswerValue, BadAnswer
from bot.text import one_line
from bot.turn import Turn

_CANCEL = frozenset({"cancel", "stop", "never mind", "nevermind", "back"})


def profile(turn: Turn, args: str) -> None:
    """``profile [program] [edit QUESTION]``."""
    named, rest = split_program(turn, args)
    found = _enrolled_program(turn, named, "profile", rest)
    if found is None:
        return
    program, enrolment = found
    word, _, target = rest.partition(" ")
    if word.casefold() in {"edit", "change"} and target:
        question = _question(program, target)
        if question is None:
            turn.say(f"There's no question “{one_line(target)[:40]}” in {program.spec.name}.")
            return
        start_edit(turn, program, question)
        return
    show(turn, program, enrolment)


def _enrolled_program(
    turn: Turn, named: Program | None, purpose: str, rest: str = ""
) -> tuple[Program, Enrolment] | None:
    enrolments = {e.program_id: e for e in turn.uow.enrolments.of_person(turn.person.id)}
    candidates = [p for p in turn.programs() if p.id in enrolments]
    if not candidates:
        turn.say("You haven't joined a program yet. Say “join” to start.")
        return None
    if named is not None and named.id not in enrolments:
        turn.say(f"You're not part of {named.spec.name}. Say “join {named.slug}” to join it.")
        return None
    program = choose(turn, named, candidates, purpose, rest)
    return (program, enrolments[program.id]) if program else None


def show(turn: Turn, program: Program, enrolment: Enrolment) -> None:
    spec = program.spec
    answers = turn.uow.answers.of(enrolment.id)
    edit = tuple(m.Option(q.key, q.title) for q in spec.questions)
    turn.reply(
        m.Heading(f"Your profile in {spec.name}"),
        m.para(_status(turn, enrolment, len(answers), len(spec.questions))),
        profile_facts(spec, answers),
        m.Select(f"{FlowName.EDIT}:{spec.slug}", edit, placeholder="Change an answer"),
        m.Note("To change an answer, reply with its number or name, e.g. “3” or “timezone”."),
        summary=f"Your profile in {spec.name}",
        kind="profile",
    )
    turn.remember(Conversation(FlowName.PROFILE, {"program": spec.slug}))


def _status(turn: Turn, enrolment: Enrolment, answered: int, total: int) -> str:
    if enrolment.status is Status.INTAKE:
        return f"Survey in progress: {answered} of {total} answered. Say “join” to carry on."
    if enrolment.is_paused(turn.now):
        until = enrolment.paused_until
        when = f" until {local_date(until, person_timezone(turn))}" if until else ""
        return f"On a break{when}. Say “resume” to come back early."
    if enrolment.status is Status.LEFT:
        return "You've left this program. Say “join” to come back."
    return "Taking part: you'll be included in matching rounds."


def _question(program: Program, text: str) -> Question | None:
    options = tuple(m.Option(q.key, q.title) for q in program.spec.questions)
    key = resolve_option(text, options)
    return program.spec.question(key) if key else None


def start_edit(turn: Turn, program: Program, question: Question, preface: str = "") -> None:
    """Ask one question again (in a form, where the surface has forms)."""
    if turn.event.surface.forms:
        turn.show_form(_edit_form(turn, program, question))
        return
    turn.remember(Conversation(FlowName.EDIT, {"program": program.slug, "key": question.key}))
    blocks: list[m.Block] = [m.para(preface)] if preface else []
    blocks += [
        m.para(question.prompt),
        *question.ask(f"{FlowName.EDIT}:{program.slug}:{question.key}"),
    ]
    default = default_for(turn, question)
    if default:
        blocks.append(m.Note(f"Reply “ok” to use {default}."))
    blocks.append(m.Note("Reply “cancel” to keep your current answer."))
    turn.reply(*blocks, summary=question.prompt, kind="survey")


def _edit_form(turn: Turn, program: Program, question: Question) -> forms.Form:
    answers = turn.uow.answers.of(_enrolment(turn, program).id)
    current = answers.get(question.key)
    field = question.field(current if current is not None else default_for(turn, question))
    return forms.Form(
        f"{FlowName.EDIT}:{program.slug}:{question.key}", "Change an answer", "Save", (field,)
    )


def edit_form_for(turn: Turn, args: Sequence[str]) -> forms.Form | None:
    """The form changing one answer (to show it again)."""
    slug, key = padded(args, 2)
    program = turn.program(slug)
    question = program.spec.question(key) if program else None
    if (
        program is None
        or question is None
        or turn.uow.enrolments.get(program.id, turn.person.id) is None
    ):
        return None
    return _edit_form(turn, program, question)


def _enrolment(turn: Turn, program: Program) -> Enrolment:
    enrolment = turn.uow.enrolments.get(program.id, turn.person.id)
    if enrolment is None:
        raise LookupError("editing a profile without an enrolment")
    return enrolment


class ProfileFlow:
    """After ``profile``: a number or name picks the answer to change."""

    def on_text(self, turn: Turn, conversation: Conversation, text: str) -> None:
        program = turn.program(str(conversation.get("program", "")))
        question = _question(program, text) if program else None
        if program is not None and question is not None:
            start_edit(turn, program, question)
            return
        if turn.commands.fall_through(turn, text):
            return
        if program is None or one_line(text[:40]).casefold() in _CANCEL | {"done", "ok"}:
            turn.forget_conversation()
            turn.say("OK.")
            return
        count = len(program.spec.questions)
        turn.say(f"Reply with a number from 1 to {count} to change that answer, or “done”.")

    def on_choice(self, turn: Turn, args: Sequence[str], values: tuple[str, ...]) -> None:
        EditFlow().on_choice(turn, args, values)


class EditFlow:
    """The new answer to one question.

    Actions: ``edit:SLUG`` is the profile's "change an answer" select (the value
    names the question); ``edit:SLUG:KEY`` answers question KEY.
    """

    def on_text(self, turn: Turn, conversation: Conversation, text: str) -> None:
        found = _target(turn, conversation.get("program", ""), conversation.get("key", ""))
        if found is None:
            turn.forget_conversation()
            return
        program, question = found
        if one_line(text[:40]).casefold() in _CANCEL:
            turn.forget_conversation()
            turn.say("OK, your answer stays as it was.")
            return
        try:
            value = parse_reply(turn, question, text)
        except BadAnswer as error:
            start_edit(turn, program, question, str(error))
            return
        _save(turn, program, question, value)

    def on_choice(self, turn: Turn, args: Sequence[str], values: tuple[str, ...]) -> None:
        slug, key = padded(args, 2)
        if not key:
            found = _target(turn, slug, values[0] if values else "")
            if found is not None:
                start_edit(turn, *found)
            return
        conversation = turn.conversation()
        if conversation is None or (conversation.flow, conversation.get("key")) != (
            FlowName.EDIT,
            key,
        ):
            return  # already answered: a second click changes nothing
        found = _target(turn, slug, key)
        if found is None:
            return
        program, question = found
        try:
            value = question.parse_values(values)
        except BadAnswer as error:
            start_edit(turn, program, question, str(error))
            return
        _save(turn, program, question, value)


def _target(turn: Turn, slug: str, key: str) -> tuple[Program, Question] | None:
    program = turn.program(slug)
    question = program.spec.question(key) if program else None
    if program is None or question is None:
        turn.say("That question isn't open any more. Say “profile” to see your answers.")
        return None
    if turn.uow.enrolments.get(program.id, turn.person.id) is None:
        turn.say(f"You're not part of {program.spec.name}. Say “join” to take part.")
        return None
    return program, question


def _save(turn: Turn, program: Program, question: Question, value: AnswerValue | None) -> None:
    turn.uow.answers.put(_enrolment(turn, program), question.key, value, turn.now)
    turn.forget_conversation()
    shown = question.display(value) if value is not None else "(skipped)"
    turn.say(f"Saved. {question.title}: {shown}{'' if shown[-1:] in '.!?)' else '.'}")


def edit_submitted(turn: Turn, args: Sequence[str], values: Mapping[str, FormValue]) -> None:
    """A form changing one answer was submitted."""
    slug, key = padded(args, 2)
    program = turn.program(slug)
    question = program.spec.question(key) if program else None
    if program is None or question is None:
        turn.form_errors["_"] = "This form is out of date; please close it and try again."
        return
    parsed, errors = parse_form((question,), values)
    if errors:
        turn.form_errors.update(errors)
        return
    _save(turn, program, question, parsed[question.key])
