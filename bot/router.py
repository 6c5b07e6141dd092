"""Routing: which command, flow or form handles an inbound event.

Commands are a table (:class:`bot.turn.Command`), flows are looked up by the name stored in
the person's conversation state, and interactive elements carry an ``action`` of
the form ``flow:arg:arg`` so a button press finds its flow without any state.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Protocol

from bot import forms
from bot.events import ChoicePicked, CommandIssued, FormSubmitted, FormValue, TextReplied
from bot.model import Conversation
from bot.text import BadText, clean
from bot.turn import Command, Turn

# A command line is short; anything longer is a mistake or an attack.
MAX_COMMAND_CHARS = 300


class Flow(Protocol):
    """A multi-step exchange whose position is kept in conversation state."""

    def on_text(self, turn: Turn, conversation: Conversation, text: str) -> None:
        """Free text while this flow is the person's current conversation."""
        ...

    def on_choice(self, turn: Turn, args: Sequence[str], values: tuple[str, ...]) -> None:
        """A button or select of this flow, with the arguments of its action."""
        ...


def padded(args: Sequence[str], count: int) -> list[str]:
    """The first ``count`` arguments of an action, missing ones as empty strings."""
    return [*args, *[""] * count][:count]


FormHandler = Callable[[Turn, Sequence[str], Mapping[str, FormValue]], None]
# The form again, from its id's arguments: to show it with its errors where the
# platform needs the whole form back (a Teams dialog), not just the errors.
FormBuilder = Callable[[Turn, Sequence[str]], forms.Form | None]


class Router:
    """Hands each event to the command, flow or form that owns it."""

    def __init__(
        self,
        commands: Sequence[Command],
        flows: Mapping[str, Flow],
        forms: Mapping[str, FormHandler],
        unknown: Callable[[Turn, str], None],
        builders: Mapping[str, FormBuilder] | None = None,
    ) -> None:
        self._commands = tuple(commands)
        self._flows = dict(flows)
        self._forms = dict(forms)
        self._unknown = unknown
        self._builders = dict(builders or {})
        # Longest first, so "forget me" wins over a one-word command "forget".
        self._words = sorted(
            ((w, c) for c in commands for w in c.words()), key=lambda wc: -len(wc[0])
        )

    def dispatch(self, turn: Turn) -> None:
        event = turn.event
        if isinstance(event, CommandIssued):
            self.command(turn, event.text)
        elif isinstance(event, TextReplied):
            self._text(turn, event.text)
        elif isinstance(event, ChoicePicked):
            self._choice(turn, event.action, event.values)
        elif isinstance(event, FormSubmitted):
            self._submit(turn, event.form, event.values)

    def command(self, turn: Turn, text: str) -> None:
        """Run the command ``text`` names, or say what the commands are."""
        try:
            line = clean(text, max_chars=MAX_COMMAND_CHARS)
        except BadText as error:
            turn.say(f"{error} Say “help” to see what I can do.")
            return
        found = self.find(line)
        if found is None:
            self._unknown(turn, line)
            return
        command, args = found
        command.run(turn, args)

    def listed(self) -> Sequence[Command]:
        return self._commands

    def everyday(self) -> Sequence[Command]:
        """The commands everyone's help lists."""
        return [c for c in self._commands if not c.coordinators]

    def coordinating(self) -> Sequence[Command]:
        """The commands a coordinator's help lists as well."""
        return [c for c in self._commands if c.coordinators]

    def find(self, line: str) -> tuple[Command, str] | None:
        folded = line.casefold().lstrip("/")
        for word, command in self._words:
            if folded == word or folded.startswith(word + " "):
                return command, line.lstrip("/")[len(word) :].strip()
        return None

    def fall_through(self, turn: Turn, text: str) -> bool:
        """Text a menu could not use: if it is a command, leave the menu and run it.

        Returns false (and changes nothing) when the text is not a command either,
        so the menu can ask again.
        """
        if self.find(text[:MAX_COMMAND_CHARS].strip()) is None:
            return False
        turn.forget_conversation()
        self.command(turn, text)
        return True

    def _text(self, turn: Turn, text: str) -> None:
        conversation = turn.conversation()
        flow = self._flows.get(conversation.flow) if conversation else None
        if conversation is None or flow is None:
            self.command(turn, text)
            return
        flow.on_text(turn, conversation, text)

    def _choice(self, turn: Turn, action: str, values: tuple[str, ...]) -> None:
        name, *args = action.split(":")
        flow = self._flows.get(name)
        if flow is None:
            turn.say("That button isn't in use any more. Say “help” to see what I can do.")
            return
        flow.on_choice(turn, args, values)

    def _submit(self, turn: Turn, form: str, values: Mapping[str, FormValue]) -> None:
        name, *args = form.split(":")
        handler = self._forms.get(name)
        if handler is None:
            turn.form_errors["_"] = "This form is no longer in use; please close it."
            return
        handler(turn, args, values)
        builder = self._builders.get(name)
        if turn.form_errors and turn.form is None and builder is not None:
            again = builder(turn, args)
            turn.form = forms.filled(again, values) if again is not None else None
