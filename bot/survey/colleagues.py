"""A question naming colleagues: handles typed in chat, or a platform's user picker."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field

from bot import forms
from bot.survey.question import LIST_SEPARATOR, NONE_WORDS, AnswerValue, BadAnswer, BaseQuestion
from bot.text import one_line

# "@sam" or "sam": a person's platform id (adapters turn their platform's mention
# syntax into this before the engine sees it).
_HANDLE = re.compile(r"^@?([A-Za-z0-9][\w.\-]{0,63})$")


class PeopleQuestion(BaseQuestion):
    """Colleagues, by handle (console) or user id (a platform's user picker)."""

    kind: Literal["people"] = "people"
    max: Annotated[int, Field(ge=1, le=50)] = 10

    def parse_text(self, raw: str) -> AnswerValue:
        text = self._text(raw, 1000)
        if text.casefold() in NONE_WORDS:
            return []
        try:
            return self.parse_values(tuple(i for i in LIST_SEPARATOR.split(text) if i))
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
