"""Every shell command README.md shows is run here, so the README cannot drift from the product.

README.md is parsed when the tests are collected (``tests/cli/readme_parsing.py``):
every line of each ```` ```sh ```` block, and shell commands quoted inline in the
prose. Each one must have an entry in COMMANDS below that says how it is run:

(a) ``Run()``: as printed;
(b) ``Run(subs=...)``, ``Run(optional=True)``: with the stated substitutions for
    placeholders, and synopses with ``[optional]`` parts once without them and once
    with all of them (once per choice of ``a|b|c``);
(c) ``Serve(...)``: long-running: started with fake but well-formed credentials on a
    free port until ``GET /healthz`` answers 200, then stopped (or, where the
    credentials can only be real, a clear message and a non-zero exit);
(d) ``LeftToCI(...)``: ``make demo``/``make test``/``make bench`` and the like are
    CI's job (``.ci/run`` runs them): only the Makefile's targets are checked;
plus ``Environment(...)`` for ``export`` lines (run, then in force for the rest of
their block) and ``Mentioned()`` for a command only named in the prose (its
``--help`` must work).

A README command missing from the table fails, with a message saying to add it;
an entry whose command left the README fails too, so the table follows the README.

The commands of a block run in order in one scratch directory: a command's test
first replays the block's earlier commands (``program example > my-program.yaml``
before ``program check my-program.yaml``). The scratch directory has ``.venv`` (a
symlink to the repository's) and its own DATABASE_URL and TANDEM_DATA_DIR, so
nothing touches the repository's ``data/``.
"""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from tests.cli.readme_parsing import (
    README,
    ROOT,
    TMP,
    Command,
    optional_variants,
    read_readme,
    readme_commands,
    substitute,
)
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

# ---------------------------------------------------------------------------
# How each kind of command is run


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

# ---------------------------------------------------------------------------
# Inputs and checks

PEOPLE = (
    "id,name,timezone,level,department,manager,offers,wants,goals,role,avoid\n"
    "a1,Ana Lima,Europe/Berlin,5,Data,,SQL;Python,Public speaking,Grow technical depth,mentor,\n"
    "b2,Bo Chen,Europe/London,2,Product,,Public speaking,SQL;Python,Grow technical depth,mentee,\n"
    "c3,Cy Diaz,Europe/Paris,6,Engineering,,Kubernetes;Python,Negotiation,,either,\n"
    "d4,Di Eze,Europe/Madrid,1,Sales,,Negotiation,Kubernetes;Python,,mentee,\n"
    "e5,Ed Fox,Europe/Berlin,3,Design,,UX research,Python,,peer,\n"
    "f6,Flo Gray,Europe/Rome,4,Finance,,Python,UX research,,peer,\n"
)
PEOPLE_IDS = {"a1", "b2", "c3", "d4", "e5", "f6"}
HISTORY = "a,b,date\na1,b2,2026-06-01\n"  # a1 and b2 met within the year: never again


def _write(name: str, text: str) -> Callable[[Scratch], None]:
    def make(scratch: Scratch) -> None:
        (scratch.path / name).write_text(text, encoding="utf-8")

    return make


EXAMPLE_PROGRAM = ROOT / "bot/content/programs/engineering-growth.yaml"


def _example_program(scratch: Scratch) -> None:
    """my-program.yaml as `tandem program example > my-program.yaml` writes it: that command
    prints this file (its own test runs it); copying saves starting tandem once more."""
    shutil.copy2(EXAMPLE_PROGRAM, scratch.path / "my-program.yaml")


def _demo_database(scratch: Scratch) -> None:
    """A small demo's database where the README's step-in command expects one."""
    ran = scratch.run(".venv/bin/tandem demo --people 40 --out data/demo", timeout=180)
    assert ran.returncode == 0, ran.explain()
    assert (scratch.path / "data" / "demo" / "demo.db").exists()


INPUTS: dict[str, Callable[[Scratch], None]] = {
    "data/demo/demo.db": _demo_database,
    "people.csv": _write("people.csv", PEOPLE),
    "pairs.csv": _write("pairs.csv", HISTORY),
    "my-program.yaml": _example_program,
}


def _contains(*expected: str) -> Check:
    def check(ran: Ran) -> None:
        for text in expected:
            assert text in ran.stdout, f"{text!r} not in the output:\n{ran.explain()}"

    return check


def _enrolment_completes(ran: Ran) -> None:
    """The piped answers take the survey to its end, each question asked once: none refused."""
    printed = re.search(r"printf '([^']*)'", ran.command)
    name = re.search(r"--as (\S+)", ran.command)
    assert printed and name, ran.command
    lines = printed.group(1).split("\\n")
    lines = lines[:-1] if lines[-1] == "" else lines
    assert lines[0].startswith("join ") and lines[1] == "I agree", lines
    answers = len(lines) - 2
    asked = re.findall(r"^Question (\d+) of (\d+)\.", ran.stdout, flags=re.MULTILINE)
    totals = {int(total) for _, total in asked}
    assert totals == {answers}, (
        f"the README pipes {answers} answers; the survey asks {sorted(totals)} questions"
        f"\n{ran.explain()}"
    )
    numbers = [int(number) for number, _ in asked]
    assert numbers == list(range(1, answers + 1)), (
        f"a question was asked again (an answer refused?): {numbers}\n{ran.explain()}"
    )
    assert f"== You're in, {name.group(1)}! ==" in ran.stdout, ran.explain()
    assert ran.stdout.count(f"{name.group(1)}> ") == len(lines), ran.explain()


def _program_example_written(ran: Ran) -> None:
    written = (ran.cwd / "my-program.yaml").read_text(encoding="utf-8")
    program = yaml.safe_load(written)
    assert isinstance(program, dict) and program.get("slug"), ran.explain()
    # What the other commands' inputs copy (INPUTS["my-program.yaml"]).
    assert written == EXAMPLE_PROGRAM.read_text(encoding="utf-8")


def _match_written(ran: Ran) -> None:
    data = json.loads((ran.cwd / "matches.json").read_text(encoding="utf-8"))
    assert set(data) >= {"matches", "unmatched"}, data
    matched = {member for match in data["matches"] for member in match["members"]}
    waiting = {person["id"] for person in data["unmatched"]}
    assert matched | waiting == PEOPLE_IDS, f"everyone matched or told why: {data}"
    assert all({"members", "score", "reasons"} <= set(match) for match in data["matches"])
    chosen = re.search(r"--format (\w+)", ran.command)
    assert data["round"]["format"] == (chosen.group(1) if chosen else "pairs"), data["round"]
    if "--seed 7" in ran.command:
        assert data["round"]["seed"] == 7, data["round"]
    if "--history" in ran.command:
        pairs = [set(match["members"]) for match in data["matches"]]
        assert {"a1", "b2"} not in pairs, f"a repeat within the year: {pairs}"


def _simulation_passes(ran: Ran) -> None:
    assert "✓" in ran.stdout and "✗" not in ran.stdout, ran.explain()
    for name in ("messages.jsonl", "people.json"):
        assert (ran.cwd / "sim" / name).is_file(), f"sim/{name} was not written"


def _report_written(ran: Ran) -> None:
    written = sorted(p.name for p in (ran.cwd / "report").iterdir())
    assert sum(name.endswith(".png") for name in written) == 4, written
    assert sum(name.endswith(".csv") for name in written) == 3, written
    assert "report.html" in written, written
    assert "Success criteria:" in ran.stdout and "Wrote 8 files:" in ran.stdout, ran.explain()


APP_ID = "00000000-0000-4000-8000-00000000a11d"  # a well-formed GUID, no real bot


def _teams_package(ran: Ran) -> None:
    with zipfile.ZipFile(ran.cwd / "tandem-teams.zip") as package:
        names = package.namelist()
        manifest = json.loads(package.read("manifest.json"))
    assert "manifest.json" in names and sum(n.endswith(".png") for n in names) == 2, names
    assert all("/" not in name for name in names), f"not at the top level: {names}"
    assert "tandem.example.com" in manifest["validDomains"], manifest["validDomains"]
    assert manifest["bots"][0]["botId"] == APP_ID, manifest["bots"]


def _revision_written_in_the_copy(ran: Ran) -> None:
    written = list((ran.cwd / "migrations" / "versions").glob("*what_changed*.py"))
    assert len(written) == 1, ran.explain()
    left = list((ROOT / "migrations" / "versions").glob("*what_changed*.py"))
    assert not left, f"a revision was left in the repository: {left}"


def _listing(path: Path) -> list[str]:
    if path.is_file():
        return [path.name]
    return sorted(
        str(item.relative_to(path)) for item in path.rglob("*") if "__pycache__" not in item.parts
    )


# ---------------------------------------------------------------------------
# The table: every shell command README.md shows, and how it is run.

SCRATCH_SQLITE = f"sqlite:///{TMP}/tandem.db"
# The README's ``postgresql+psycopg://...`` becomes a SQLite file in the scratch
# directory: ``tandem serve`` only checks a PostgreSQL schema (upgrading is an
# operator's step), and the PostgreSQL path is covered by the store and engine tests.
POSTGRES_PLACEHOLDER = ("postgresql+psycopg://...", SCRATCH_SQLITE)

COMMANDS: dict[str | re.Pattern[str], Kind] = {
    # Quick start
    "make demo": LeftToCI("the six-month demo: `.ci/run` runs it"),
    "make test": LeftToCI("the whole suite, this file included: `.ci/run` runs it"),
    # Try it
    '.venv/bin/tandem chat --as "Ana Lima"': Run(
        "interactive: fed the README's next words, `help`, on stdin",
        stdin="help\n",
        check=_contains("ana-lima> help", "I run peer mentoring here"),
    ),
    # The scripted enrolment: its answers are the content under test, so any answers
    # match the entry and the check follows them (one question each, none refused).
    re.compile(r"printf '[^']*' \| \.venv/bin/tandem chat --as \S+"): Run(
        "the piped survey must run to its end", check=_enrolment_completes
    ),
    # Stepping into the demo's world, on its time line
    re.compile(
        r"DATABASE_URL=sqlite:///data/demo/demo\.db \.venv/bin/tandem chat --as '[^']+' "
        r"--at \d{4}-\d\d-\d\dT\d\d:\d\dZ"
    ): Run(
        "on a small demo's database; the chat's clock starts at --at",
        inputs=("data/demo/demo.db",),
        stdin="pause for 2 weeks\n",
        check=_contains("> pause for 2 weeks"),
        timeout=120,
    ),
    # Programs are YAML files (one block: run in order)
    ".venv/bin/tandem program example > my-program.yaml": Run(
        "writes the example program", check=_program_example_written
    ),
    ".venv/bin/tandem program check my-program.yaml": Run(
        "checks the file the line above wrote", check=_contains("my-program.yaml: OK")
    ),
    ".venv/bin/tandem program add my-program.yaml": Run(
        "adds it to the console workspace", check=_contains("is ready in console workspace")
    ),
    ".venv/bin/tandem program add my-program.yaml --coordinator U024BE7LH": Run(
        "adds it again, with one more coordinator",
        check=_contains("Coordinators: coordinator, U024BE7LH."),
    ),
    # From an HR export
    (
        ".venv/bin/tandem match --input people.csv --output matches.json "
        "[--history pairs.csv] [--format pairs|mentor|reverse|circles] [--seed N] "
        "[--program my-program.yaml] [--on 2027-01-06]"
    ): Run(
        "without the options, and with all of them once per format; N is 7",
        subs=(("--seed N", "--seed 7"),),
        optional=True,
        inputs=("people.csv", "pairs.csv", "my-program.yaml"),
        check=_match_written,
    ),
    # tandem serve
    "DATABASE_URL=... .venv/bin/tandem serve": Serve(
        "... is a SQLite file in the scratch directory",
        subs=(("DATABASE_URL=...", f"DATABASE_URL=sqlite:///{TMP}/serve.db"),),
    ),
    # The coordinators' dashboard
    "TANDEM_PUBLIC_URL=http://127.0.0.1:3000 .venv/bin/tandem serve": Serve(
        "with a public URL: /healthz answers, and the dashboard refuses a sign-out "
        "without a session (401)"
    ),
    'make pytest PYTEST_ARGS="tests/dashboard -s"': LeftToCI(
        "part of `make test` (the browser test among them)"
    ),
    # tandem simulate: the README's 200 people take about 25 s a run (twice that on a
    # busy machine), too long for this file; the full size is `make bench`'s job
    # (benchmarks.simulation). Here 24 people live the same 180 days, wrap-ups included.
    (
        ".venv/bin/tandem simulate --people 200 --days 180 [--seed 7] "
        "[--program my-program.yaml] --out sim/"
    ): Run(
        "24 people instead of 200; without the options and with them",
        subs=(("--people 200", "--people 24"),),
        optional=True,
        inputs=("my-program.yaml",),
        check=_simulation_passes,
        timeout=240,
    ),
    # tandem report: on a small demo's database, as of the demo's last day
    re.compile(
        r"DATABASE_URL=sqlite:///data/demo/demo\.db \.venv/bin/tandem report engineering-growth "
        r"--out report/ --at \d{4}-\d\d-\d\dT\d\d:\d\dZ"
    ): Run(
        "on a small demo's database: the charts, the CSV files and the page are written",
        inputs=("data/demo/demo.db",),
        check=_report_written,
        timeout=120,
    ),
    # Slack: Run it
    (
        "export SLACK_SIGNING_SECRET=... SLACK_BOT_TOKEN=xoxb-... "
        "DATABASE_URL=postgresql+psycopg://..."
    ): Environment(
        "fake but well-formed Slack credentials; a scratch SQLite database",
        subs=(
            ("SLACK_SIGNING_SECRET=...", "SLACK_SIGNING_SECRET=8f742231b10e8888abcd99yyyzzz85a5"),
            ("xoxb-...", "xoxb-17653672481-19874698323-pdFZKVeTuE8sk7oOcBrzbqgy"),
            POSTGRES_PLACEHOLDER,
        ),
    ),
    ".venv/bin/tandem serve": Serve(
        "with the block's exports: Slack's or Teams' route answers an unsigned request 401"
    ),
    "SLACK_APP_TOKEN=xapp-... .venv/bin/tandem serve --socket-mode": Serve(
        "a fake app-level token: Socket Mode needs a real Slack, so a clear refusal passes",
        subs=(("xapp-...", "xapp-1-A0000000000-0000000000000-fakefakefake"),),
        may_refuse=True,
    ),
    # Microsoft Teams: Run it
    (
        "export MICROSOFT_APP_ID=... MICROSOFT_APP_PASSWORD=... "
        "DATABASE_URL=postgresql+psycopg://..."
    ): Environment(
        "a well-formed GUID and a fake client secret; a scratch SQLite database",
        subs=(
            ("MICROSOFT_APP_ID=...", f"MICROSOFT_APP_ID={APP_ID}"),
            ("MICROSOFT_APP_PASSWORD=...", "MICROSOFT_APP_PASSWORD=fake~client~secret"),
            POSTGRES_PLACEHOLDER,
        ),
    ),
    # The app package (the host is a well-formed name already: kept as printed)
    (
        ".venv/bin/tandem teams package --app-id <MICROSOFT_APP_ID> "
        "--host tandem.example.com --out tandem-teams.zip"
    ): Run(
        "<MICROSOFT_APP_ID> is a well-formed GUID",
        subs=(("<MICROSOFT_APP_ID>", APP_ID),),
        check=_teams_package,
    ),
    # --- shown inline in the prose ---
    "make bench": LeftToCI("figures, nothing asserted: `.ci/run` runs the quick ones"),
    "make check": LeftToCI("part of `make test`"),
    'make pytest PYTEST_ARGS="tests/engine -k profile"': LeftToCI("part of `make test`"),
    "python -m benchmarks.simulation": LeftToCI(
        "part of `make bench`", make="make bench", mentions=("-m benchmarks.simulation",)
    ),
    ".ci/run": LeftToCI(
        "CI itself", script=".ci/run", mentions=("make test", "make bench", "make demo")
    ),
    "tandem serve": Mentioned("a heading and a name in the prose; run for real above"),
    "tandem simulate": Mentioned("a heading; run for real above"),
    "tandem chat": Mentioned('"when `tandem chat` starts"; run for real above'),
    "tandem report": Mentioned("a heading; run for real above"),
    "tandem program check": Mentioned("named in the prose; run for real above"),
    "tandem program add": Mentioned("named in the prose; run for real above"),
    "tandem simulate --people 200 --days 180 --seed 11": Mentioned(
        "the measurement the digest is checked by; rule 8 of every simulation run above"
    ),
    "tandem program add my-program.yaml --platform slack --workspace T0123ABCD": Run(
        "the venv's tandem, on the example program",
        subs=(("tandem program", ".venv/bin/tandem program"),),
        inputs=("my-program.yaml",),
        check=_contains("is ready in slack workspace T0123ABCD"),
    ),
    "tandem db upgrade": Run(
        "the venv's tandem, on the scratch database",
        subs=(("tandem db", ".venv/bin/tandem db"),),
        check=_contains("(was empty)"),
    ),
    "tandem db current": Run(
        "the venv's tandem, on the scratch database",
        subs=(("tandem db", ".venv/bin/tandem db"),),
        check=_contains("database: "),
    ),
    "DATABASE_URL=sqlite:////tmp/scratch.db .venv/bin/tandem db upgrade": Run(
        "/tmp/scratch.db is a file in the scratch directory",
        subs=(("sqlite:////tmp/scratch.db", f"sqlite:///{TMP}/scratch.db"),),
        check=_contains("(was empty)"),
    ),
    # Run as printed, with the scratch path in the scratch directory, in a copy of
    # alembic.ini and migrations/: alembic writes the new revision into the copy's
    # migrations/versions and the repository's is compared before and after. This is
    # safer than not running it (checking only that `alembic heads` works would not
    # notice the recipe itself failing) and cannot leave a revision behind. `store`
    # and the models still come from the repository, so the copy compares the real
    # models with the real revisions.
    (
        "DATABASE_URL=sqlite:////tmp/scratch.db .venv/bin/alembic revision "
        '--autogenerate -m "what changed"'
    ): Run(
        "/tmp/scratch.db is a file in the scratch directory; run in a copy of the migrations",
        subs=(("sqlite:////tmp/scratch.db", f"sqlite:///{TMP}/scratch.db"),),
        copy=("alembic.ini", "migrations"),
        check=_revision_written_in_the_copy,
    ),
}

# ---------------------------------------------------------------------------
# Classification

ALL = read_readme()


def classify(text: str) -> Kind | None:
    if text in COMMANDS:
        return COMMANDS[text]
    for key, kind in COMMANDS.items():
        if isinstance(key, re.Pattern) and key.fullmatch(text):
            return kind
    return None


def _unclassified_message(command: Command) -> str:
    return (
        f"{command.where} shows a shell command the README test does not know:\n"
        f"    {command.text}\n"
        "Add it to COMMANDS in tests/cli/test_readme.py, saying how it is run "
        "(Run, Run with subs, Serve, LeftToCI, Environment or Mentioned)."
    )


def _variants(command: Command) -> list[str]:
    kind = classify(command.text)
    if kind is None:
        return [command.text]
    try:
        return kind.variants(command.text)
    except LookupError:
        return [command.text]  # the test reports the stale substitution


def _case_id(command: Command, variant: int, count: int) -> str:
    slug = re.sub(r"[^\w.=/-]+", "_", command.text).strip("_")[:60]
    return f"L{command.line}-{slug}" + (f"-v{variant}" if count > 1 else "")


CASES = [
    pytest.param(command, variant, id=_case_id(command, variant, len(variants)))
    for command in ALL
    for variants in [_variants(command)]
    for variant in range(len(variants))
]


def test_every_readme_command_is_in_the_table() -> None:
    unknown = [command for command in ALL if classify(command.text) is None]
    assert not unknown, "\n\n".join(_unclassified_message(command) for command in unknown)


def test_every_entry_of_the_table_is_still_in_the_readme() -> None:
    shown = [command.text for command in ALL]
    stale = [
        key.pattern if isinstance(key, re.Pattern) else key
        for key in COMMANDS
        if not any(
            (key.fullmatch(text) if isinstance(key, re.Pattern) else key == text) for text in shown
        )
    ]
    assert not stale, (
        "README.md no longer shows these; remove (or update) their entries in COMMANDS:\n"
        + "\n".join(stale)
    )


@pytest.mark.parametrize(("command", "variant"), CASES)
def test_the_readme_command_works(command: Command, variant: int, tmp_path: Path) -> None:
    kind = classify(command.text)
    if kind is None:
        pytest.fail(_unclassified_message(command))
    try:
        text = kind.variants(command.text)[variant]
    except LookupError as stale:
        pytest.fail(f"{command.where}: {stale}")
    scratch = Scratch(tmp_path)
    for earlier in ALL:
        if earlier.block == command.block and earlier.index < command.index:
            earlier_kind = classify(earlier.text)
            assert earlier_kind is not None, _unclassified_message(earlier)
            earlier_kind.replay(earlier_kind.variants(earlier.text)[0], scratch)
    kind.execute(text, scratch)


# ---------------------------------------------------------------------------
# The parser itself

SAMPLE = """\
Intro with `make demo` and `.venv/bin/tandem serve
--socket-mode`, a path `tandem/cli.py` and a chat command `join [program]`.

```sh
echo one   # a comment
printf 'a # not a comment\\n' \\
  | cat   # after a continuation
```

```
round engineering-growth preview
```

```python
print("not shell")
```
"""


def test_the_parser_joins_continuations_drops_comments_and_finds_inline_commands() -> None:
    found = [(command.text, command.line, command.block) for command in readme_commands(SAMPLE)]
    assert found == [
        ("echo one", 5, "block@5"),
        ("printf 'a # not a comment\\n' | cat", 6, "block@5"),
        ("make demo", 1, "inline@1"),
        (".venv/bin/tandem serve --socket-mode", 1, "inline@1"),
    ]


def test_optional_parts_are_run_without_and_with_each_choice() -> None:
    assert optional_variants("x --in f [--seed N] [--format a|b]") == [
        "x --in f",
        "x --in f --seed N --format a",
        "x --in f --seed N --format b",
    ]
    assert optional_variants("x --in f") == ["x --in f"]


def test_a_stale_substitution_is_reported() -> None:
    with pytest.raises(LookupError, match="update its entry in COMMANDS"):
        substitute("tandem serve", (("<ID>", "x"),))


def test_the_readme_is_where_the_commands_come_from() -> None:
    assert README.is_file() and any(command.block.startswith("block@") for command in ALL)
