"""A mentoring program as a coordinator wrote it: the spec and its parts.

A program says what it is for (objectives, success criteria), how it runs (format,
cadence, duration, meeting length) and what it asks people (intake questions,
skills list). Questions with well-known keys feed matching and scheduling, so
their kinds are checked when a spec is made (:mod:`bot.program.required_questions`).
"""

from __future__ import annotations

import re
from datetime import date
from enum import StrEnum
from typing import Annotated, Any, Literal, Self
from urllib.parse import urlsplit

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from bot.matching.tuning import MatchingSettings
from bot.program.required_questions import REQUIRED_KEYS, duplicates, question_problems
from bot.program.success_criteria import Criterion, Line
from bot.survey.kinds import Question

_Lines = Annotated[tuple[Line, ...], Field(min_length=1, max_length=12)]


# A person's id on the platform (a Slack user id, a Teams object id, a console name).
def _platform_id(value: str) -> str:
    if not value.isprintable() or any(c.isspace() for c in value):
        raise ValueError("a coordinator is a user id on the platform (like U024BE7LH), one word")
    return value


_Handle = Annotated[str, Field(min_length=1, max_length=100), AfterValidator(_platform_id)]


class Format(StrEnum):
    PEER_PAIRS = "peer_pairs"
    MENTOR_MENTEE = "mentor_mentee"
    REVERSE = "reverse"
    CIRCLES = "circles"
    GROUP_MENTORING = "group_mentoring"


CADENCE_WEEKS = {"weekly": 1, "biweekly": 2, "triweekly": 3, "monthly": 4}
_EVERY = {1: "every week", 2: "every two weeks", 3: "every three weeks", 4: "every four weeks"}


class Reporting(BaseModel):
    """What coordinators may see."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # An aggregate of what people answered (ratings, goals, the wrap-up) is shown
    # only when at least this many people answered; 5 is the people-analytics norm,
    # 3 the lowest any of them allows.
    min_group: Annotated[int, Field(ge=3, le=100)] = 5


class Schedule(BaseModel):
    """When things happen; all optional."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # The first matching round (later rounds follow every cadence period). Default:
    # the Monday at least a week after the program is added, to give people time.
    first_round: date | None = None
    # A coordinator reviews and publishes each scheduled round (the default: nobody
    # hears of a match before someone responsible has seen it); false publishes
    # rounds by themselves.
    review_rounds: bool = True
    milestones: tuple[Annotated[int, Field(ge=7, le=365)], ...] = (30, 60, 90)
    # Messages Tandem may start with one person in a week (replies don't count).
    messages_per_week: Annotated[int, Field(ge=1, le=10)] = 3


def _https(value: str) -> str:
    parts = urlsplit(value)
    plain = value.isprintable() and not any(c.isspace() for c in value)
    if not plain or parts.scheme != "https" or not parts.hostname or "@" in parts.netloc:
        raise ValueError(
            "a resource's url must be a whole https:// address, like https://example.com/guide"
        )
    return value


def _printable(value: str) -> str:
    if not value.isprintable():
        raise ValueError("a resource's title is one line of plain text")
    return value


def _topic(value: str) -> str:
    topic = "-".join(value.casefold().split())
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,29}", topic):
        raise ValueError(
            "a topic is a word or two (letters, digits and hyphens, up to 30), like feedback"
        )
    return topic


class Resource(BaseModel):
    """A link the program offers its people in ``resources [topic]``."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    title: Annotated[str, Field(min_length=1, max_length=100), AfterValidator(_printable)]
    url: Annotated[str, Field(min_length=12, max_length=500), AfterValidator(_https)]
    topic: Annotated[str, Field(min_length=1, max_length=30), AfterValidator(_topic)]


MAX_RESOURCES = 30


class Recognition(BaseModel):
    """Kudos between participants."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    # Kudos one person may send in a week (Monday to Sunday): few enough to mean something.
    kudos_per_week: Annotated[int, Field(ge=1, le=20)] = 3


class ProgramSpec(BaseModel):
    """One mentoring program, as a coordinator wrote it."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    slug: Annotated[str, Field(pattern=r"^[a-z0-9][a-z0-9-]{1,39}$")]
    name: Annotated[str, Field(min_length=1, max_length=80)]
    description: Annotated[str, Field(min_length=1, max_length=600)]
    objectives: _Lines
    success_criteria: Annotated[tuple[Criterion, ...], Field(min_length=1, max_length=12)]
    format: Format = Format.PEER_PAIRS
    cadence: Literal["weekly", "biweekly", "triweekly", "monthly"] = "biweekly"
    duration_months: Annotated[int, Field(ge=6, le=12)] = 6
    meeting_minutes: Annotated[int, Field(ge=15, le=120)] = 30
    expectations: _Lines
    agreement: _Lines
    skills: Annotated[
        tuple[Annotated[str, Field(min_length=1, max_length=75)], ...],
        Field(min_length=2, max_length=100),
    ]
    questions: Annotated[tuple[Question, ...], Field(min_length=1, max_length=30)]
    coordinators: Annotated[tuple[_Handle, ...], Field(max_length=50)] = ()
    # The program's channel on the chat platform (a Slack channel id such as
    # C0123ABCD), where polls run. Tandem must be invited to it.
    channel: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    matching: MatchingSettings = MatchingSettings()
    schedule: Schedule = Schedule()
    # Links for ``resources [topic]``, beside Tandem's own guides.
    resources: Annotated[tuple[Resource, ...], Field(max_length=MAX_RESOURCES)] = ()
    reporting: Reporting = Reporting()
    recognition: Recognition = Recognition()

    def coordinated_by(self, user_id: str) -> bool:
        """Whether ``user_id`` is one of the coordinators (case, spaces and a leading
        @ aside)."""
        me = _folded(user_id)
        return any(_folded(c) == me for c in self.coordinators)

    @property
    def cadence_weeks(self) -> int:
        return CADENCE_WEEKS[self.cadence]

    @property
    def cadence_words(self) -> str:
        """The cadence in words: "every two weeks"."""
        return _EVERY[self.cadence_weeks]

    def question(self, key: str) -> Question | None:
        return next((q for q in self.questions if q.key == key), None)

    @model_validator(mode="before")
    @classmethod
    def _skills_as_options(cls, data: Any) -> Any:
        """``options_from: skills`` means the program's skills list is the options."""
        if not isinstance(data, dict) or not isinstance(data.get("questions"), list):
            return data
        skills = data.get("skills")
        questions = [
            {**q, "options": skills}
            if isinstance(q, dict) and q.get("options_from") == "skills"
            else q
            for q in data["questions"]
        ]
        return {**data, "questions": questions}

    @model_validator(mode="after")
    def _consistent(self) -> Self:
        problems = [
            *duplicates("skills", self.skills),
            *duplicates("question keys", [q.key for q in self.questions]),
            *(p for q in self.questions for p in question_problems(q)),
            *(
                f"the question '{k}' is required (matching uses it)"
                for k in REQUIRED_KEYS
                if self.question(k) is None
            ),
        ]
        if self.schedule.review_rounds and not self.coordinators:
            problems.append(
                "rounds are reviewed by a coordinator (schedule.review_rounds), so name at "
                "least one in coordinators: [...] (or set schedule.review_rounds: false)"
            )
        if problems:
            raise ValueError("; ".join(problems))
        return self


def folded_user_id(user_id: str) -> str:
    """A platform user id as compared: case, spaces and a leading @ aside."""
    return _folded(user_id)


def _folded(user_id: str) -> str:
    return " ".join(user_id.casefold().split()).removeprefix("@")
