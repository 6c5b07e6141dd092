"""Every kind of survey question: a program's YAML lists its questions, and each
entry becomes one of these, chosen by its ``kind``."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from bot.survey.choices import ChoiceQuestion, MultiQuestion, YesNoQuestion
from bot.survey.colleagues import PeopleQuestion
from bot.survey.written import HoursQuestion, TextQuestion, TimezoneQuestion

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
