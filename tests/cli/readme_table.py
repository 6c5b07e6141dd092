"""The table: every shell command README.md shows, and how it is run (the kinds are in
tests/cli/readme_kinds.py, the inputs and checks in tests/cli/readme_checks.py).
tests/cli/test_readme.py fails for a README command missing here, and for an entry
whose command left the README."""

from __future__ import annotations

import re

from tests.cli.readme_checks import (
    APP_ID,
    contains,
    enrolment_completes,
    match_written,
    program_example_written,
    report_written,
    revision_written_in_the_copy,
    simulation_passes,
    teams_package,
)
from tests.cli.readme_kinds import Environment, Kind, LeftToCI, Mentioned, Run, Serve
from tests.cli.readme_parsing import TMP

SCRATCH_SQLITE = f"sqlite:///{TMP}/tandem.db"
# The README's ``postgresql+psycopg://...`` becomes a SQLite file in the scratch
# directory: ``tandem serve`` only checks a PostgreSQL schema (upgrading is an
# operator's step), and the PostgreSQL path is covered by the store and engine tests.
POSTGRES_PLACEHOLDER = ("postgresql+psycopg://...", SCRATCH_SQLITE)

COMMANDS: dict[str | re.Pattern[str], Kind] = {
    # Quick start
    "make demo": LeftToCI("the six-month demo: `.ci/run` runs it"),
    "make test": LeftToCI("the whole suite, the README test included: `.ci/run` runs it"),
    # Try it
    '.venv/bin/tandem chat --as "Ana Lima"': Run(
        "interactive: fed the README's next words, `help`, on stdin",
        stdin="help\n",
        check=contains("ana-lima> help", "I run peer mentoring here"),
    ),
    # The scripted enrolment: its answers are the content under test, so any answers
    # match the entry and the check follows them (one question each, none refused).
    re.compile(r"printf '[^']*' \| \.venv/bin/tandem chat --as \S+"): Run(
        "the piped survey must run to its end", check=enrolment_completes
    ),
    # Stepping into the demo's world, on its time line
    re.compile(
        r"DATABASE_URL=sqlite:///data/demo/demo\.db \.venv/bin/tandem chat --as '[^']+' "
        r"--at \d{4}-\d\d-\d\dT\d\d:\d\dZ"
    ): Run(
        "on a small demo's database; the chat's clock starts at --at",
        inputs=("data/demo/demo.db",),
        stdin="pause for 2 weeks\n",
        check=contains("> pause for 2 weeks"),
        timeout=120,
    ),
    # Programs are YAML files (one block: run in order)
    ".venv/bin/tandem program example > my-program.yaml": Run(
        "writes the example program", check=program_example_written
    ),
    ".venv/bin/tandem program check my-program.yaml": Run(
        "checks the file the line above wrote", check=contains("my-program.yaml: OK")
    ),
    ".venv/bin/tandem program add my-program.yaml": Run(
        "adds it to the console workspace", check=contains("is ready in console workspace")
    ),
    ".venv/bin/tandem program add my-program.yaml --coordinator U024BE7LH": Run(
        "adds it again, with one more coordinator",
        check=contains("Coordinators: coordinator, U024BE7LH."),
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
        check=match_written,
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
    # busy machine), too long for the README test; the full size is `make bench`'s job
    # (benchmarks.simulation). Here 24 people live the same 180 days, wrap-ups included.
    (
        ".venv/bin/tandem simulate --people 200 --days 180 [--seed 7] "
        "[--program my-program.yaml] --out sim/"
    ): Run(
        "24 people instead of 200; without the options and with them",
        subs=(("--people 200", "--people 24"),),
        optional=True,
        inputs=("my-program.yaml",),
        check=simulation_passes,
        timeout=240,
    ),
    # tandem report: on a small demo's database, as of the demo's last day
    re.compile(
        r"DATABASE_URL=sqlite:///data/demo/demo\.db \.venv/bin/tandem report engineering-growth "
        r"--out report/ --at \d{4}-\d\d-\d\dT\d\d:\d\dZ"
    ): Run(
        "on a small demo's database: the charts, the CSV files and the page are written",
        inputs=("data/demo/demo.db",),
        check=report_written,
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
        check=teams_package,
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
        check=contains("is ready in slack workspace T0123ABCD"),
    ),
    "tandem db upgrade": Run(
        "the venv's tandem, on the scratch database",
        subs=(("tandem db", ".venv/bin/tandem db"),),
        check=contains("(was empty)"),
    ),
    "tandem db current": Run(
        "the venv's tandem, on the scratch database",
        subs=(("tandem db", ".venv/bin/tandem db"),),
        check=contains("database: "),
    ),
    "DATABASE_URL=sqlite:////tmp/scratch.db .venv/bin/tandem db upgrade": Run(
        "/tmp/scratch.db is a file in the scratch directory",
        subs=(("sqlite:////tmp/scratch.db", f"sqlite:///{TMP}/scratch.db"),),
        check=contains("(was empty)"),
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
        check=revision_written_in_the_copy,
    ),
}
