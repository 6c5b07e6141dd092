"""A submitted program form (or the chat's answers): checked exactly like a program
file (``tandem program check``), saved, or its problems told field by field."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from bot.admin import bundled_programs
from bot.events import FormValue
from bot.flows.program_form import EXTRA, FIELDS, fields_for
from bot.model import Program
from bot.program.loading import parse_program, program_to_data
from bot.program.problems import ProgramError
from bot.turn import Turn

_CRITERION = re.compile(r"^\s*([a-z_]+)\s*(>=|<=)\s*(-?\d+(?:\.\d+)?)\s*:\s*(.+)$")
_SEPARATOR = re.compile(r"\s*\n\s*|\s+\|\s+")


def may_manage(turn: Turn, program: Program) -> bool:
    """Tandem's admins and the program's coordinators may change it."""
    return turn.is_admin or program.spec.coordinated_by(turn.person.user_id)


def submitted(turn: Turn, args: Sequence[str], values: Mapping[str, FormValue]) -> None:
    """The program form was submitted (or the chat questions all answered)."""
    slug = args[0] if args else ""
    program = turn.program(slug) if slug else None
    allowed = (program is None and turn.is_admin) or (
        program is not None and may_manage(turn, program)
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
        data["coordinators"] = [turn.person.user_id]
        data["channel"] = None
        data["schedule"] = {**data["schedule"], "first_round": None}
    for f in fields_for(program):
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
    kept = [q for q in questions if not str(q.get("key", "")).startswith(EXTRA)]
    added = [
        {
            "key": f"{EXTRA}{n}",
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
    names = {f.name for f in FIELDS}
    for problem in problems:
        head = re.split(r"[.\[:]", problem, maxsplit=1)[0].strip()
        field = "extra_questions" if head == "questions" else head if head in names else "_"
        errors.setdefault(field, []).append(problem)
    return {k: "; ".join(v)[:1000] for k, v in errors.items()}
