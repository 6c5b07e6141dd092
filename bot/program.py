"""Programs as data: a YAML file, validated at load time with clear errors.

A program says what it is for (objectives, success criteria), how it runs (format,
cadence, duration, meeting length) and what it asks people (intake questions,
skills list). Questions with well-known keys (``offers``, ``timezone``...) feed
matching and scheduling, so their kinds are checked here, once, at load time.
"""

from __future__ import annotations

import difflib
import re
from collections import Counter
from collections.abc import Sequence
from datetime import date
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any, Literal, Self
from urllib.parse import urlsplit

import yaml
from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError, model_validator

from bot.matching.settings import MatchingSettings
from bot.report.metrics import METRICS
from bot.survey import ChoiceQuestion, MultiQuestion, PeopleQuestion, Question

_Line = Annotated[str, Field(min_length=1, max_length=300)]
_Lines = Annotated[tuple[_Line, ...], Field(min_length=1, max_length=12)]


# A person's id on the platform (a Slack user id, a Teams object id, a console name).
def _platform_id(value: str) -> str:
    if not value.isprintable() or any(c.isspace() for c in value):
        raise ValueError("a coordinator is a user id on the platform (like U024BE7LH), one word")
    return value


_Handle = Annotated[str, Field(min_length=1, max_length=100), AfterValidator(_platform_id)]

# A program file is a page or two of YAML; anything far bigger is a mistake (or an
# attack), refused before it is parsed. Deep nesting and YAML aliases have no use
# in a program and are how a small file becomes a huge document.
MAX_PROGRAM_BYTES = 256 * 1024
MAX_DEPTH = 12
MAX_PROBLEMS = 30
_QUOTED = 60  # characters of someone's value an error quotes


class Format(StrEnum):
    PEER_PAIRS = "peer_pairs"
    MENTOR_MENTEE = "mentor_mentee"
    REVERSE = "reverse"
    CIRCLES = "circles"
    GROUP_MENTORING = "group_mentoring"


CADENCE_WEEKS = {"weekly": 1, "biweekly": 2, "triweekly": 3, "monthly": 4}
_EVERY = {1: "every week", 2: "every two weeks", 3: "every three weeks", 4: "every four weeks"}

# Keys that mean something to matching and scheduling, and the kinds they may be.
WELL_KNOWN: dict[str, tuple[str, ...]] = {
    "goals": ("multi", "text"),
    "offers": ("multi",),
    "wants": ("multi",),
    "level": ("choice",),
    "timezone": ("timezone",),
    "working_hours": ("hours",),
    "style": ("choice",),
    "role": ("choice",),
    "reverse": ("yesno",),
    "avoid": ("people",),
    "manager": ("people",),
    "intro": ("text",),
}
REQUIRED_KEYS = ("offers", "wants", "level", "timezone", "working_hours")
ROLES = frozenset({"peer", "mentor", "mentee", "either"})


class Criterion(BaseModel):
    """A success criterion: a metric of the report, a comparison and a threshold,
    with the words people read. A criterion written as plain text (as before
    criteria were measured) has no metric: it is shown, marked "not measured"."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    label: _Line
    metric: str | None = None
    at_least: float | None = None
    at_most: float | None = None

    @model_validator(mode="before")
    @classmethod
    def _plain_text(cls, data: Any) -> Any:
        return {"label": data} if isinstance(data, str) else data

    @model_validator(mode="after")
    def _measurable(self) -> Self:
        bounds = [b for b in (self.at_least, self.at_most) if b is not None]
        if self.metric is None:
            if bounds:
                raise ValueError("a criterion with a threshold needs a metric: to measure")
            return self
        if self.metric not in METRICS:
            raise ValueError(_unknown_metric(self.metric))
        if len(bounds) != 1:
            raise ValueError(
                f"the criterion on {self.metric} needs one threshold: at_least: N or at_most: N"
            )
        return self

    @property
    def measured(self) -> bool:
        return self.metric is not None


def _unknown_metric(name: str) -> str:
    close = difflib.get_close_matches(name, METRICS, n=1)
    hint = f" (did you mean {close[0]}?)" if close else ""
    return f"unknown metric '{_brief(name, _QUOTED)}'{hint}; the metrics are: " + ", ".join(METRICS)


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

    def coordinated_by(self, handle: str) -> bool:
        """Whether ``handle`` is one of the coordinators (case, spaces and a leading
        @ aside)."""
        me = _folded(handle)
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
            *_duplicates("skills", self.skills),
            *_duplicates("question keys", [q.key for q in self.questions]),
            *(p for q in self.questions for p in _question_problems(q)),
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


def _duplicates(what: str, items: Sequence[str]) -> list[str]:
    counts = Counter(i.casefold() for i in items)
    dupes = sorted({i for i in items if counts[i.casefold()] > 1})
    return [f"{what} are repeated: {', '.join(dupes)}"] if dupes else []


def _question_problems(q: Question) -> list[str]:
    problems: list[str] = []
    allowed = WELL_KNOWN.get(q.key)
    if allowed and q.kind not in allowed:
        problems.append(f"the question '{q.key}' must be of kind {' or '.join(allowed)}")
    if isinstance(q, MultiQuestion):
        if not q.options:
            problems.append(f"the question '{q.key}' needs options (or options_from: skills)")
        if q.min > q.max:
            problems.append(f"the question '{q.key}' has min greater than max")
    if isinstance(q, ChoiceQuestion):
        problems += _choice_problems(q)
    if isinstance(q, PeopleQuestion) and q.key == "manager" and q.max != 1:
        problems.append("the question 'manager' names one person: set max: 1")
    return problems


def _choice_problems(q: ChoiceQuestion) -> list[str]:
    values = [o.value for o in q.options]
    problems = [] if len(values) >= 2 else [f"the question '{q.key}' needs at least 2 options"]
    problems += _duplicates(f"options of '{q.key}'", [str(v) for v in values])
    if q.key == "level" and not all(isinstance(v, int) for v in values):
        problems.append("the options of 'level' need numeric values (1 = most junior)")
    if q.key == "role" and not set(map(str, values)) <= ROLES:
        problems.append(f"the options of 'role' must be among {', '.join(sorted(ROLES))}")
    return problems


class ProgramError(Exception):
    """A program definition is not valid; ``problems`` say where and why."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__("\n".join(f"{source}: {p}" for p in problems))


def parse_program(data: object, source: str = "<program>") -> ProgramSpec:
    """Validate already-parsed YAML/JSON data as a program."""
    if not isinstance(data, dict):
        raise ProgramError(source, ["a program must be a mapping of fields (name: ..., ...)"])
    try:
        return ProgramSpec.model_validate(data)
    except ValidationError as error:
        problems = [_describe(e, data) for e in error.errors()[:MAX_PROBLEMS]]
        if error.error_count() > MAX_PROBLEMS:
            problems.append(f"… and {error.error_count() - MAX_PROBLEMS} more problems")
        raise ProgramError(source, problems) from None


def load_program(path: Path) -> ProgramSpec:
    """Read and validate a program YAML file (at most :data:`MAX_PROGRAM_BYTES`)."""
    try:
        with path.open("rb") as file:
            raw = file.read(MAX_PROGRAM_BYTES + 1)
    except OSError as error:
        reason = error.strerror or "cannot be opened"
        raise ProgramError(str(path), [f"cannot read the file ({reason})"]) from None
    if len(raw) > MAX_PROGRAM_BYTES:
        raise ProgramError(str(path), [_too_big()])
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        raise ProgramError(str(path), ["cannot read the file (not UTF-8 text)"]) from None
    return parse_program_text(text, str(path))


def _too_big() -> str:
    return (
        f"the file is larger than {MAX_PROGRAM_BYTES // 1024} KB; a program is a page or "
        "two of YAML"
    )


def parse_program_text(text: str, source: str) -> ProgramSpec:
    """Validate a program given as YAML text."""
    if len(text.encode("utf-8", errors="replace")) > MAX_PROGRAM_BYTES:
        raise ProgramError(source, [_too_big()])
    try:
        data = yaml.load(text, Loader=_ProgramLoader)
    except _TooDeep as error:
        raise ProgramError(source, [str(error)]) from None
    except yaml.YAMLError as error:
        raise ProgramError(source, [_yaml_problem(error)]) from None
    return parse_program(data, source)


def with_coordinators(spec: ProgramSpec, handles: Sequence[str]) -> ProgramSpec:
    """The program with these coordinators added to its own (checked like the file's)."""
    if not handles:
        return spec
    data = program_to_data(spec)
    data["coordinators"] = list(dict.fromkeys([*spec.coordinators, *handles]))
    return parse_program(data, "--coordinator")


class _TooDeep(Exception):
    pass


class _ProgramLoader(yaml.SafeLoader):
    """YAML's safe loader, without aliases and with a bounded depth: a program needs
    neither, and they are how a few bytes become gigabytes or a stack overflow."""

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise _TooDeep(
                f"line {self._line()}: YAML aliases (*name) are not allowed in a program file"
            )
        self._depth += 1
        try:
            if self._depth > MAX_DEPTH:
                raise _TooDeep(
                    f"line {self._line()}: nested more than {MAX_DEPTH} levels deep; a program "
                    "needs far fewer"
                )
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def _line(self) -> int:
        event = self.peek_event()  # type: ignore[no-untyped-call]
        return int(event.start_mark.line) + 1


def program_to_data(spec: ProgramSpec) -> dict[str, Any]:
    """The program as plain data, for storing; :func:`parse_program` reads it back."""
    return spec.model_dump(mode="json")


def _yaml_problem(error: yaml.YAMLError) -> str:
    mark = getattr(error, "problem_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
    problem = getattr(error, "problem", None) or "not valid YAML"
    return f"{where}{problem}"


def _describe(error: Any, data: dict[str, Any]) -> str:
    loc = _location(error["loc"], data)
    message = _brief(str(error["msg"]).removeprefix("Value error, "), 600)
    got = error.get("input")
    shown = (
        f" (got {_brief(repr(got), _QUOTED)})" if isinstance(got, str | int | float) and loc else ""
    )
    return f"{loc}: {message}{shown}" if loc else message


def _brief(text: str, most: int) -> str:
    """At most ``most`` characters of ``text``: an error never repeats a whole file."""
    return text if len(text) <= most else f"{text[: most - 1]}… ({len(text):,} characters)"


def _location(loc: tuple[Any, ...], data: dict[str, Any]) -> str:
    parts: list[str] = []
    node: Any = data
    for item in loc:
        if isinstance(item, int):
            parts[-1:] = [f"{parts[-1] if parts else ''}[{item}]"]
            node = node[item] if isinstance(node, list) and item < len(node) else None
            key = node.get("key") if isinstance(node, dict) else None
            if key:
                parts[-1] += f" ('{key}')"
        elif (isinstance(node, dict) and item in node) or not parts or not _is_tag(item):
            parts.append(_brief(str(item), 40))
            node = node.get(item) if isinstance(node, dict) else None
    return ".".join(parts)


def _is_tag(item: object) -> bool:
    """Pydantic puts the union member's tag in the location; it is noise to a reader."""
    return item in {"text", "choice", "multi", "yesno", "timezone", "hours", "people"}


def folded_handle(handle: str) -> str:
    """A platform user id as compared: case, spaces and a leading @ aside."""
    return _folded(handle)


def _folded(handle: str) -> str:
    return " ".join(handle.casefold().split()).removeprefix("@")
