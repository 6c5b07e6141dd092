"""Joining a program: what to expect, the agreement, then the intake survey."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from bot import outbound as m
from bot.flow_names import FlowName
from bot.flows import intake
from bot.flows.menus import NO, YES, choose, resolve_option, split_program
from bot.model import Conversation, Enrolment, Program, Status
from bot.program.spec import Format
from bot.text import one_line
from bot.turn import Turn

_FORMATS = {
    Format.PEER_PAIRS: "peer pairs who learn from each other",
    Format.MENTOR_MENTEE: "mentors paired with mentees",
    Format.REVERSE: "reverse mentoring: newer colleagues mentor experienced ones",
    Format.CIRCLES: "small learning circles around a shared topic",
    Format.GROUP_MENTORING: "a mentor with three to five mentees who want to learn the same thing",
}
_AGREE = (m.Option("yes", "I agree", "primary"), m.Option("no", "Not now"))


def join(turn: Turn, args: str) -> None:
    """``join [program]``."""
    named, rest = split_program(turn, args)
    if named is None and rest:
        _unknown_program(turn, rest)
        return
    # A survey left half-way is what a bare "join" most likely means to finish.
    started = {
        e.program_id
        for e in turn.uow.enrolments.of_person(turn.person.id)
        if e.status is Status.INTAKE
    }
    in_progress = [p for p in turn.programs() if p.id in started]
    program = choose(turn, named, in_progress or turn.programs(), "join")
    if program is None:
        if not turn.programs():
            turn.say("No programs are running here yet. Your coordinator can add one.")
        return
    enrolment = turn.uow.enrolments.get(program.id, turn.person.id)
    if enrolment is None:
        show_agreement(turn, program)
    else:
        _rejoin(turn, program, enrolment)


def _unknown_program(turn: Turn, name: str) -> None:
    known = ", ".join(p.slug for p in turn.programs()) or "none yet"
    turn.say(f"There's no program called “{one_line(name)[:40]}”. Programs here: {known}.")


def _rejoin(turn: Turn, program: Program, enrolment: Enrolment) -> None:
    name = program.spec.name
    if enrolment.status is Status.INTAKE:
        intake.start(turn, program, enrolment)
    elif enrolment.status is Status.ACTIVE:
        turn.say(f"You're already part of {name}. Say “profile” to see or change your answers.")
    elif enrolment.is_paused(turn.now):
        turn.say(f"You're part of {name}, on a break. Say “resume” to start again.")
    elif enrolment.status is Status.PAUSED or enrolment.intake_completed_at is not None:
        turn.uow.enrolments.save(
            replace(enrolment, status=Status.ACTIVE, left_at=None, paused_until=None)
        )
        turn.say(
            f"Welcome back to {name}! Your answers are as you left them; say “profile” "
            "to review them. You'll be in the next matching round."
        )
    else:
        show_agreement(turn, program)


def show_agreement(turn: Turn, program: Program) -> None:
    spec = program.spec
    how = (
        f"How it works: {_FORMATS[spec.format]}, meeting for about {spec.meeting_minutes} "
        f"minutes {spec.cadence_words}, for {spec.duration_months} months."
    )
    turn.reply(
        m.Heading(spec.name),
        m.para(spec.description),
        m.para(how),
        m.para(m.Bold("What the program is for")),
        m.bullets(*spec.objectives),
        m.para(m.Bold("What's expected of you")),
        m.bullets(*spec.expectations),
        m.para(m.Bold("The mentoring agreement")),
        m.bullets(*spec.agreement),
        m.para("Do you agree to take part on these terms?"),
        m.Buttons(f"{FlowName.AGREE}:{spec.slug}", _AGREE, opens_form=True),
        summary=f"Join {spec.name}? Here's what to expect.",
        kind="agreement",
    )
    turn.remember(Conversation(FlowName.AGREE, {"program": spec.slug}))


class AgreeFlow:
    """The answer to "do you agree?"."""

    def on_text(self, turn: Turn, conversation: Conversation, text: str) -> None:
        word = one_line(text[:40]).casefold()
        answer = resolve_option(text[:40], _AGREE) or (
            "yes" if word in YES else "no" if word in NO else None
        )
        slug = str(conversation.get("program", ""))
        if answer is None:
            if not turn.commands.fall_through(turn, text):
                turn.reply(
                    m.para("Please reply 1 to agree or 2 for not now (or say “help”)."),
                    m.Buttons(f"{FlowName.AGREE}:{slug}", _AGREE, opens_form=True),
                    summary="Do you agree to take part?",
                )
            return
        self._decide(turn, slug, answer)

    def on_choice(self, turn: Turn, args: Sequence[str], values: tuple[str, ...]) -> None:
        slug = args[0] if args else ""
        conversation = turn.conversation()
        if (
            conversation
            and conversation.flow == FlowName.INTAKE
            and conversation.get("program") == slug
        ):
            return  # a second click on "I agree": the survey is already under way
        self._decide(turn, slug, values[0] if values else "")

    @staticmethod
    def _decide(turn: Turn, slug: str, answer: str) -> None:
        program = turn.program(slug)
        if program is None:
            turn.forget_conversation()
            turn.say("That program isn't running any more.")
            return
        if answer != "yes":
            turn.forget_conversation()
            turn.say("No problem. Say “join” whenever you're ready.")
            return
        enrolment = turn.uow.enrolments.get(program.id, turn.person.id)
        if enrolment is None:
            enrolment = turn.uow.enrolments.add(
                turn.workspace.id, program.id, turn.person.id, turn.now
            )
        elif enrolment.status is not Status.INTAKE:
            # A second click on "I agree", or agreeing again after leaving mid-survey.
            if enrolment.intake_completed_at is not None:
                _rejoin(turn, program, enrolment)
                return
            enrolment = replace(enrolment, status=Status.INTAKE, left_at=None)
            turn.uow.enrolments.save(enrolment)
        intake.start(turn, program, enrolment)
