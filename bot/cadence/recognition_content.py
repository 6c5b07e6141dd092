"""The words of kudos, spotlights and the program survey, from
``bot/content/recognition.yaml`` (validated once: a typo fails at start)."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Annotated, Literal, Self

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

_Text = Annotated[str, Field(min_length=1, max_length=600)]


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class KudosWords(_Section):
    usage: _Text
    no_program: _Text
    not_in_program: _Text
    yourself: _Text
    words: _Text
    allowance: _Text
    received: _Text
    sent: _Text
    ask_giver: _Text
    ask_receiver: _Text
    yes: _Text
    no: _Text
    waiting: _Text
    kept: _Text
    posted: _Text
    not_yours: _Text


class SpotlightWords(_Section):
    usage: _Text
    not_a_pair: _Text
    twice: _Text
    story: _Text
    no_channel: _Text
    ask: _Text
    asked: _Text
    heading: _Text
    told: _Text


class SurveyQuestion(_Section):
    """One scored question: its key is where the answer is stored."""

    key: Literal["growth", "supported", "recommend"]
    prompt: _Text
    low: Annotated[int, Field(ge=0, le=1)]
    high: Annotated[int, Field(ge=5, le=10)]


class ProgramSurveyWords(_Section):
    invite: _Text
    start: _Text
    questions: tuple[SurveyQuestion, ...]
    comment: _Text
    share: _Text
    share_yes: _Text
    share_no: _Text
    thanks: _Text
    closed: _Text
    done: _Text

    @model_validator(mode="after")
    def _each_once(self) -> Self:
        keys = [q.key for q in self.questions]
        if sorted(keys) != ["growth", "recommend", "supported"]:
            raise ValueError("the program survey asks growth, supported and recommend, once each")
        return self

    def question(self, key: str) -> SurveyQuestion:
        return next(q for q in self.questions if q.key == key)


class RecognitionWords(_Section):
    kudos: KudosWords
    spotlight: SpotlightWords
    program_survey: ProgramSurveyWords


@cache
def words() -> RecognitionWords:
    folder = resources.files("bot").joinpath("content/recognition.yaml")
    return RecognitionWords.model_validate(yaml.safe_load(folder.read_text(encoding="utf-8")))
