"""Tandem's own words (guides, questions, notes) from ``bot/content/guides.yaml``."""

from __future__ import annotations

from functools import cache
from importlib import resources
from typing import Annotated

import yaml
from pydantic import BaseModel, ConfigDict, Field

_Text = Annotated[str, Field(min_length=1, max_length=600)]


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class FirstMeeting(_Section):
    title: _Text
    agenda: tuple[_Text, ...]
    questions: Annotated[tuple[_Text, ...], Field(min_length=3)]
    goals: _Text


class AgreementWords(_Section):
    title: _Text
    cadence: _Text
    accept: _Text
    reminder: _Text
    doubts: _Text


class GoalWords(_Section):
    prompt: _Text
    button: _Text
    ask: _Text
    more: _Text
    add: _Text
    done: _Text
    saved: _Text


class CheckinWords(_Section):
    question: _Text
    options: dict[str, _Text]
    thanks_yes: _Text
    thanks_not_yet: _Text
    thanks_skip: _Text
    already: _Text
    reminder: _Text


class FeedbackWords(_Section):
    rating: _Text
    told: _Text
    helped: _Text
    next: _Text
    note: _Text
    private: _Text


class StopWords(_Section):
    confirm: _Text
    yes: _Text
    no: _Text
    done: _Text
    partner: _Text


class MilestoneWords(_Section):
    prompt: _Text
    button: _Text
    status: _Text
    options: dict[str, _Text]
    none: _Text
    thanks: _Text


class WrapupWords(_Section):
    prompt: _Text
    button: _Text
    recommend: _Text
    changed: _Text
    share: _Text
    share_yes: _Text
    share_no: _Text
    again: _Text
    thanks_again: _Text
    thanks_done: _Text


class MentorsCircleWords(_Section):
    title: _Text
    intro: _Text
    prompts: Annotated[tuple[_Text, ...], Field(min_length=3)]
    close: _Text


class Guides(_Section):
    first_meeting: FirstMeeting
    agreement: AgreementWords
    organiser: _Text
    goals: GoalWords
    checkin: CheckinWords
    feedback: FeedbackWords
    stop: StopWords
    milestone: MilestoneWords
    wrapup: WrapupWords
    paused: _Text
    partner_paused: _Text
    partner_left: _Text
    round_ready: _Text
    round_waiting: _Text
    mentors_circle: MentorsCircleWords


@cache
def guides() -> Guides:
    """The words, validated once (a typo in the file fails at start, not mid-program)."""
    text = resources.files("bot").joinpath("content/guides.yaml").read_text(encoding="utf-8")
    return Guides.model_validate(yaml.safe_load(text))
