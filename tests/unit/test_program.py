"""Program files are validated at load time, with errors that say where and why."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.admin import bundled_programs
from bot.program import ProgramError, load_program, parse_program
from bot.survey import MultiQuestion

EXAMPLE = Path(__file__).parents[2] / "bot/content/programs/engineering-growth.yaml"


def _example() -> dict[str, Any]:
    data = yaml.safe_load(EXAMPLE.read_text())
    assert isinstance(data, dict)
    return copy.deepcopy(data)


def _problems(data: object) -> list[str]:
    with pytest.raises(ProgramError) as caught:
        parse_program(data, "my.yaml")
    return caught.value.problems


def test_the_shipped_programs_are_valid_and_distinct() -> None:
    specs = bundled_programs()
    assert [s.slug for s in specs] == ["engineering-growth", "leadership-mentoring"]
    assert {s.format for s in specs} == {"peer_pairs", "mentor_mentee"}


def test_skills_become_the_options_of_questions_that_ask_for_them() -> None:
    spec = load_program(EXAMPLE)
    offers = spec.question("offers")
    assert isinstance(offers, MultiQuestion)
    assert [o.label for o in offers.options] == list(spec.skills)
    assert spec.cadence_weeks == 2


def test_field_errors_name_the_field_and_the_question() -> None:
    data = _example()
    data["duration_months"] = 3
    data["questions"][1]["max"] = "lots"
    data["questions"].append({"key": "mood", "kind": "slider", "prompt": "?"})
    assert _problems(data) == [
        "duration_months: Input should be greater than or equal to 6 (got 3)",
        "questions[1] ('offers').max: Input should be a valid integer, unable to parse string "
        "as an integer (got 'lots')",
        "questions[12] ('mood'): Input tag 'slider' found using 'kind' does not match any of the "
        "expected tags: 'text', 'choice', 'multi', 'yesno', 'timezone', 'hours', 'people'",
    ]


def test_rules_across_fields_are_checked_together() -> None:
    data = _example()
    data["skills"].append("sql")
    data["questions"] = [q for q in data["questions"] if q["key"] != "timezone"]
    data["questions"][3]["options"][0]["value"] = "junior"  # level must be numeric
    data["questions"][0]["kind"] = "yesno"
    del data["questions"][0]["options"], data["questions"][0]["min"], data["questions"][0]["max"]
    (problem,) = _problems(data)
    assert "skills are repeated: SQL, sql" in problem
    assert "the question 'goals' must be of kind multi or text" in problem
    assert "the options of 'level' need numeric values" in problem
    assert "the question 'timezone' is required (matching uses it)" in problem


def test_unknown_fields_are_refused() -> None:
    data = _example()
    data["cadance"] = "weekly"
    assert _problems(data) == ["cadance: Extra inputs are not permitted (got 'weekly')"]


def test_a_program_must_be_a_mapping() -> None:
    assert _problems(["not", "a", "program"]) == [
        "a program must be a mapping of fields (name: ..., ...)"
    ]


def test_yaml_syntax_errors_give_the_line(tmp_path: Path) -> None:
    broken = tmp_path / "broken.yaml"
    broken.write_text("name: x\nskills: [a, b\nformat: peer_pairs\n")
    with pytest.raises(ProgramError, match=r"broken.yaml: line \d+, column \d+"):
        load_program(broken)


def test_a_missing_file_is_reported_plainly(tmp_path: Path) -> None:
    with pytest.raises(ProgramError, match="cannot read the file"):
        load_program(tmp_path / "nope.yaml")
