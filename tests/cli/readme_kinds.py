"""How each kind of README command is run, as the table (tests/cli/readme_table.py)
says: ``Run`` as printed or with substitutions and ``[optional]`` parts,
``Environment`` for ``export`` lines, ``Serve`` for long-running servers,
``LeftToCI`` for what ``.ci/run`` runs, ``Mentioned`` for a command only named."""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

from tests.cli.readme_checks import INPUTS
from tests.cli.readme_parsing import ROOT, optional_variants, substitute
from tests.cli.readme_running import (
    Check,
    Ran,
    Scratch,
    make_recipes,
    make_words,
    post_status,
    stop,
    wait_for_health,
)


@dataclass(frozen=True)
class Run:
    """(a) run as printed, or (b) with the stated substitutions; exit 0, no traceback."""

    why: str
    subs: tuple[tuple[str, str], ...] = ()
    optional: bool = False  # a synopsis: run without the [optional] parts, and with them
    stdin: str = ""
    inputs: tuple[str, ...] = ()  # files from INPUTS made in the scratch directory first
    copy: tuple[str, ...] = ()  # repository paths copied into the scratch directory first
    check: Check | None = None  # what the command's result must show
    timeout: float = 60

    def variants(self, text: str) -> list[str]:
        used = substitute(text, self.subs)
        return optional_variants(used) if self.optional else [used]

    def prepare(self, scratch: Scratch) -> None:
        for name in self.inputs:
            INPUTS[name](scratch)
        for relative in self.copy:
            source = ROOT / relative
            if source.is_dir():
                ignore = shutil.ignore_patterns("__pycache__")
                shutil.copytree(source, scratch.path / relative, ignore=ignore)
            else:
                shutil.copy2(source, scratch.path / relative)

    def execute(self, command: str, scratch: Scratch) -> None:
        self.prepare(scratch)
        before = {relative: _listing(ROOT / relative) for relative in self.copy}
        ran = scratch.run(command, stdin=self.stdin, timeout=self.timeout)
        for relative, listing in before.items():
            assert _listing(ROOT / relative) == listing, (
                f"{command!r} changed the repository's {relative}, not its copy"
            )
        assert ran.returncode == 0, ran.explain()
        assert "Traceback" not in ran.stderr + ran.stdout, ran.explain()
        if self.check is not None:
            self.check(ran)

    def replay(self, command: str, scratch: Scratch) -> None:
        """As an earlier command of a block: its effects are what the later ones need."""
        self.prepare(scratch)
        ran = scratch.run(command, stdin=self.stdin, timeout=self.timeout)
        assert ran.returncode == 0, f"an earlier command of this block failed:\n{ran.explain()}"


@dataclass(frozen=True)
class Environment:
    """An ``export`` line: run, then in force for the block's later commands."""

    why: str
    subs: tuple[tuple[str, str], ...] = ()

    def variants(self, text: str) -> list[str]:
        return [substitute(text, self.subs)]

    def execute(self, command: str, scratch: Scratch) -> None:
        ran = scratch.run(command)
        assert ran.returncode == 0 and not ran.stderr, ran.explain()

    def replay(self, command: str, scratch: Scratch) -> None:
        scratch.prelude.append(scratch.fill(command))


# A platform whose credentials are set has its route, and it refuses an unsigned request.
ROUTES = {
    "SLACK_SIGNING_SECRET": "/slack/events",
    "MICROSOFT_APP_ID": "/api/messages",
    "TANDEM_PUBLIC_URL": "/dashboard/logout",  # signing out without a session
}


@dataclass(frozen=True)
class Serve:
    """(c) long-running: started on a free port until /healthz says 200, then stopped."""

    why: str
    subs: tuple[tuple[str, str], ...] = ()
    # Where only real credentials could work (Socket Mode dials out to Slack), a clear
    # message and a non-zero exit are the right outcome too; a traceback never is.
    may_refuse: bool = False

    def variants(self, text: str) -> list[str]:
        return [substitute(text, self.subs)]

    def execute(self, command: str, scratch: Scratch) -> None:
        process = scratch.start(command)
        probes: dict[str, int] = {}
        exited: int | None = None
        try:
            health = wait_for_health(process, scratch.port)
            exited = process.poll()
            if health.status == 200:
                script = scratch.script(command)
                for variable, path in ROUTES.items():
                    if f"{variable}=" in script and "--socket-mode" not in command:
                        probes[path] = post_status(scratch.port, path)
        finally:
            out, err = stop(process)
        ran = Ran(scratch.fill(command), scratch.path, process.returncode, out, err)
        assert "Traceback" not in err + out, ran.explain()
        if exited is not None and self.may_refuse:
            message = err.strip().splitlines()[-1] if err.strip() else ""
            assert exited != 0 and message, f"no clear reason for stopping:\n{ran.explain()}"
            return
        assert health.status == 200, f"GET /healthz: {health}\n{ran.explain()}"
        assert json.loads(health.body)["status"] == "ok", health.body
        assert f"Tandem is running on port {scratch.port}" in out, ran.explain()
        assert probes == dict.fromkeys(probes, 401), f"unsigned requests: {probes}"

    def replay(self, command: str, scratch: Scratch) -> None:
        """A server started earlier in a block leaves nothing the later commands need."""


@dataclass(frozen=True)
class LeftToCI:
    """(d) CI's job (``.ci/run``): not run here; the Makefile target (or script) must exist."""

    why: str
    make: str | None = None  # the make command this stands for (default: the command itself)
    mentions: tuple[str, ...] = ()  # what its recipe (or script) must contain
    script: str | None = None  # a script in the repository instead of a make target

    def variants(self, text: str) -> list[str]:
        return [text]

    def execute(self, command: str, scratch: Scratch) -> None:
        if self.script is not None:
            path = ROOT / self.script
            assert path.is_file() and path.stat().st_mode & 0o111, f"{path} is not executable"
            text = path.read_text(encoding="utf-8")
            for needed in self.mentions:
                assert needed in text, f"{self.script} no longer runs {needed!r}"
            return
        makefile = ROOT / "Makefile"
        recipes = make_recipes(makefile)
        targets, variables = make_words(self.make or command)
        for target in targets:
            assert target in recipes, f"the Makefile has no target {target!r} ({command!r})"
        source = makefile.read_text(encoding="utf-8")
        for variable in variables:
            assert f"$({variable})" in source, f"the Makefile does not use {variable}"
        recipe = "".join(recipes[target] for target in targets)
        for needed in self.mentions:
            assert needed in recipe, f"`make {' '.join(targets)}` no longer runs {needed!r}"

    def replay(self, command: str, scratch: Scratch) -> None:
        """Not run here, so nothing to replay."""


@dataclass(frozen=True)
class Mentioned:
    """A command only named in the prose (a heading, "when `tandem chat` starts"): its
    ``--help`` must work, so the name is still a real command."""

    why: str

    def variants(self, text: str) -> list[str]:
        return [f".venv/bin/{text} --help"]

    def execute(self, command: str, scratch: Scratch) -> None:
        ran = scratch.run(command)
        assert ran.returncode == 0 and ran.stdout.startswith("Usage:"), ran.explain()

    def replay(self, command: str, scratch: Scratch) -> None:
        """Only asks for help: nothing to replay."""


Kind = Run | Environment | Serve | LeftToCI | Mentioned


def _listing(path: Path) -> list[str]:
    if path.is_file():
        return [path.name]
    return sorted(
        str(item.relative_to(path)) for item in path.rglob("*") if "__pycache__" not in item.parts
    )
