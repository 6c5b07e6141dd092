"""Stage guides and conversation starters from ``bot/content/library.yaml``, and
which cadence message carries which guide.

- after 30 days: the 30-day goals milestone (the first milestone at 30 days or
  later, for a program whose milestones are elsewhere);
- half-way: the first check-in due on or after half the match's duration;
- the closing conversation: the last check-in before the match's end, so the pair
  plan their closing conversation while they still meet (the wrap-up survey
  comes after the end, and asks about it).

The first meeting's guide goes with the introduction (``guides.yaml``).
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import cache
from importlib import resources
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field

from bot import outbound as m
from bot.cadence.calendar import add_months, cycle_due
from bot.program.spec import ProgramSpec

_Text = Annotated[str, Field(min_length=1, max_length=600)]
Stage = Literal["thirty_days", "midpoint", "closing"]
THIRTY_DAYS = 30


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class StageGuide(_Section):
    title: Annotated[str, Field(min_length=1, max_length=80)]
    text: _Text
    points: Annotated[tuple[_Text, ...], Field(min_length=1, max_length=6)]
    starters: Annotated[tuple[_Text, ...], Field(min_length=1, max_length=4)]


class Stages(_Section):
    thirty_days: StageGuide
    midpoint: StageGuide
    closing: StageGuide


class Library(_Section):
    stages: Stages
    starters: Annotated[tuple[_Text, ...], Field(min_length=3, max_length=30)]

    def stage(self, name: Stage) -> StageGuide:
        guide: StageGuide = getattr(self.stages, name)
        return guide


@cache
def library() -> Library:
    """The guides, validated once (a typo in the file fails at start)."""
    text = resources.files("bot").joinpath("content/library.yaml").read_text(encoding="utf-8")
    return Library.model_validate(yaml.safe_load(text))


def guide_blocks(guide: StageGuide) -> tuple[m.Block, ...]:
    """A stage guide as blocks: to attach to a message or show on its own."""
    return (
        m.para(m.Bold(guide.title)),
        m.para(guide.text),
        m.bullets(*guide.points),
        m.para(m.Bold("To start the conversation")),
        m.bullets(*guide.starters),
    )


def with_stage_guide(message: m.Message, stage: Stage | None) -> m.Message:
    """The message with the stage's guide after it (unchanged for no stage)."""
    if stage is None:
        return message
    blocks = (
        *message.blocks,
        m.Divider(),
        *guide_blocks(library().stage(stage)),
        m.Note("Say “resources” for every guide, and the program's own links."),
    )
    return m.Message(blocks, message.summary, message.kind, message.match)


def milestone_stage(spec: ProgramSpec, day: int) -> Stage | None:
    """The 30-day guide goes with the first milestone at 30 days or later."""
    later = [d for d in spec.schedule.milestones if d >= THIRTY_DAYS]
    return "thirty_days" if later and day == min(later) else None


def checkin_stage(spec: ProgramSpec, start: date, cycle: int) -> Stage | None:
    """The mid-point guide with the first check-in on or after the middle of the
    match; the closing guide with the last check-in before its end."""
    weeks = spec.cadence_weeks
    end = add_months(start, spec.duration_months)
    middle = start + timedelta(days=(end - start).days // 2)
    due = cycle_due(start, weeks, cycle)
    if due < end <= cycle_due(start, weeks, cycle + 1):
        return "closing"
    if cycle_due(start, weeks, cycle - 1) < middle <= due:
        return "midpoint"
    return None
