"""Menus in chat: options answered by number, label or value; program choice; confirms."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

from bot import outbound as m
from bot.flow_names import FlowName
from bot.model import Conversation, Program
from bot.router import padded
from bot.text import one_line
from bot.turn import Turn

YES = frozenset({"yes", "y", "ok", "sure", "confirm", "agree", "i agree"})
NO = frozenset({"no", "n", "cancel", "not now", "stop", "nope"})


def resolve_option(text: str, options: Sequence[m.Option]) -> str | None:
    """The value of the option ``text`` names by number, label or value."""
    wanted = one_line(text).casefold().rstrip(".!")
    if wanted.isdigit() and 1 <= int(wanted) <= len(options):
        return options[int(wanted) - 1].value
    for option in options:
        if wanted in (option.label.casefold(), option.value.casefold()):
            return option.value
    return None


def split_program(turn: Turn, args: str) -> tuple[Program | None, str]:
    """A program named by the first word of ``args`` (by slug), and the rest."""
    first, _, rest = args.partition(" ")
    program = turn.program(first.casefold()) if first else None
    return (program, rest.strip()) if program else (None, args)


def choose(
    turn: Turn, named: Program | None, candidates: Sequence[Program], purpose: str, rest: str = ""
) -> Program | None:
    """The program a command is about, or ``None`` after asking which one.

    A program named in the command wins, then the program of the place the
    command came from, then the only candidate. With several candidates the
    person is asked to pick, and the command runs again with their choice.
    """
    if named is not None:
        return named
    context = next((p for p in candidates if p.slug == turn.event.program), None)
    if context is not None:
        return context
    if len(candidates) == 1:
        return candidates[0]
    if candidates:
        _ask_which(turn, candidates, purpose, rest)
    return None


def _ask_which(turn: Turn, candidates: Sequence[Program], purpose: str, rest: str) -> None:
    choices = tuple(m.Option(p.slug, p.spec.name) for p in candidates)
    turn.reply(
        m.para(f"Which program do you mean ({purpose})?"),
        m.Buttons(f"{FlowName.PICK}:{purpose}", choices),
        summary="Which program do you mean?",
    )
    turn.remember(Conversation(FlowName.PICK, {"command": purpose, "rest": rest}))


class PickFlow:
    """The answer to "which program do you mean?": runs the command again with it."""

    def on_text(self, turn: Turn, conversation: Conversation, text: str) -> None:
        options = tuple(m.Option(p.slug, p.spec.name) for p in turn.programs())
        slug = resolve_option(text, options)
        if slug is None:
            if not turn.commands.fall_through(turn, text):
                _again(
                    turn, options, conversation, FlowName.PICK, str(conversation.get("command", ""))
                )
            return
        self._run(turn, conversation.get("command", ""), slug, conversation.get("rest", ""))

    def on_choice(self, turn: Turn, args: Sequence[str], values: tuple[str, ...]) -> None:
        conversation = turn.conversation()
        rest = (
            conversation.get("rest", "")
            if conversation and conversation.flow == FlowName.PICK
            else ""
        )
        self._run(turn, args[0] if args else "", values[0] if values else "", rest)

    @staticmethod
    def _run(turn: Turn, command: str, slug: str, rest: str) -> None:
        turn.forget_conversation()
        turn.commands.command(turn, f"{command} {slug} {rest}".strip())


def _again(
    turn: Turn, options: Sequence[m.Option], conversation: Conversation, flow: str, args: str
) -> None:
    """Ask the same menu again, saying how to answer it."""
    numbers = " or ".join(str(n) for n in range(1, len(options) + 1))
    turn.reply(
        m.para(f"Please reply {numbers} (or an option's name), or say “help”."),
        m.Buttons(f"{flow}:{args}", tuple(options)),
        summary="Please pick one of the options.",
    )
    turn.remember(conversation)


# Carries out a confirmed action: (turn, the program it is about, its subject).
Confirmed = Callable[[Turn, Program | None, str], None]


def ask_to_confirm(
    turn: Turn,
    action: str,
    program: Program | None,
    question: m.Block,
    yes: str,
    no: str,
    subject: str = "",
) -> None:
    """Ask yes/no before doing ``action`` (on ``subject``, e.g. a match id);
    :class:`ConfirmFlow` carries it out."""
    slug = program.slug if program else ""
    buttons = m.Buttons(
        f"{FlowName.CONFIRM}:{action}:{slug}:{subject}",
        (m.Option("yes", yes, "danger"), m.Option("no", no)),
    )
    turn.reply(question, buttons, summary=f"{yes}?")
    turn.remember(
        Conversation(
            FlowName.CONFIRM,
            {"action": action, "program": slug, "subject": subject, "yes": yes, "no": no},
        )
    )


class ConfirmFlow:
    """Carries out a confirmed action; anything else cancels it."""

    def __init__(self, actions: Mapping[str, Confirmed]) -> None:
        self._actions = dict(actions)

    def on_text(self, turn: Turn, conversation: Conversation, text: str) -> None:
        options = (
            m.Option("yes", conversation.get("yes", "Yes")),
            m.Option("no", conversation.get("no", "No")),
        )
        word = one_line(text).casefold()
        answer = resolve_option(text, options) or ("yes" if word in YES else None)
        if answer is None and word not in NO:
            if not turn.commands.fall_through(turn, text):
                args = ":".join(
                    str(conversation.get(k, "")) for k in ("action", "program", "subject")
                )
                _again(turn, options, conversation, FlowName.CONFIRM, args)
            return
        action, slug, subject = (
            str(conversation.get(k, "")) for k in ("action", "program", "subject")
        )
        self._decide(turn, action, slug, subject, answer)

    def on_choice(self, turn: Turn, args: Sequence[str], values: tuple[str, ...]) -> None:
        action, slug, subject = padded(args, 3)
        conversation = turn.conversation()
        if conversation is None or conversation.get("action") != action:
            turn.say("That question has already been answered.")
            return
        self._decide(turn, action, slug, subject, values[0] if values else None)

    def _decide(self, turn: Turn, action: str, slug: str, subject: str, answer: str | None) -> None:
        turn.forget_conversation()
        run = self._actions.get(action)
        if answer != "yes" or run is None:
            turn.say("OK, nothing changed.")
            return
        run(turn, turn.program(slug) if slug else None, subject)
