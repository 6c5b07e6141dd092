"""``tandem match``: from an HR export to a JSON round, or a clear list of problems."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.cli.test_cli import tandem

HEADER = "id,name,timezone,level,department,manager,offers,wants,goals,role,avoid\n"
PEOPLE = HEADER + (
    "a1,Ana Lima,Europe/Berlin,3,Data,m1,SQL;Python,Public speaking,Grow,peer,\n"
    "b2,Bo Chen,Europe/London,2,Product,,Public speaking,SQL,Grow,peer,\n"
    "c3,Cy Diaz,America/New_York,4,Eng,,Kubernetes,Negotiation,,either,a1\n"
    "d4,Di Eze,America/Chicago,2,Sales,,Negotiation,Kubernetes,,peer,\n"
    "m1,Max Moe,Europe/Berlin,5,Data,,Hiring,Python,,mentor,\n"
)


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_csv_becomes_a_round_with_reasons(tmp_path: Path) -> None:
    people = _write(tmp_path, "people.csv", PEOPLE)
    out = tmp_path / "matches.json"
    result = tandem(
        "match", "--input", str(people), "--output", str(out), "--seed", "3", "--on", "2027-01-06"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("2 matches (4 people), 1 unmatched")
    data = json.loads(out.read_text())
    pairs = {tuple(sorted(m["members"])) for m in data["matches"]}
    assert pairs == {("a1", "b2"), ("c3", "d4")}
    ana_bo = next(m for m in data["matches"] if "a1" in m["members"])
    assert ana_bo["reasons"][0] in (
        "Ana Lima can help Bo Chen with SQL, and Bo Chen can help Ana Lima with Public speaking",
        "Bo Chen can help Ana Lima with Public speaking, and Ana Lima can help Bo Chen with SQL",
    )
    # Max manages Ana and shares no hours with the Americas pair: he waits.
    assert data["unmatched"] == [{"id": "m1", "reason": "odd_one_out"}]
    assert data["round"] == {
        "format": "pairs",
        "seed": 3,
        "people": 5,
        "exact": True,
        "total_score": pytest.approx(sum(m["score"] for m in data["matches"]), abs=0.05),
    }


def test_json_input_and_history_that_rules_out_a_repeat(tmp_path: Path) -> None:
    people = [
        {
            "id": i,
            "name": i.upper(),
            "timezone": "Europe/Berlin",
            "level": 3,
            "department": "",
            "manager": "",
            "offers": ["SQL"],
            "wants": ["SQL"],
            "goals": [],
            "role": "peer",
            "avoid": [],
        }
        for i in ("a", "b", "c", "d")
    ]
    source = _write(tmp_path, "people.json", json.dumps({"people": people}))
    history = _write(
        tmp_path, "pairs.csv", "a,b,date\na,b,2026-12-01\nc,d,2020-01-01\na,c,2026-11-01\n"
    )
    result = tandem(
        "match",
        "--input",
        str(source),
        "--output",
        "-",
        "--history",
        str(history),
        "--on",
        "2027-01-06",
    )
    assert result.returncode == 0, result.stderr
    pairs = {tuple(sorted(m["members"])) for m in json.loads(result.stdout)["matches"]}
    assert pairs == {("a", "d"), ("b", "c")}  # a-b and a-c met within the year


def test_mentoring_and_circles_formats(tmp_path: Path) -> None:
    rows = "".join(
        f"p{i},P{i},Europe/Berlin,{1 + i % 5},,,SQL,Python,,{'mentor' if i < 2 else 'mentee'},\n"
        for i in range(6)
    )
    people = _write(tmp_path, "people.csv", HEADER + rows)
    mentoring = tandem("match", "--input", str(people), "--output", "-", "--format", "mentor")
    data = json.loads(mentoring.stdout)
    assert all(set(m["roles"].values()) == {"mentor", "mentee"} for m in data["matches"])
    circles = tandem("match", "--input", str(people), "--output", "-", "--format", "circles")
    made = json.loads(circles.stdout)["matches"]
    assert [len(c["members"]) for c in made] == [3, 3]  # six people, circles of about four
    assert {c["topic"] for c in made} == {"Python"}
    assert all(c["facilitator"] == c["members"][0] for c in made)


def test_the_summary_counts_a_mentor_with_two_mentees_once(tmp_path: Path) -> None:
    rows = (
        "m,Mentor,Europe/Berlin,5,,,SQL,,,mentor,\n"
        "a,Ann,Europe/Berlin,1,,,,SQL,,mentee,\n"
        "b,Ben,Europe/Berlin,2,,,,SQL,,mentee,\n"
    )
    people = _write(tmp_path, "people.csv", HEADER + rows)
    for fmt in ("mentor", "reverse"):
        result = tandem(
            "match", "--input", str(people), "--output", str(tmp_path / "o.json"), "--format", fmt
        )
        assert result.returncode == 0, result.stderr
        data = json.loads((tmp_path / "o.json").read_text())
        placed = {m for match in data["matches"] for m in match["members"]}
        count = len(data["matches"])
        assert result.stdout.startswith(f"{count} matches ({len(placed)} people)"), result.stdout
    mentoring = tandem(
        "match", "--input", str(people), "--output", "-", "--format", "mentor", "--on", "2027-01-06"
    )
    assert mentoring.stderr.startswith("2 matches (3 people), 0 unmatched"), mentoring.stderr


def test_every_bad_cell_is_named_and_nothing_is_written(tmp_path: Path) -> None:
    bad = _write(
        tmp_path,
        "people.csv",
        HEADER + "x,X,Mars,three,,,,,,boss,\n"
        ",Y,UTC,2,,,,,,,\n"
        "z,Z,UTC,2.5,,,,,,,\n"
        "x,Again,UTC,2,,,,,,,\n",
    )
    out = tmp_path / "matches.json"
    result = tandem("match", "--input", str(bad), "--output", str(out))
    assert result.returncode == 1
    for problem in (
        f"{bad}, row 2, column timezone: “Mars” is not a timezone",
        f"{bad}, row 2, column level: “three” is not a number",
        f"{bad}, row 2, column role: “boss” is not a role; use one of peer, mentor, mentee, either",
        f"{bad}, row 3, column id: is empty; every person needs one",
        f"{bad}, row 4, column level: 2.5 is not a whole number between 0 and 20",
    ):
        assert problem in result.stderr
    assert not out.exists()
    assert list(tmp_path.iterdir()) == [bad]  # no temporary file left either


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("id,name\na,A\n", "header: missing column(s): timezone, level"),
        (HEADER.strip() + ",colour\n", "unknown column(s): colour"),
        (HEADER + "a,A,UTC,1,,,,,,,,extra\n", "row 2: more cells than columns"),
        (HEADER, "there is nobody to match"),
    ],
)
def test_malformed_files_are_explained(tmp_path: Path, content: str, message: str) -> None:
    result = tandem(
        "match",
        "--input",
        str(_write(tmp_path, "p.csv", content)),
        "--output",
        str(tmp_path / "o.json"),
    )
    assert result.returncode == 1
    assert message in result.stderr
    assert "Traceback" not in result.stderr


def test_a_bad_history_row_is_named(tmp_path: Path) -> None:
    people = _write(tmp_path, "people.csv", PEOPLE)
    history = _write(tmp_path, "pairs.csv", "a,b,date\na1,b2,yesterday\n")
    result = tandem("match", "--input", str(people), "--output", "-", "--history", str(history))
    assert result.returncode == 1
    assert (
        f"{history}, row 2, column date: “yesterday” is not a date like 2026-03-01" in result.stderr
    )


def test_a_program_file_supplies_the_rules(tmp_path: Path) -> None:
    people = _write(tmp_path, "people.csv", PEOPLE)
    strict = (
        (Path(__file__).parents[2] / "bot/content/programs/engineering-growth.yaml")
        .read_text()
        .replace("min_overlap_hours: 2 ", "min_overlap_hours: 8 ")
    )
    program = _write(tmp_path, "strict.yaml", strict)
    result = tandem(
        "match",
        "--input",
        str(people),
        "--output",
        "-",
        "--program",
        str(program),
        "--on",
        "2027-01-06",
    )
    data = json.loads(result.stdout)
    # Nobody works 8 hours at the same time as anyone they may be paired with.
    assert data["matches"] == []
    assert {u["reason"] for u in data["unmatched"]} == {"no_shared_hours"}
