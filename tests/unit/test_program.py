"""Program files are validated at load time, with errors that say where and why."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml

from bot.admin import bundled_programs
from bot.program.loading import load_program, parse_program
from bot.program.problems import ProgramError
from bot.survey.choices import MultiQuestion

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


# --- limits: a program file is a page or two, and says so when it is not -------------


def test_a_huge_file_is_refused_before_it_is_read_whole(tmp_path: Path) -> None:
    big = tmp_path / "big.yaml"
    with big.open("w") as file:  # 50 MB in one value
        file.write("slug: x\ndescription: ")
        for _ in range(50):
            file.write("A" * 1024 * 1024)
    with pytest.raises(ProgramError) as caught:
        load_program(big)
    assert caught.value.problems == [
        "the file is larger than 256 KB; a program is a page or two of YAML"
    ]
    assert len(str(caught.value)) < 200


def test_an_error_quotes_only_the_start_of_a_long_value() -> None:
    data = _example()
    data["name"] = "N" * 200_000
    data["N" * 10_000] = 1
    problems = _problems(data)
    assert len("\n".join(problems)) < 600
    assert any(p.startswith("name: String should have at most 80 characters") for p in problems)
    assert any("… (200,002 characters)" in p for p in problems)


def test_deep_nesting_is_a_clear_error_not_a_crash(tmp_path: Path) -> None:
    deep = tmp_path / "deep.yaml"
    deep.write_text("[" * 100_000 + "]" * 100_000)
    with pytest.raises(ProgramError, match="nested more than 12 levels deep"):
        load_program(deep)


def test_yaml_aliases_cannot_blow_up_a_small_file(tmp_path: Path) -> None:
    lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]']
    for n in range(1, 9):
        lines.append(f"{chr(97 + n)}: &{chr(97 + n)} [" + ",".join([f"*{chr(96 + n)}"] * 9) + "]")
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("\n".join(lines))
    with pytest.raises(ProgramError, match=r"line 2: YAML aliases \(\*name\) are not allowed"):
        load_program(bomb)


def test_thousands_of_problems_are_listed_up_to_a_limit() -> None:
    data = _example()
    data["skills"] = [None] * 5000
    problems = _problems(data)
    assert len(problems) == 31 and problems[-1].startswith("… and ")


# --- coordinators and reviewed rounds ------------------------------------------------


def test_reviewed_rounds_need_a_coordinator() -> None:
    data = _example()
    data["coordinators"] = []
    (problem,) = _problems(data)
    assert "rounds are reviewed by a coordinator (schedule.review_rounds)" in problem
    data["schedule"] = {"review_rounds": False}
    assert parse_program(data).schedule.review_rounds is False


def test_a_new_program_reviews_its_rounds_by_default() -> None:
    data = _example()
    data.pop("schedule", None)
    assert parse_program(data).schedule.review_rounds is True


def test_coordinators_are_platform_ids_not_sentences() -> None:
    data = _example()
    data["coordinators"] = ["U024BE7LH", "two words", "x" * 101]
    problems = _problems(data)
    assert [p.split(":")[0] for p in problems] == ["coordinators[1]", "coordinators[2]"]


def test_coordinators_can_be_added_at_install(tmp_path: Path) -> None:
    from bot.program.loading import with_coordinators

    spec = with_coordinators(load_program(EXAMPLE), ["U024BE7LH", "coordinator"])
    assert spec.coordinators == ("coordinator", "U024BE7LH")
    with pytest.raises(ProgramError, match=r"--coordinator: coordinators\[2\]: a coordinator is"):
        with_coordinators(spec, ["not an id"])
