"""The mentor training's lessons, as data: ``bot/content/training.yaml``, validated
once, a person's progress through them, and one lesson as a message.

:mod:`bot.cadence.training` decides when the next lesson is due;
:mod:`bot.flows.training` is the ``training`` command and the "Done" button.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from functools import cache
from importlib import resources
from typing import Annotated, Self

import yaml
from pydantic import BaseModel, ConfigDict, Field, model_validator

from bot import outbound as m
from bot.model import LessonProgress

ACTION = "training"  # the "Done" button: training:<lesson>
KIND = "training"

_Text = Annotated[str, Field(min_length=1, max_length=600)]
_SLUG = re.compile(r"^[a-z][a-z0-9-]{1,39}$")


class _Section(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


class Lesson(_Section):
    slug: Annotated[str, Field(pattern=_SLUG.pattern)]
    title: Annotated[str, Field(min_length=1, max_length=80)]
    text: _Text
    points: Annotated[tuple[_Text, ...], Field(min_length=1, max_length=5)]
    practice: _Text = Field(alias="try")  # one practical thing to try


class Track(_Section):
    intro: _Text
    finished: _Text
    lessons: Annotated[tuple[Lesson, ...], Field(min_length=1, max_length=12)]

    @model_validator(mode="after")
    def _unique(self) -> Self:
        slugs = [x.slug for x in self.lessons]
        if len(set(slugs)) != len(slugs):
            raise ValueError("lesson slugs are repeated")
        return self

    def find(self, text: str) -> Lesson | None:
        """A lesson by its number (1, 2...), short name, title or a part of the title
        that names one lesson only."""
        wanted = " ".join(text.casefold().split())
        if wanted.isdigit():
            number = int(wanted)
            return self.lessons[number - 1] if 1 <= number <= len(self.lessons) else None
        exact = [x for x in self.lessons if wanted in {x.slug, x.title.casefold()}]
        partly = [x for x in self.lessons if len(wanted) >= 4 and wanted in x.title.casefold()]
        found = exact or partly
        return found[0] if len(found) == 1 else None

    def number(self, lesson: Lesson) -> int:
        return self.lessons.index(lesson) + 1


@cache
def track() -> Track:
    """The lessons, validated once (a typo in the file fails at start)."""
    text = resources.files("bot").joinpath("content/training.yaml").read_text(encoding="utf-8")
    return Track.model_validate(yaml.safe_load(text))


# --- progress ----------------------------------------------------------------------


def done_lessons(progress: Sequence[LessonProgress]) -> set[str]:
    """The slugs of this track's lessons the person marked done."""
    slugs = {x.slug for x in track().lessons}
    return {p.lesson for p in progress if p.done_at is not None and p.lesson in slugs}


def next_lesson(progress: Sequence[LessonProgress]) -> Lesson | None:
    """The first lesson not marked done (None when the track is finished)."""
    done = done_lessons(progress)
    return next((x for x in track().lessons if x.slug not in done), None)


def finished(progress: Sequence[LessonProgress]) -> bool:
    return next_lesson(progress) is None


# --- the message -------------------------------------------------------------------


def lesson_message(lesson: Lesson, *, first: bool = False, done: bool = False) -> m.Message:
    """One lesson, with its one thing to try and a "Done" button (none once done)."""
    t = track()
    heading = f"Mentor training {t.number(lesson)} of {len(t.lessons)}: {lesson.title}"
    blocks: list[m.Block] = [
        *([m.para(t.intro)] if first else []),
        m.Heading(heading),
        m.para(lesson.text),
        m.bullets(*lesson.points),
        m.para(m.Bold("Try this: "), lesson.practice),
    ]
    if done:
        blocks.append(m.Note("You've marked this one done."))
    else:
        blocks += [
            m.Buttons(f"{ACTION}:{lesson.slug}", (m.Option("done", "Done", "primary"),)),
            m.Note("Say “training” to see the whole track."),
        ]
    return m.Message(tuple(blocks), heading, kind=KIND)
