"""``tandem demo`` tells the story of a synthetic workforce joining."""

from __future__ import annotations

from pathlib import Path

from tandem.demo import run_demo


def test_the_demo_enrols_a_synthetic_workforce_and_summarises_it(tmp_path: Path) -> None:
    lines: list[str] = []
    run = run_demo(people=40, seed=3, out_dir=tmp_path, echo=lines.append)
    story = "\n".join(lines)
    assert len(run.people) == 40
    assert len({p.continent for p in run.people}) >= 3
    for chapter in (
        "1. Meet the workforce",
        "2. ",
        "3. Everyone else joins",
        "4. When people don't follow the script",
        "5. The first matching round",
        "6. Where things stand",
    ):
        assert chapter in story
    assert "You're in," in story
    assert "I don't know the timezone “PST”." in story
    assert "Welcome back! Let's carry on where you left off (4 of 12 answered)." in story
    assert "Done: everything Tandem held about you has been erased." in story
    assert "Engineering Growth Partners: 37 taking part, 1 on a break, 1 left" in story
    assert "Published: " in story
    assert "== Meet your match ==" in story
    assert "isn't taking part" not in story
    assert "Published: " in story and "== Meet your match ==" in story
    assert "matches, 0 waiting. In " in story
    assert (tmp_path / "demo.db").exists()


def test_the_demo_starts_from_a_fresh_database_each_time(tmp_path: Path) -> None:
    first: list[str] = []
    second: list[str] = []
    run_demo(people=40, seed=3, out_dir=tmp_path, echo=first.append)
    run_demo(people=40, seed=3, out_dir=tmp_path, echo=second.append)
    assert first == second
