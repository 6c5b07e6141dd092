"""The shell commands README.md shows, and how to run them in a scratch directory.

``tests/cli/test_readme.py`` holds the table that says how each command is run;
this module finds the commands (parsing README.md when the tests are collected),
and runs them: each in a fresh temporary directory whose ``.venv`` is a symlink
to the repository's, with ``DATABASE_URL`` and ``TANDEM_DATA_DIR`` pointing into
that directory, so nothing touches the repository's ``data/``.

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
import os
import re
import shlex
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
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
                "update its entry in COMMANDS (tests/cli/test_readme.py)"
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


# ---------------------------------------------------------------------------
# Running them


@dataclass(frozen=True)
class Ran:
    """What a command did."""

    command: str
    cwd: Path
    returncode: int
    stdout: str
    stderr: str

    def explain(self) -> str:
        return (
            f"$ {self.command}\n(in {self.cwd}) exit {self.returncode}\n"
            f"--- stdout (last 2000 chars)\n{self.stdout[-2000:]}\n"
            f"--- stderr (last 2000 chars)\n{self.stderr[-2000:]}"
        )


# Variables of the process running the tests that must not leak into the README's commands.
_PRIVATE = ("SLACK_", "MICROSOFT_", "TEAMS_", "TANDEM_")
_PRIVATE_NAMES = {"DATABASE_URL", "PORT"}


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Scratch:
    """A fresh directory to run README commands in, as a newcomer would in the repository."""

    path: Path
    port: int = field(default_factory=free_port)
    prelude: list[str] = field(default_factory=list)  # the block's `export` lines so far

    def __post_init__(self) -> None:
        (self.path / ".venv").symlink_to((ROOT / ".venv").resolve(), target_is_directory=True)

    def env(self) -> dict[str, str]:
        environment = {
            name: value
            for name, value in os.environ.items()
            if name not in _PRIVATE_NAMES and not name.startswith(_PRIVATE)
        }
        environment.update(
            DATABASE_URL=f"sqlite:///{self.path}/tandem.db",
            TANDEM_DATA_DIR=str(self.path / "data"),
            PORT=str(self.port),
        )
        return environment

    def fill(self, command: str) -> str:
        return command.replace(TMP, str(self.path))

    def script(self, command: str) -> str:
        return "\n".join([*self.prelude, self.fill(command)])

    def run(self, command: str, *, stdin: str = "", timeout: float = 60) -> Ran:
        result = subprocess.run(
            ["bash", "-c", self.script(command)],
            input=stdin,
            capture_output=True,
            text=True,
            cwd=self.path,
            env=self.env(),
            timeout=timeout,
            check=False,
        )
        return Ran(self.fill(command), self.path, result.returncode, result.stdout, result.stderr)

    def start(self, command: str) -> subprocess.Popen[str]:
        """A long-running command, in a process group of its own so it can be stopped whole."""
        return subprocess.Popen(
            ["bash", "-c", self.script(command)],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=self.path,
            env=self.env(),
            start_new_session=True,
        )


def stop(process: subprocess.Popen[str], timeout: float = 20) -> tuple[str, str]:
    """SIGTERM to the process group we started (bash and the server), then its output."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
    try:
        return process.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        return process.communicate(timeout=timeout)


@dataclass(frozen=True)
class Health:
    status: int | None  # None: the process exited first
    body: str


def wait_for_health(process: subprocess.Popen[str], port: int, within: float = 30) -> Health:
    """Poll ``GET /healthz`` until it answers, the process exits, or ``within`` runs out."""
    deadline = time.monotonic() + within
    url = f"http://127.0.0.1:{port}/healthz"
    while time.monotonic() < deadline:
        if process.poll() is not None:
            return Health(None, "")
        try:
            with urllib.request.urlopen(url, timeout=2) as reply:
                return Health(int(reply.status), reply.read().decode())
        except urllib.error.HTTPError as error:
            return Health(error.code, error.read().decode())
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.2)  # the server is starting
    return Health(None, f"no answer from {url} within {within:.0f} s")


def post_status(port: int, path: str) -> int:
    """The status of an unauthenticated, empty JSON POST."""
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}",
        data=b"{}",
        headers={"Content-Type": "application/json"},
        method="POST",
    )
    try:
        with urllib.request.urlopen(request, timeout=5) as reply:
            return int(reply.status)
    except urllib.error.HTTPError as error:
        return error.code


_RULE = re.compile(r"^([A-Za-z0-9_.$()/ -]+?)\s*::?(?!=)")


def make_recipes(makefile: Path) -> dict[str, str]:
    """Each target of a Makefile and its recipe (the tab-indented lines under it)."""
    recipes: dict[str, str] = {}
    current: list[str] = []
    for line in makefile.read_text(encoding="utf-8").splitlines():
        if line.startswith("\t"):
            for target in current:
                recipes[target] += line.strip() + "\n"
            continue
        rule = _RULE.match(line)
        current = rule.group(1).split() if rule else []
        for target in current:
            recipes.setdefault(target, "")
    return recipes


def make_words(command: str) -> tuple[list[str], dict[str, str]]:
    """``make a b VAR=x`` -> (["a", "b"], {"VAR": "x"})."""
    words = shlex.split(command)
    if not words or words[0] != "make":
        raise ValueError(f"not a make command: {command!r}")
    targets = [word for word in words[1:] if "=" not in word and not word.startswith("-")]
    variables = dict(word.split("=", 1) for word in words[1:] if "=" in word)
    return targets, variables


Check = Callable[[Ran], None]
Inputs = Mapping[str, Callable[[Scratch], None]]
