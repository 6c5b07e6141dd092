"""What the README's commands are given and what their results must show: the input
files made in the scratch directory first (people and history CSVs, the example
program, a small demo's database), and the checks of each command's output."""

from __future__ import annotations

import json
import re
import shutil
import zipfile
from collections.abc import Callable

import yaml

from tests.cli.readme_parsing import ROOT
from tests.cli.readme_running import Check, Ran, Scratch

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


def contains(*expected: str) -> Check:
    def check(ran: Ran) -> None:
        for text in expected:
            assert text in ran.stdout, f"{text!r} not in the output:\n{ran.explain()}"

    return check


def enrolment_completes(ran: Ran) -> None:
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


def program_example_written(ran: Ran) -> None:
    written = (ran.cwd / "my-program.yaml").read_text(encoding="utf-8")
    program = yaml.safe_load(written)
    assert isinstance(program, dict) and program.get("slug"), ran.explain()
    # What the other commands' inputs copy (INPUTS["my-program.yaml"]).
    assert written == EXAMPLE_PROGRAM.read_text(encoding="utf-8")


def match_written(ran: Ran) -> None:
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


def simulation_passes(ran: Ran) -> None:
    assert "✓" in ran.stdout and "✗" not in ran.stdout, ran.explain()
    for name in ("messages.jsonl", "people.json"):
        assert (ran.cwd / "sim" / name).is_file(), f"sim/{name} was not written"


def report_written(ran: Ran) -> None:
    written = sorted(p.name for p in (ran.cwd / "report").iterdir())
    assert sum(name.endswith(".png") for name in written) == 4, written
    assert sum(name.endswith(".csv") for name in written) == 3, written
    assert "report.html" in written, written
    assert "Success criteria:" in ran.stdout and "Wrote 8 files:" in ran.stdout, ran.explain()


APP_ID = "00000000-0000-4000-8000-00000000a11d"  # a well-formed GUID, no real bot


def teams_package(ran: Ran) -> None:
    with zipfile.ZipFile(ran.cwd / "tandem-teams.zip") as package:
        names = package.namelist()
        manifest = json.loads(package.read("manifest.json"))
    assert "manifest.json" in names and sum(n.endswith(".png") for n in names) == 2, names
    assert all("/" not in name for name in names), f"not at the top level: {names}"
    assert "tandem.example.com" in manifest["validDomains"], manifest["validDomains"]
    assert manifest["bots"][0]["botId"] == APP_ID, manifest["bots"]


def revision_written_in_the_copy(ran: Ran) -> None:
    written = list((ran.cwd / "migrations" / "versions").glob("*what_changed*.py"))
    assert len(written) == 1, ran.explain()
    left = list((ROOT / "migrations" / "versions").glob("*what_changed*.py"))
    assert not left, f"a revision was left in the repository: {left}"
