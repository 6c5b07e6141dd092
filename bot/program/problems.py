"""What is wrong with a program, told so that its writer can fix it.

Every problem names where it is (a field, a question by its key, a line of the
YAML) and quotes at most a little of what was written: an error never repeats a
whole file.
"""

from __future__ import annotations

from typing import Any

import yaml

MAX_PROBLEMS = 30
QUOTED = 60  # characters of someone's value an error quotes


class ProgramError(Exception):
    """A program definition is not valid; ``problems`` say where and why."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source = source
        self.problems = problems
        super().__init__("\n".join(f"{source}: {p}" for p in problems))


def yaml_problem(error: yaml.YAMLError) -> str:
    """Where YAML text could not be read, and why."""
    mark = getattr(error, "problem_mark", None)
    where = f"line {mark.line + 1}, column {mark.column + 1}: " if mark else ""
    problem = getattr(error, "problem", None) or "not valid YAML"
    return f"{where}{problem}"


def describe(error: Any, data: dict[str, Any]) -> str:
    """One of pydantic's errors, as a line its writer understands."""
    loc = _location(error["loc"], data)
    message = brief(str(error["msg"]).removeprefix("Value error, "), 600)
    got = error.get("input")
    shown = (
        f" (got {brief(repr(got), QUOTED)})" if isinstance(got, str | int | float) and loc else ""
    )
    return f"{loc}: {message}{shown}" if loc else message


def brief(text: str, most: int) -> str:
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
            parts.append(brief(str(item), 40))
            node = node.get(item) if isinstance(node, dict) else None
    return ".".join(parts)


def _is_tag(item: object) -> bool:
    """Pydantic puts the union member's tag in the location; it is noise to a reader."""
    return item in {"text", "choice", "multi", "yesno", "timezone", "hours", "people"}
