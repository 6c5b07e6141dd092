"""Running the commands README.md shows (tests/cli/readme_parsing.py finds them): each
in a fresh temporary directory whose ``.venv`` is a symlink to the repository's, with
``DATABASE_URL`` and ``TANDEM_DATA_DIR`` pointing into that directory, so nothing
touches the repository's ``data/``; long-running ones started, probed over HTTP
and stopped; ``make`` commands read against the Makefile's recipes."""

from __future__ import annotations

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

from tests.cli.readme_parsing import ROOT, TMP


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
