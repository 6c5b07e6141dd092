"""Survey questions as data: one class per kind of question, no ladders of ifs.

A program's YAML lists its questions; each entry becomes one of the models below
(chosen by ``kind``). Every kind knows how to ask itself in chat, how to appear in
a form, how to read an answer typed as text or picked from options, and how to
show a stored answer. A bad answer raises :class:`BadAnswer` whose message is
written for the person who gave it.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot import forms
from bot import outbound as m
from bot.text import BadText, clean, one_line
from bot.timezones import resolve_timezone

AnswerValue = str | int | bool | list[str]

_KEY = r"^[a-z][a-z0-9_]{0,39}$"
# Slack caps option text at 75 characters; keeping labels inside that keeps every
# platform happy.
_LABEL_MAX = 75
_NONE_WORDS = frozenset({"none", "nobody", "no one", "-", "n/a", "nothing"})
_SPLIT = re.compile(r"\s*[,;\n]\s*")


class BadAnswer(ValueError):
    """The answer cannot be accepted; ``str(error)`` tells the person why."""


class _Question(BaseModel):
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


class TextQuestion(_Question):
    kind: Literal["text"] = "text"
    max_length: Annotated[int, Field(ge=1, le=2000)] = 500
    min_length: Annotated[int, Field(ge=0, le=2000)] = 0
    multiline: bool = True

    def parse_text(self, raw: str) -> AnswerValue:
        text = self._text(raw, self.max_length, multiline=self.multiline)
        if len(text) < max(self.min_length, 1):
            needed = max(self.min_length, 1)
            raise BadAnswer(f"Please write at least {needed} character{'s' * (needed > 1)}.")
        return text

    def how_to_answer(self) -> str:
        return f"Up to {self.max_length:,} characters."

    def field(self, initial: AnswerValue | None) -> forms.Field:
        return forms.TextField(
            name=self.key,
            label=self.prompt,
            max_length=self.max_length,
            min_length=self.min_length,
            multiline=self.multiline,
            optional=self.optional,
            hint=self.help,
            initial=initial if isinstance(initial, str) else "",
        )


class ChoiceOption(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    value: str | int
    label: Annotated[str, Field(min_length=1, max_length=_LABEL_MAX)]

    @classmethod
    def coerce(cls, raw: Any) -> Any:
        return {"value": raw, "label": raw} if isinstance(raw, str) else raw


def _coerce_options(raw: Any) -> Any:
    return [ChoiceOption.coerce(o) for o in raw] if isinstance(raw, list | tuple) else raw


class _OptionsQuestion(_Question):
    options: tuple[ChoiceOption, ...] = ()

    _coerce = field_validator("options", mode="before")(_coerce_options)

    def option_list(self) -> tuple[m.Option, ...]:
        return tuple(m.Option(str(o.value), o.label) for o in self.options)

    def _pick(self, item: str, *, typed: bool = True) -> ChoiceOption:
        """An option by its number, its label or its value (case-insensitive).

        A value from a button or select (``typed=False``) is matched as a value
        first: option values may themselves be numbers.
        """
        wanted = one_line(item).casefold()
        exact = next((o for o in self.options if str(o.value).casefold() == wanted), None)
        if exact is not None and not typed:
            return exact
        if wanted.isdigit() and 1 <= int(wanted) <= len(self.options):
            return self.options[int(wanted) - 1]
        for option in self.options:
            if wanted in (option.label.casefold(), str(option.value).casefold()):
                return option
        raise BadAnswer(self._unknown(item))

    def _unknown(self, item: str) -> str:
        shown = one_line(item)[:40]
        return (
            f"“{shown}” isn't one of the options. "
            f"Reply with a number from 1 to {len(self.options)} or an option's name."
        )

    def _label(self, value: AnswerValue) -> str:
        for option in self.options:
            if option.value == value:
                return option.label
        return str(value)


class ChoiceQuestion(_OptionsQuestion):
    kind: Literal["choice"] = "choice"

    def parse_text(self, raw: str) -> AnswerValue:
        return self._pick(self._text(raw, 200)).value

    def parse_values(self, values: tuple[str, ...]) -> AnswerValue:
        if len(values) != 1:
            raise BadAnswer("Please pick one option.")
        return self._pick(values[0], typed=False).value

    def display(self, value: AnswerValue) -> str:
        return self._label(value)

    def ask(self, action: str) -> tuple[m.Block, ...]:
        if len(self.options) <= 5:
            return (m.Buttons(action, self.option_list()),)
        return (m.Select(action, self.option_list()), m.Note(self.how_to_answer()))

    def how_to_answer(self) -> str:
        return "Reply with a number or the option's name."

    def field(self, initial: AnswerValue | None) -> forms.Field:
        return forms.ChoiceField(
            name=self.key,
            label=self.prompt,
            options=self.option_list(),
            optional=self.optional,
            hint=self.help,
            initial=() if initial is None else (str(initial),),
        )


class MultiQuestion(_OptionsQuestion):
    kind: Literal["multi"] = "multi"
    # ``skills`` fills the options from the program's skills list.
    options_from: Literal["skills"] | None = None
    min: Annotated[int, Field(ge=0, le=20)] = 1
    max: Annotated[int, Field(ge=1, le=20)] = 5

    def parse_text(self, raw: str) -> AnswerValue:
        text = self._text(raw, 1000)
        if text.casefold() in _NONE_WORDS:
            return self._checked([])
        items = [i for i in _SPLIT.split(text) if i]
        return self._checked([str(self._pick(i).value) for i in items])

    def parse_values(self, values: tuple[str, ...]) -> AnswerValue:
        return self._checked([str(self._pick(v, typed=False).value) for v in values])

    def _checked(self, chosen: list[str]) -> list[str]:
        unique = list(dict.fromkeys(chosen))
        if len(unique) < self.min:
            raise BadAnswer(f"Please pick at least {self.min}.")
        if len(unique) > self.max:
            raise BadAnswer(f"Please pick at most {self.max} (you picked {len(unique)}).")
        return unique

    def display(self, value: AnswerValue) -> str:
        if not isinstance(value, list) or not value:
            return "none"
        return ", ".join(self._label(v) for v in value)

    def ask(self, action: str) -> tuple[m.Block, ...]:
        select = m.Select(
            action,
            self.option_list(),
            multi=True,
            min_selected=self.min,
            max_selected=self.max,
            placeholder=f"Pick up to {self.max}",
        )
        return (select, m.Note(self.how_to_answer()))

    def how_to_answer(self) -> str:
        most = f"up to {self.max}" if self.max > 1 else "one"
        none = " (or “none”)" if self.min == 0 else ""
        return f"Pick {most}: reply with numbers or names separated by commas{none}, e.g. “1, 4”."

    def field(self, initial: AnswerValue | None) -> forms.Field:
        return forms.ChoiceField(
            name=self.key,
            label=self.prompt,
            options=self.option_list(),
            multi=True,
            min_selected=self.min,
            max_selected=self.max,
            optional=self.optional or self.min == 0,
            hint=self.help,
            initial=tuple(initial) if isinstance(initial, list) else (),
        )


class YesNoQuestion(_Question):
    kind: Literal["yesno"] = "yesno"

    _YES = frozenset({"yes", "y", "1", "true", "sure", "yes please", "ok"})
    _NO = frozenset({"no", "n", "2", "false", "no thanks", "nope"})

    def parse_text(self, raw: str) -> AnswerValue:
        word = self._text(raw, 40).casefold().rstrip(".!")
        if word in self._YES:
            return True
        if word in self._NO:
            return False
        raise BadAnswer("Please answer yes or no.")

    def display(self, value: AnswerValue) -> str:
        return "yes" if value is True else "no"

    def ask(self, action: str) -> tuple[m.Block, ...]:
        return (m.Buttons(action, m.options(("yes", "Yes"), ("no", "No"))),)

    def field(self, initial: AnswerValue | None) -> forms.Field:
        return forms.ChoiceField(
            name=self.key,
            label=self.prompt,
            options=m.options(("yes", "Yes"), ("no", "No")),
            optional=self.optional,
            hint=self.help,
            initial=() if initial is None else (self.display(initial),),
        )


class TimezoneQuestion(_Question):
    kind: Literal["timezone"] = "timezone"

    def parse_text(self, raw: str) -> AnswerValue:
        text = self._text(raw, 64)
        zone = resolve_timezone(text)
        if zone is None:
            raise BadAnswer(
                f"I don't know the timezone “{one_line(text)[:40]}”. Please give a city-based "
                "name such as Europe/Berlin, America/New_York or Asia/Kolkata (or just a "
                "city: Berlin, New York, Kolkata)."
            )
        return zone

    def how_to_answer(self) -> str:
        return "A timezone such as Europe/Berlin or a city such as Singapore."

    def field(self, initial: AnswerValue | None) -> forms.Field:
        return forms.TextField(
            name=self.key,
            label=self.prompt,
            max_length=64,
            optional=self.optional,
            hint=self.help or self.how_to_answer(),
            placeholder="Europe/Berlin",
            initial=initial if isinstance(initial, str) else "",
        )


_HOURS = re.compile(
    r"^(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm)?\s*(?:-|–|—|to|until)\s*"
    r"(\d{1,2})(?:[:.h](\d{2}))?\s*(am|pm)?$"
)


class HoursQuestion(_Question):
    """Working hours as a daily window, stored as ``HH:MM-HH:MM`` (local time)."""

    kind: Literal["hours"] = "hours"

    def parse_text(self, raw: str) -> AnswerValue:
        text = self._text(raw, 40).casefold()
        match = _HOURS.match(text)
        if match is None:
            raise BadAnswer(
                "Please give your working hours as a range, like 9-17, 08:30-16:30 or 9am-5pm."
            )
        start = _minutes(match.group(1), match.group(2), match.group(3))
        end = _minutes(match.group(4), match.group(5), match.group(6))
        return _window(start, end)

    def how_to_answer(self) -> str:
        return "Your usual hours in your own timezone, e.g. 9-17 or 08:30-16:30."

    def field(self, initial: AnswerValue | None) -> forms.Field:
        return forms.TextField(
            name=self.key,
            label=self.prompt,
            max_length=40,
            optional=self.optional,
            hint=self.help or self.how_to_answer(),
            placeholder="09:00-17:00",
            initial=initial if isinstance(initial, str) else "09:00-17:00",
        )


def _minutes(hour: str, minute: str | None, half: str | None) -> int:
    h, mins = int(hour), int(minute or 0)
    if half is not None:
        if not 1 <= h <= 12:
            raise BadAnswer(f"{h}{half} isn't a time; with am/pm the hour is 1 to 12.")
        h = h % 12 + (12 if half == "pm" else 0)
    if h > 24 or mins > 59 or (h == 24 and mins):
        raise BadAnswer(f"{hour}:{minute or '00'} isn't a time of day.")
    return h * 60 + mins


def _window(start: int, end: int) -> str:
    length = (end - start) % (24 * 60)
    if length < 60:
        raise BadAnswer("That window is shorter than an hour; please give your working hours.")
    if length > 16 * 60:
        raise BadAnswer("That's more than 16 hours a day; please give your usual working hours.")
    return f"{start // 60 % 24:02d}:{start % 60:02d}-{end // 60 % 24:02d}:{end % 60:02d}"


# "@sam" or "sam": a person's platform id (adapters turn their platform's mention
# syntax into this before the engine sees it).
_HANDLE = re.compile(r"^@?([A-Za-z0-9][\w.\-]{0,63})$")


class PeopleQuestion(_Question):
    """Colleagues, by handle (console) or user id (a platform's user picker)."""

    kind: Literal["people"] = "people"
    max: Annotated[int, Field(ge=1, le=50)] = 10

    def parse_text(self, raw: str) -> AnswerValue:
        text = self._text(raw, 1000)
        if text.casefold() in _NONE_WORDS:
            return []
        try:
            return self.parse_values(tuple(i for i in _SPLIT.split(text) if i))
        except BadAnswer as error:
            if "look like" not in str(error):
                raise
            # Quote the whole answer, not the piece after a comma: a sentence typed
            # here by mistake is recognised for what it is.
            shown = one_line(text)[:40] + ("…" if len(one_line(text)) > 40 else "")
            raise BadAnswer(
                f"“{shown}” doesn't look like colleagues' handles; please give handles "
                "like @sam, separated by commas, or “none”."
            ) from None

    def parse_values(self, values: tuple[str, ...]) -> AnswerValue:
        handles = [self._handle(v) for v in values]
        unique = list(dict.fromkeys(handles))
        if len(unique) > self.max:
            most = "just one person" if self.max == 1 else f"at most {self.max} people"
            raise BadAnswer(f"Please name {most}.")
        return unique

    def _handle(self, item: str) -> str:
        match = _HANDLE.match(item.strip())
        if match is None:
            raise BadAnswer(
                f"“{one_line(item)[:40]}” doesn't look like a colleague's handle; "
                "please give handles like @sam, separated by commas, or “none”."
            )
        return match.group(1)

    def display(self, value: AnswerValue) -> str:
        if not isinstance(value, list) or not value:
            return "nobody"
        return ", ".join(f"@{v}" for v in value)

    def how_to_answer(self) -> str:
        return "Handles separated by commas, e.g. “@sam, @lee”, or “none”."

    def field(self, initial: AnswerValue | None) -> forms.Field:
        return forms.PeopleField(
            name=self.key,
            label=self.prompt,
            max_selected=self.max,
            hint=self.help or "Nobody is told.",
            initial=tuple(initial) if isinstance(initial, list) else (),
        )


Question = Annotated[
    TextQuestion
    | ChoiceQuestion
    | MultiQuestion
    | YesNoQuestion
    | TimezoneQuestion
    | HoursQuestion
    | PeopleQuestion,
    Field(discriminator="kind"),
]
