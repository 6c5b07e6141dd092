"""What every survey question is: its key, prompt and label, and the four things
each kind does (read an answer typed or picked, show a stored one, ask itself in
chat, appear as a form field). A bad answer raises :class:`BadAnswer`, whose
message is written for the person who gave it.
"""

from __future__ import annotations

import re
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

from bot import forms
from bot import outbound as m
from bot.text import BadText, clean

AnswerValue = str | int | bool | list[str]

_KEY = r"^[a-z][a-z0-9_]{0,39}$"
# Answers that mean "none" to a question that takes a list.
NONE_WORDS = frozenset({"none", "nobody", "no one", "-", "n/a", "nothing"})
LIST_SEPARATOR = re.compile(r"\s*[,;\n]\s*")


class BadAnswer(ValueError):
    """The answer cannot be accepted; ``str(error)`` tells the person why."""


class BaseQuestion(BaseModel):
    """The fields every kind of question has, and the interface each kind provides."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: Annotated[str, Field(pattern=_KEY)]
    prompt: Annotated[str, Field(min_length=1, max_length=300)]
    # A short name for the answer in a profile ("Can help with"); defaults from the key.
    label: Annotated[str, Field(max_length=40)] = ""
    help: Annotated[str, Field(max_length=300)] = ""
    optional: bool = False
    # An answer people can accept by replying "ok" (e.g. usual working hours).
    default: Annotated[str, Field(max_length=64)] | None = None

    @property
    def title(self) -> str:
        return self.label or self.key.replace("_", " ").capitalize()

    # -- the interface every kind provides ---------------------------------------

    def parse_text(self, raw: str) -> AnswerValue:
        """Read an answer typed as text."""
        raise NotImplementedError

    def parse_values(self, values: tuple[str, ...]) -> AnswerValue:
        """Read an answer picked from options (buttons, selects, form values)."""
        if len(values) != 1:
            raise BadAnswer("Please give one answer.")
        return self.parse_text(values[0])

    def display(self, value: AnswerValue) -> str:
        """A stored answer, as a person would read it."""
        if isinstance(value, list):
            return ", ".join(value) if value else "none"
        return str(value)

    def ask(self, action: str) -> tuple[m.Block, ...]:
        """The interactive part of the question in chat, after its prompt."""
        return (m.Note(self.how_to_answer()),) if self.how_to_answer() else ()

    def how_to_answer(self) -> str:
        return ""

    def field(self, initial: AnswerValue | None) -> forms.Field:
        """The question as one field of a form."""
        raise NotImplementedError

    def _text(self, raw: str, max_chars: int, *, multiline: bool = False) -> str:
        try:
            return clean(raw, max_chars=max_chars, multiline=multiline)
        except BadText as error:
            raise BadAnswer(str(error)) from None
