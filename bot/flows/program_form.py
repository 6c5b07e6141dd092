"""The program form: its fields, each field's current value, and the form itself
(a Slack modal, a Teams dialog); in chat the same fields are asked one at a time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from bot import forms
from bot import outbound as m
from bot.flow_names import FlowName
from bot.model import Program
from bot.program.spec import CADENCE_WEEKS, Format
from bot.turn import Turn

EXTRA = "extra"  # the keys of a program's own free-text questions: extra1, extra2, ...
_TEXT_MAX = 3000


@dataclass(frozen=True)
class SetupField:
    """One field of the program form (and one question of the chat)."""

    name: str
    label: str
    hint: str = ""
    lines: bool = False  # a list, one item per line
    choices: tuple[tuple[str, str], ...] = ()
    max_length: int = 300
    optional: bool = False


_FORMATS = (
    (Format.PEER_PAIRS.value, "Peer pairs"),
    (Format.MENTOR_MENTEE.value, "Mentor and mentee"),
    (Format.REVERSE.value, "Reverse mentoring"),
    (Format.CIRCLES.value, "Learning circles"),
    (Format.GROUP_MENTORING.value, "Group mentoring"),
)


FIELDS = (
    SetupField(
        "slug",
        "Short name",
        "2-40 lowercase letters, digits or dashes, e.g. sales-mentoring",
        max_length=40,
    ),
    SetupField("name", "Name", max_length=80),
    SetupField("description", "What it is, in a sentence or two", max_length=600),
    SetupField("objectives", "Objectives", "one per line", lines=True, max_length=_TEXT_MAX),
    SetupField(
        "success_criteria",
        "Success criteria",
        "one per line: “monthly_meeting_rate >= 70: At least 70% of pairs meet monthly”, "
        "or plain words (shown, not measured)",
        lines=True,
        max_length=_TEXT_MAX,
    ),
    SetupField("format", "Format", choices=_FORMATS),
    SetupField("cadence", "Cadence", choices=tuple((c, c.capitalize()) for c in CADENCE_WEEKS)),
    SetupField(
        "duration_months",
        "Duration",
        choices=tuple((str(n), f"{n} months") for n in range(6, 13)),
    ),
    SetupField(
        "meeting_minutes",
        "Meeting length",
        choices=tuple((str(n), f"{n} minutes") for n in (15, 20, 30, 45, 60, 90, 120)),
    ),
    SetupField(
        "expectations",
        "What's expected of people",
        "one per line",
        lines=True,
        max_length=_TEXT_MAX,
    ),
    SetupField(
        "agreement",
        "The mentoring agreement",
        "one point per line",
        lines=True,
        max_length=_TEXT_MAX,
    ),
    SetupField(
        "skills", "Skills list", "one per line, at least two", lines=True, max_length=_TEXT_MAX
    ),
    SetupField(
        "extra_questions",
        "Your own intake questions",
        "optional, one per line, answered in a few words; the matching questions are always asked",
        lines=True,
        max_length=_TEXT_MAX,
        optional=True,
    ),
)


def fields_for(program: Program | None) -> tuple[SetupField, ...]:
    """The fields asked: all for a new program; a program's slug stays as it is."""
    return FIELDS if program is None else FIELDS[1:]  # a program's slug stays


def build_form(program: Program | None) -> forms.Form:
    """The program form, empty for a new program or filled in with ``program``."""
    current = current_values(program)
    fields: list[forms.Field] = []
    for f in fields_for(program):
        if f.choices:
            fields.append(
                forms.ChoiceField(
                    f.name, f.label, m.options(*f.choices), initial=(current.get(f.name, ""),)
                )
            )
        else:
            fields.append(
                forms.TextField(
                    f.name,
                    f.label,
                    max_length=f.max_length,
                    multiline=f.lines or f.max_length > 200,
                    optional=f.optional,
                    hint=f.hint,
                    initial=current.get(f.name, ""),
                )
            )
    title = f"Edit {program.spec.name}"[:24] if program else "New program"
    return forms.Form(
        f"{FlowName.SETUP}:{program.slug if program else ''}", title, "Save", tuple(fields)
    )


def form_for(turn: Turn, args: Sequence[str]) -> forms.Form | None:
    """The form again (to show it with its errors)."""
    slug = args[0] if args else ""
    return build_form(turn.program(slug) if slug else None)


def current_values(program: Program | None) -> dict[str, str]:
    """Each field's value as the form shows it."""
    if program is None:
        return {
            "format": Format.PEER_PAIRS.value,
            "cadence": "biweekly",
            "duration_months": "6",
            "meeting_minutes": "30",
        }
    spec = program.spec
    criteria = [
        f"{c.metric} {'>=' if c.at_least is not None else '<='} "
        f"{_number(c.at_least if c.at_least is not None else c.at_most)}: {c.label}"
        if c.metric
        else c.label
        for c in spec.success_criteria
    ]
    extra = [q.prompt for q in spec.questions if q.key.startswith(EXTRA)]
    return {
        "name": spec.name,
        "description": spec.description,
        "objectives": "\n".join(spec.objectives),
        "success_criteria": "\n".join(criteria),
        "format": spec.format.value,
        "cadence": spec.cadence,
        "duration_months": str(spec.duration_months),
        "meeting_minutes": str(spec.meeting_minutes),
        "expectations": "\n".join(spec.expectations),
        "agreement": "\n".join(spec.agreement),
        "skills": "\n".join(spec.skills),
        "extra_questions": "\n".join(extra),
    }


def _number(value: float | None) -> str:
    return f"{value:g}" if value is not None else ""
