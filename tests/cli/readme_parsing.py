"""The shell commands README.md shows, found by parsing it (when the tests are
collected), and the placeholders and ``[optional]`` parts of their synopses.
``tests/cli/readme_table.py`` holds the table that says how each command is run;
``tests/cli/readme_running.py`` runs them.

What counts as a command:

- every line of a ```` ```sh ```` block, after joining ``\\`` continuations and
  dropping a trailing ``# comment``;
- an inline code span in the prose that reads as a shell command: it starts
  (after any ``NAME=value`` assignments) with ``.venv/bin/``, ``.ci/``, or
  ``tandem``, ``make``, ``python``, ``alembic`` followed by an argument. The
  alembic recipe, ``make pytest PYTEST_ARGS=...`` and ``tandem db upgrade`` are
  only shown that way.

Blocks fenced with plain ```` ``` ```` (chat commands, the source tree) and
```` ```python ```` are not shell and are left to other tests.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"

# ---------------------------------------------------------------------------
# Finding the commands


@dataclass(frozen=True)
class Command:
    """One command as README.md prints it."""

    text: str
    line: int  # where it starts in README.md (1-based)
    block: str  # commands of one block share a scratch directory and run in order
    index: int  # position in its block

    @property
    def where(self) -> str:
        return f"README.md:{self.line}"


def strip_comment(line: str) -> str:
    """Drop a trailing ``# comment`` (a ``#`` after whitespace, outside quotes)."""
    quote = ""
    for position, char in enumerate(line):
        if quote:
            if char == quote:
                quote = ""
        elif char in "'\"":
            quote = char
        elif char == "#" and (position == 0 or line[position - 1].isspace()):
            return line[:position].rstrip()
    return line.rstrip()


def block_commands(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """(line number, command) for each command of a shell block, continuations joined."""
    commands: list[tuple[int, str]] = []
    pending: tuple[int, str] | None = None
    for number, raw in lines:
        text = strip_comment(raw)
        if pending is not None:
            text = f"{pending[1]} {text.strip()}"
            number = pending[0]
            pending = None
        if text.endswith("\\"):
            pending = (number, text[:-1].rstrip())
            continue
        if text.strip():
            commands.append((number, text.strip()))
    if pending is not None:
        commands.append(pending)
    return commands


_FENCE = re.compile(r"^(```+|~~~+)\s*(\S*)")
_SHELL_LANGUAGES = {"sh", "bash", "shell", "console"}
_INLINE = re.compile(r"(?<!`)`([^`]+)`(?!`)")
_ASSIGNMENT = r"(?:[A-Z_][A-Z0-9_]*=\S+\s+)*"
_SHELL_LIKE = re.compile(
    rf"^{_ASSIGNMENT}(?:\.venv/bin/\S+|\.ci/\S+|(?:tandem|make|python3?|alembic)\s+\S.*)"
)


def looks_like_shell(span: str) -> bool:
    return bool(_SHELL_LIKE.match(span))


def readme_commands(markdown: str) -> list[Command]:
    """Every shell command in the README: the sh blocks', then the prose's, in order."""
    found: list[Command] = []
    prose: list[tuple[int, str]] = []
    block: list[tuple[int, str]] | None = None
    language = ""
    fence = ""
    for number, line in enumerate(markdown.splitlines(), start=1):
        opening = _FENCE.match(line)
        if block is None and opening:
            fence, language, block = opening.group(1), opening.group(2).lower(), []
            prose.append((number, ""))
            continue
        if block is not None:
            if line.strip() == fence:
                if language in _SHELL_LANGUAGES:
                    name = f"block@{block[0][0] if block else number}"
                    for index, (start, text) in enumerate(block_commands(block)):
                        found.append(Command(text, start, name, index))
                block = None
            else:
                block.append((number, line))
            prose.append((number, ""))
            continue
        prose.append((number, line))
    found.extend(_inline_commands(prose))
    return found


def _inline_commands(prose: list[tuple[int, str]]) -> list[Command]:
    """Shell-like code spans of the prose, once each (a span may wrap onto the next line)."""
    seen: set[str] = set()
    found: list[Command] = []
    paragraph: list[tuple[int, str]] = []

    def flush() -> None:
        text = "\n".join(line for _, line in paragraph)
        for match in _INLINE.finditer(text):
            span = " ".join(match.group(1).split())
            if looks_like_shell(span) and span not in seen:
                seen.add(span)
                line = paragraph[0][0] + text.count("\n", 0, match.start())
                found.append(Command(span, line, f"inline@{line}", 0))
        paragraph.clear()

    for number, line in prose:
        if line.strip():
            paragraph.append((number, line))
        elif paragraph:
            flush()
    if paragraph:
        flush()
    return found


def read_readme() -> list[Command]:
    return readme_commands(README.read_text(encoding="utf-8"))


# ---------------------------------------------------------------------------
# Placeholders

TMP = "{tmp}"  # in a substitution: the command's scratch directory


def substitute(command: str, subs: tuple[tuple[str, str], ...]) -> str:
    """Apply each (printed, used) pair; a pair whose text is gone is a stale table entry."""
    for printed, used in subs:
        if printed not in command:
            raise LookupError(
                f"the substitution {printed!r} no longer matches {command!r}: "
                "update its entry in COMMANDS (tests/cli/readme_table.py)"
            )
        command = command.replace(printed, used)
    return command


_OPTIONAL = re.compile(r"\[([^\[\]]+)\]")
_ALTERNATIVES = re.compile(r"^[\w.-]+(?:\|[\w.-]+)+$")


def optional_variants(command: str) -> list[str]:
    """A synopsis with ``[optional]`` groups: once without them, once with all of them.

    ``a|b|c`` inside a group is a choice: the "with" run is made once per choice.
    """
    pieces = _OPTIONAL.split(command)  # text, group, text, group, ..., text
    texts, groups = pieces[0::2], pieces[1::2]
    if not groups:
        return [command]
    choices: list[list[str]] = []
    for group in groups:
        options: list[list[str]] = [[]]
        for word in group.split():
            alternatives = word.split("|") if _ALTERNATIVES.match(word) else [word]
            options = [[*chosen, alt] for chosen in options for alt in alternatives]
        choices.append([" ".join(chosen) for chosen in options])
    variants = [" ".join(" ".join(texts).split())]
    for picked in itertools.product(*choices):
        woven = [part for pair in zip(texts, [*picked, ""], strict=True) for part in pair]
        variants.append(" ".join(" ".join(woven).split()))
    return variants
