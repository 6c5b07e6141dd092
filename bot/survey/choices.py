"""Questions answered by picking: one option, several, or yes or no."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator

from bot import forms
from bot import outbound as m
from bot.survey.question import LIST_SEPARATOR, NONE_WORDS, AnswerValue, BadAnswer, BaseQuestion
from bot.text import one_line

# Slack caps option text at 75 characters; keeping labels inside that keeps every
# platform happy.
_LABEL_MAX = 75


class ChoiceOption(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    value: str | int
    label: Annotated[str, Field(min_length=1, max_length=_LABEL_MAX)]

    @classmethod
    def coerce(cls, raw: Any) -> Any:
        return {"value": raw, "label": raw} if isinstance(raw, str) else raw


def _coerce_options(raw: Any) -> Any:
    return [ChoiceOption.coerce(o) for o in raw] if isinstance(raw, list | tuple) else raw


class OptionsQuestion(BaseQuestion):
    """A question whose answers are among its options."""

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


class ChoiceQuestion(OptionsQuestion):
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


class MultiQuestion(OptionsQuestion):
    kind: Literal["multi"] = "multi"
    # ``skills`` fills the options from the program's skills list.
    options_from: Literal["skills"] | None = None
    min: Annotated[int, Field(ge=0, le=20)] = 1
    max: Annotated[int, Field(ge=1, le=20)] = 5

    def parse_text(self, raw: str) -> AnswerValue:
        text = self._text(raw, 1000)
        if text.casefold() in NONE_WORDS:
            return self._checked([])
        items = [i for i in LIST_SEPARATOR.split(text) if i]
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


class YesNoQuestion(BaseQuestion):
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
