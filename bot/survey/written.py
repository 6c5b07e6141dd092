"""Questions answered in writing: free text, a timezone, working hours."""

from __future__ import annotations

import re
from typing import Annotated, Literal

from pydantic import Field

from bot import forms
from bot.survey.question import AnswerValue, BadAnswer, BaseQuestion
from bot.text import one_line
from bot.timezones import resolve_timezone


class TextQuestion(BaseQuestion):
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


class TimezoneQuestion(BaseQuestion):
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


class HoursQuestion(BaseQuestion):
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
