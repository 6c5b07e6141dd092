"""The intake survey: one question at a time in chat, or one form where forms exist.

The position (which question) is conversation state in the database, and each
answer is stored as it is given, so a survey left half-way resumes exactly where
it stopped, after a restart as much as after a coffee break.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import replace

from bot import forms
from bot import outbound as m
from bot.events import FormValue
from bot.flow_names import FlowName
from bot.flows.answers import default_for, first_unanswered, parse_form, parse_reply, profile_facts
from bot.model import Conversation, Enrolment, Program, Status
from bot.router import padded
from bot.survey.question import AnswerValue, BadAnswer
from bot.text import one_line
from bot.turn import Turn

_BACK = frozenset({"back", "previous", "undo"})
_LATER = frozenset({"later", "stop", "cancel", "quit", "exit"})
_SKIP = frozenset({"skip", "pass"})
_HELP = frozenset({"help", "?"})

_HOW_IT_WORKS = (
    "A few quick questions so I can find you a good match. Reply “back” to change your "
    "last answer, or “later” to stop and carry on another time."
)


def start(turn: Turn, program: Program, enrolment: Enrolment) -> None:
    """Show the survey: the form, or the first question not yet answered."""
    answers = turn.uow.answers.of(enrolment.id)
    if turn.event.surface.forms:
        turn.show_form(intake_form(turn, program, answers))
        return
    index = first_unanswered(program.spec, answers)
    if index is None:
        complete(turn, program, enrolment)
        return
    preface = (
        _HOW_IT_WORKS
        if index == 0
        else (
            f"Welcome back! Let's carry on where you left off ({index} of "
            f"{len(program.spec.questions)} answered)."
        )
    )
    _ask_at(turn, program, index, preface)


def intake_form(turn: Turn, program: Program, answers: Mapping[str, object]) -> forms.Form:
    fields = tuple(
        q.field(_initial(answers.get(q.key), default_for(turn, q))) for q in program.spec.questions
    )
    return forms.Form(
        form_id=f"{FlowName.INTAKE}:{program.slug}",
        title=f"Join {program.spec.name}",
        submit_label="Join",
        fields=fields,
        intro=(m.para(program.spec.description),),
    )


def _initial(value: object, default: str | None) -> AnswerValue | None:
    if isinstance(value, str | int | bool | list):
        return value
    return default


def _ask_at(turn: Turn, program: Program, index: int, preface: str = "") -> None:
    turn.remember(Conversation(FlowName.INTAKE, {"program": program.slug, "index": index}))
    ask(turn, program, index, preface)


def ask(turn: Turn, program: Program, index: int, preface: str = "") -> None:
    """Ask question ``index`` (0-based), optionally after a line of preface."""
    questions = program.spec.questions
    question = questions[index]
    blocks: list[m.Block] = [m.para(preface)] if preface else []
    blocks.append(
        m.para(m.Bold(f"Question {index + 1} of {len(questions)}."), " ", question.prompt)
    )
    if question.help:
        blocks.append(m.Note(question.help))
    blocks.extend(question.ask(f"{FlowName.INTAKE}:{program.slug}:{question.key}"))
    default = default_for(turn, question)
    if default:
        blocks.append(m.Note(f"Reply “ok” to use {default}."))
    if question.optional:
        blocks.append(m.Note("Optional: reply “skip” to leave it out."))
    summary = f"Question {index + 1} of {len(questions)}: {question.prompt}"
    turn.reply(*blocks, summary=summary, kind="survey")


class IntakeFlow:
    """Answers to the survey, typed or picked."""

    def on_text(self, turn: Turn, conversation: Conversation, text: str) -> None:
        found = _open(turn, conversation)
        if found is None:
            return
        program, index = found
        question = program.spec.questions[index]
        word = one_line(text[:40]).casefold()
        if word in _BACK:
            _ask_at(turn, program, max(index - 1, 0), "Going back one question.")
        elif word in _LATER:
            turn.forget_conversation()
            turn.say(
                "No problem: your answers so far are saved. Say “join” to pick up where "
                "you left off."
            )
        elif word in _SKIP:
            _skip(turn, program, index)
        elif word in _HELP:
            ask(turn, program, index, question.how_to_answer() or "Just type your answer.")
        elif _is_bare_command(turn, text):
            # "forget me", "pause", "leave"... work mid-survey too; the answers so
            # far are kept and "join" carries on.
            turn.commands.command(turn, text)
        else:
            _answer(turn, program, index, lambda: parse_reply(turn, question, text))

    def on_choice(self, turn: Turn, args: Sequence[str], values: tuple[str, ...]) -> None:
        slug, key = padded(args, 2)
        conversation = turn.conversation()
        found = (
            _open(turn, conversation)
            if conversation and conversation.flow == FlowName.INTAKE
            else None
        )
        if found is None:
            turn.say(
                "That survey question isn't open any more. Say “profile” to see or change "
                "your answers."
            )
            return
        program, index = found
        question = program.spec.questions[index]
        if (program.slug, question.key) != (slug, key):
            ask(turn, program, index, "You've answered that one already. Here's where we are:")
            return
        _answer(turn, program, index, lambda: question.parse_values(values))


def _is_bare_command(turn: Turn, text: str) -> bool:
    """A command's exact words, with nothing after them (so "Join me for a run!" is
    an answer, not a command)."""
    words = one_line(text[:40]).casefold()
    return any(words in c.words() for c in turn.commands.listed())


def _open(turn: Turn, conversation: Conversation | None) -> tuple[Program, int] | None:
    """The program and question index of an open survey, or ``None`` (and say why)."""
    program = turn.program(str(conversation.get("program", ""))) if conversation else None
    enrolment = turn.uow.enrolments.get(program.id, turn.person.id) if program else None
    if program is None or enrolment is None or enrolment.status is not Status.INTAKE:
        turn.forget_conversation()
        return None
    index = conversation.get("index", 0) if conversation else 0
    return program, min(int(index), len(program.spec.questions) - 1)


def _skip(turn: Turn, program: Program, index: int) -> None:
    question = program.spec.questions[index]
    if not question.optional:
        ask(turn, program, index, "This one helps me match you well, so I can't skip it.")
        return
    _store(turn, program, index, None)


def _answer(turn: Turn, program: Program, index: int, parse: Callable[[], AnswerValue]) -> None:
    try:
        value = parse()
    except BadAnswer as error:
        ask(turn, program, index, str(error))
        return
    _store(turn, program, index, value)


def _store(turn: Turn, program: Program, index: int, value: AnswerValue | None) -> None:
    enrolment = turn.uow.enrolments.get(program.id, turn.person.id)
    assert enrolment is not None  # _open checked it
    turn.uow.answers.put(enrolment, program.spec.questions[index].key, value, turn.now)
    if index + 1 < len(program.spec.questions):
        _ask_at(turn, program, index + 1)
    else:
        complete(turn, program, enrolment)


def complete(turn: Turn, program: Program, enrolment: Enrolment) -> None:
    """The survey is done: the person takes part from now on."""
    done = replace(enrolment, status=Status.ACTIVE, intake_completed_at=turn.now, left_at=None)
    turn.uow.enrolments.save(done)
    turn.forget_conversation()
    answers = turn.uow.answers.of(enrolment.id)
    first_name = turn.person.display_name.split(" ")[0]
    turn.reply(
        m.Heading(f"You're in, {first_name}!"),
        m.para(f"Welcome to {program.spec.name}. Here's what you told me:"),
        profile_facts(program.spec, answers),
        m.para(
            "What happens next: at the next matching round I'll find you a partner and "
            "introduce you both in a group chat, with a guide for your first meeting."
        ),
        m.Note(
            "Say “profile” to change an answer, “pause” to take a break, or “help” for "
            "everything else."
        ),
        summary=f"You're in! Welcome to {program.spec.name}.",
        kind="welcome",
    )


def submitted(turn: Turn, args: Sequence[str], values: Mapping[str, FormValue]) -> None:
    """The intake form was submitted."""
    program = turn.program(args[0]) if args else None
    enrolment = turn.uow.enrolments.get(program.id, turn.person.id) if program else None
    if program is None or enrolment is None:
        turn.form_errors["_"] = "This program isn't open to you any more; please close the form."
        return
    parsed, errors = parse_form(program.spec.questions, values)
    if errors:
        turn.form_errors.update(errors)
        return
    for key, value in parsed.items():
        turn.uow.answers.put(enrolment, key, value, turn.now)
    if enrolment.status is Status.INTAKE:
        complete(turn, program, enrolment)
    else:
        turn.say(f"Saved your answers for {program.spec.name}.")


def form_for(turn: Turn, args: Sequence[str]) -> forms.Form | None:
    """The intake form of the program named in its id (to show it again)."""
    program = turn.program(args[0]) if args else None
    enrolment = turn.uow.enrolments.get(program.id, turn.person.id) if program else None
    if program is None or enrolment is None:
        return None
    return intake_form(turn, program, turn.uow.answers.of(enrolment.id))
