"""Reading a program: YAML text, a file or plain data, checked at load time.

A program file is a page or two of YAML; anything far bigger is a mistake (or an
attack), refused before it is parsed. Deep nesting and YAML aliases have no use
in a program and are how a small file becomes a huge document.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from bot.program.problems import MAX_PROBLEMS, ProgramError, describe, yaml_problem
from bot.program.spec import ProgramSpec

MAX_PROGRAM_BYTES = 256 * 1024
MAX_DEPTH = 12


def parse_program(data: object, source: str = "<program>") -> ProgramSpec:
    """Validate already-parsed YAML/JSON data as a program."""
    if not isinstance(data, dict):
        raise ProgramError(source, ["a program must be a mapping of fields (name: ..., ...)"])
    try:
        return ProgramSpec.model_validate(data)
    except ValidationError as error:
        problems = [describe(e, data) for e in error.errors()[:MAX_PROBLEMS]]
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
        raise ProgramError(source, [yaml_problem(error)]) from None
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
