"""Matching settings: part of a program's YAML (``matching:``), all optional."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field

_Weight = Annotated[float, Field(ge=0, le=1000)]


class Weights(BaseModel):
    """How much each kind of fit counts; a perfect fit on each scores its weight.

    The defaults add up to 100 for a perfect pair, before requests and waiting.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    skills: _Weight = 45  # what one wants to learn, the other can teach (both ways)
    mutual: _Weight = 15  # bonus when each can teach the other something
    goals: _Weight = 10  # goals in common
    level: _Weight = 10  # career levels that suit the format
    hours: _Weight = 10  # working hours in common
    style: _Weight = 5  # the same preferred session style
    department: _Weight = 5  # from different departments (when known)
    requested: _Weight = 100  # someone asked for this partner
    waited: _Weight = 20  # someone who waited last round goes first this time


class MatchingSettings(BaseModel):
    """Weights and hard rules for a program's matching rounds."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    weights: Weights = Weights()
    min_overlap_hours: Annotated[float, Field(ge=0, le=8)] = 2
    no_repeat_days: Annotated[int, Field(ge=0, le=3650)] = 365
    same_reporting_line: bool = False  # allow pairs within one reporting line
    mentor_capacity: Annotated[int, Field(ge=1, le=5)] = 2
    circle_size: Annotated[int, Field(ge=3, le=6)] = 4
    group_size: Annotated[int, Field(ge=3, le=5)] = 4  # mentees with one mentor (group_mentoring)
    allow_trios: bool = True  # an odd person out joins a pair rather than waiting
