"""Setting a program up in chat, without a YAML file.

program new                 a form (Slack modal, Teams dialog) or, in chat, one question at a time
program edit SLUG           the same, filled in with the program as it is
program show SLUG           the program as YAML, as ``tandem program add`` takes it

Tandem's admins (``TANDEM_ADMINS``) may add programs; a program's coordinators
(and the admins) may edit and show it. What is submitted goes through exactly
the validation of ``tandem program check``: the same errors, field by field.
The intake questions of a new program are the example program's (matching needs
them); a program may add its own free-text questions, one per line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import yaml

from bot import forms
from bot import outbound as m
from bot.admin import bundled_programs
from bot.events import FormValue
from bot.model import Conversation, Program
from bot.program.loading import parse_program, program_to_data
from bot.program.problems import ProgramError
from bot.program.spec import CADENCE_WEEKS, Format
from bot.turn import Turn

_EXTRA = "extra"  # the keys of a program's own free-text questions: extra1, extra2, ...
_CRITERION = re.compile(r"^\s*([a-z_]+)\s*(>=|<=)\s*(-?\d+(?:\.\d+)?)\s*:\s*(.+)$")
_SEPARATOR = re.compile(r"\s*\n\s*|\s+\|\s+")
_STOP = frozenset({"cancel", "stop", "quit", "later"})
_KEEP = frozenset({"keep", "ok", "same"})
_TEXT_MAX = 3000


@dataclass(frozen=True)
class _Field:
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
_FIELDS = (
    _Field(
        "slug",
        "Short name",
        "2-40 lowercase letters, digits or dashes, e.g. sales-mentoring",
        max_length=40,
    ),
    _Field("name", "Name", max_length=80),
    _Field("description", "What it is, in a sentence or two", max_length=600),
    _Field("objectives", "Objectives", "one per line", lines=True, max_length=_TEXT_MAX),
    _Field(
        "success_criteria",
        "Success criteria",
        "one per line: “monthly_meeting_rate >= 70: At least 70% of pairs meet monthly”, "
        "or plain words (shown, not measured)",
        lines=True,
        max_length=_TEXT_MAX,
    ),
    _Field("format", "Format", choices=_FORMATS),
    _Field("cadence", "Cadence", choices=tuple((c, c.capitalize()) for c in CADENCE_WEEKS)),
    _Field(
        "duration_months",
        "Duration",
        choices=tuple((str(n), f"{n} months") for n in range(6, 13)),
    ),
    _Field(
        "meeting_minutes",
        "Meeting length",
        choices=tuple((str(n), f"{n} minutes") for n in (15, 20, 30, 45, 60, 90, 120)),
    ),
    _Field(
        "expectations",
        "What's expected of people",
        "one per line",
        lines=True,
        max_length=_TEXT_MAX,
    ),
    _Field(
        "agreement",
        "The mentoring agreement",
        "one point per line",
        lines=True,
        max_length=_TEXT_MAX,
    ),
    _Field("skills", "Skills list", "one per line, at least two", lines=True, max_length=_TEXT_MAX),
    _Field(
        "extra_questions",
        "Your own intake questions",
        "optional, one per line, answered in a few words; the matching questions are always asked",
        lines=True,
        max_length=_TEXT_MAX,
        optional=True,
    ),
)


# --- the command ---------------------------------------------------------------------


def program_command(turn: Turn, args: str) -> None:
    verb, _, rest = args.strip().partition(" ")
    slug = rest.strip().casefold()
    if verb.casefold() == "new":
        _new(turn)
    elif verb.casefold() in ("edit", "show"):
        program = _managed(turn, slug, verb.casefold())
        if program is not None and verb.casefold() == "edit":
            _start(turn, program)
        elif program is not None:
            _show(turn, program)
    else:
        turn.say(
            "Say “program new” to set up a program, “program edit SLUG” to change one, or "
            "“program show SLUG” to see one as YAML."
        )


def _new(turn: Turn) -> None:
    if not turn.is_admin:
        turn.say(
            "Only Tandem's admins can add programs (ask yours, or see TANDEM_ADMINS in the "
            "README). A program's coordinators can change it with “program edit”."
        )
        return
    _start(turn, None)


def _managed(turn: Turn, slug: str, verb: str) -> Program | None:
    program = turn.program(slug) if slug else None
    if program is None:
        mine = [p.slug for p in turn.programs() if _may_manage(turn, p)]
        known = f" Yours: {', '.join(mine)}." if mine else ""
        turn.say(f"Say “program {verb} SLUG” with a program's short name.{known}")
        return None
    if not _may_manage(turn, program):
        turn.say(f"Only {program.spec.name}'s coordinators and Tandem's admins can do that.")
        return None
    return program


def _may_manage(turn: Turn, program: Program) -> bool:
    return turn.is_admin or program.spec.coordinated_by(turn.person.external_id)


def _show(turn: Turn, program: Program) -> None:
    text = yaml.safe_dump(program_to_data(program.spec), sort_keys=False, allow_unicode=True)
    turn.reply(
        m.para(f"{program.spec.name}, as YAML (“tandem program add FILE” takes it as it is):"),
        m.Code(text),
        summary=f"{program.spec.name} as YAML",
    )


# --- the form ----------------------------------------------------------------------


def _start(turn: Turn, program: Program | None) -> None:
    if turn.event.surface.forms:
        turn.show_form(_form(program))
        return
    turn.remember(Conversation("setup", {"slug": program.slug if program else "", "values": {}}))
    _ask(turn, program, 0, _intro(program))


def _intro(program: Program | None) -> str:
    what = f"Changing {program.spec.name}" if program else "A new program"
    keep = ", “keep” to leave an answer as it is" if program else ""
    return (
        f"{what}: {len(_fields(program))} questions. Reply “cancel” to stop{keep}. Lists "
        "take one item per line, or items separated by “ | ”."
    )


def _fields(program: Program | None) -> tuple[_Field, ...]:
    return _FIELDS if program is None else _FIELDS[1:]  # a program's slug stays


def _form(program: Program | None) -> forms.Form:
    current = _current(program)
    fields: list[forms.Field] = []
    for f in _fields(program):
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
    return forms.Form(f"setup:{program.slug if program else ''}", title, "Save", tuple(fields))


def form_for(turn: Turn, args: Sequence[str]) -> forms.Form | None:
    """The form again (to show it with its errors)."""
    slug = args[0] if args else ""
    return _form(turn.program(slug) if slug else None)


def _current(program: Program | None) -> dict[str, str]:
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
    extra = [q.prompt for q in spec.questions if q.key.startswith(_EXTRA)]
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


def submitted(turn: Turn, args: Sequence[str], values: Mapping[str, FormValue]) -> None:
    """The program form was submitted (or the chat questions all answered)."""
    slug = args[0] if args else ""
    program = turn.program(slug) if slug else None
    allowed = (program is None and turn.is_admin) or (
        program is not None and _may_manage(turn, program)
    )
    if not allowed or (slug and program is None):
        turn.form_errors["_"] = "You can't change this program; please close the form."
        return
    plain = {k: v if isinstance(v, str) else "\n".join(v) for k, v in values.items()}
    data = _data(turn, program, plain)
    try:
        spec = parse_program(data, "the form")
    except ProgramError as error:
        turn.form_errors.update(_by_field(error.problems))
        return
    if program is None and turn.program(spec.slug) is not None:
        turn.form_errors["slug"] = f"A program called {spec.slug} exists already."
        return
    turn.uow.programs.put(turn.workspace.id, spec, turn.now)
    done = "Saved the changes to" if program else "Added"
    turn.say(
        f"{done} {spec.name} ({spec.slug}). Say “program show {spec.slug}” to see it as "
        f"YAML{'' if program else ', and “join ' + spec.slug + '” to try joining it'}."
    )


def _data(turn: Turn, program: Program | None, values: Mapping[str, str]) -> dict[str, Any]:
    base = program.spec if program else bundled_programs()[0]
    data = program_to_data(base)
    if program is None:
        data["coordinators"] = [turn.person.external_id]
        data["channel"] = None
        data["schedule"] = {**data["schedule"], "first_round": None}
    for f in _fields(program):
        raw = values.get(f.name, "")
        if f.name == "extra_questions":
            data["questions"] = _questions(data["questions"], _items(raw))
        elif f.name == "success_criteria":
            data[f.name] = [_criterion(line) for line in _items(raw)]
        elif f.lines:
            data[f.name] = _items(raw)
        elif f.name in ("duration_months", "meeting_minutes"):
            data[f.name] = int(raw) if raw.strip().isdigit() else raw
        else:
            data[f.name] = raw.strip()
    return data


def _items(raw: str) -> list[str]:
    return [x.strip() for x in _SEPARATOR.split(raw) if x.strip()]


def _criterion(line: str) -> str | dict[str, Any]:
    found = _CRITERION.match(line)
    if found is None:
        return line
    metric, comparison, number, label = found.groups()
    bound = "at_least" if comparison == ">=" else "at_most"
    return {"label": label.strip(), "metric": metric, bound: float(number)}


def _questions(questions: list[dict[str, Any]], extra: list[str]) -> list[dict[str, Any]]:
    kept = [q for q in questions if not str(q.get("key", "")).startswith(_EXTRA)]
    added = [
        {
            "key": f"{_EXTRA}{n}",
            "label": prompt[:40],
            "kind": "text",
            "prompt": prompt,
            "optional": True,
            "max_length": 300,
        }
        for n, prompt in enumerate(extra, start=1)
    ]
    intro = [q for q in kept if q.get("key") == "intro"]  # "about me" stays last
    return [q for q in kept if q.get("key") != "intro"] + added + intro


def _by_field(problems: Sequence[str]) -> dict[str, str]:
    """The problems, by the form field they are about (the rest under ``_``)."""
    errors: dict[str, list[str]] = {}
    names = {f.name for f in _FIELDS}
    for problem in problems:
        head = re.split(r"[.\[:]", problem, maxsplit=1)[0].strip()
        field = "extra_questions" if head == "questions" else head if head in names else "_"
        errors.setdefault(field, []).append(problem)
    return {k: "; ".join(v)[:1000] for k, v in errors.items()}


# --- in chat: one question at a time ----------------------------------------------------


class SetupFlow:
    """The program form, asked a question at a time where no form can be shown."""

    def on_text(self, turn: Turn, conversation: Conversation, text: str) -> None:
        slug = str(conversation.get("slug", ""))
        program = turn.program(slug) if slug else None
        values = dict(conversation.get("values") or {})
        fields = _fields(program)
        index = len(values)
        if (slug and program is None) or index >= len(fields):
            turn.forget_conversation()
            turn.say("That program is gone; nothing was changed.")
            return
        word = text.strip().casefold()
        if word in _STOP:
            turn.forget_conversation()
            turn.say("Stopped; nothing was changed.")
            return
        field = fields[index]
        answer = _answer(field, program, text, word)
        if answer is None:
            turn.say(_choices_hint(field))
            return
        values[field.name] = answer
        if index + 1 < len(fields):
            turn.remember(Conversation("setup", {"slug": slug, "values": values}))
            _ask(turn, program, index + 1)
            return
        self._finish(turn, program, slug, values)

    def _finish(
        self, turn: Turn, program: Program | None, slug: str, values: dict[str, str]
    ) -> None:
        submitted(turn, [slug], values)
        if not turn.form_errors:
            turn.forget_conversation()
            return
        # Ask again from the first field with a problem; keep the answers before it.
        errors = dict(turn.form_errors)
        turn.form_errors.clear()
        fields = _fields(program)
        first = next((i for i, f in enumerate(fields) if f.name in errors), len(fields) - 1)
        kept = {f.name: values[f.name] for f in fields[:first]}
        turn.remember(Conversation("setup", {"slug": slug, "values": kept}))
        problems = "; ".join(errors.values())
        _ask(turn, program, first, f"That doesn't work yet: {problems[:600]}")

    def on_choice(self, turn: Turn, args: Sequence[str], values: tuple[str, ...]) -> None:
        conversation = turn.conversation()
        if conversation is None or conversation.flow != "setup":
            turn.say("That question isn't open any more. Say “program new” to start again.")
            return
        self.on_text(turn, conversation, values[0] if values else "")


def _answer(field: _Field, program: Program | None, text: str, word: str) -> str | None:
    if word in _KEEP and program is not None:
        return _current(program).get(field.name, "")
    if field.optional and word == "skip":
        return ""
    if field.choices:
        by_label = {label.casefold(): value for value, label in field.choices}
        values = {value for value, _ in field.choices}
        picked = by_label.get(word, word if word in values else None)
        if picked is None and word.isdigit() and 1 <= int(word) <= len(field.choices):
            picked = field.choices[int(word) - 1][0]
        return picked
    return text.strip()[: field.max_length]


def _choices_hint(field: _Field) -> str:
    return f"Please pick one: {', '.join(label for _, label in field.choices)}."


def _ask(turn: Turn, program: Program | None, index: int, preface: str = "") -> None:
    fields = _fields(program)
    field = fields[index]
    blocks: list[m.Block] = [m.para(preface)] if preface else []
    blocks.append(m.para(m.Bold(f"{index + 1} of {len(fields)}. {field.label}")))
    if field.hint:
        blocks.append(m.Note(field.hint))
    current = _current(program).get(field.name, "") if program else ""
    if current and not field.choices:
        blocks.append(m.Note(f"Now: {current.replace(chr(10), ' | ')[:300]} (“keep” keeps it)"))
    if field.choices:
        blocks.append(m.Buttons("setup", m.options(*field.choices)))
    if field.optional:
        blocks.append(m.Note("Optional: reply “skip” to leave it out."))
    turn.reply(*blocks, summary=f"{field.label}?", kind="survey")
