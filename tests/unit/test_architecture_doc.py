"""ARCHITECTURE.md stays true: every file or folder it names exists."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
# A path in backticks: a folder ending in "/" or a file with an extension.
_PATH = re.compile(r"`([A-Za-z0-9_./-]+(?:/|\.(?:py|md|toml|yaml)))`")


def named_paths(text: str) -> list[str]:
    return sorted({p for p in _PATH.findall(text) if not p.startswith("../")})


def test_every_path_named_in_the_architecture_exists() -> None:
    text = (ROOT / "ARCHITECTURE.md").read_text(encoding="utf-8")
    named = named_paths(text)
    assert len(named) > 40, "the map names the rooms and their main modules"
    missing = [p for p in named if not (ROOT / p).exists()]
    assert not missing, f"ARCHITECTURE.md names paths that are gone: {missing}"


def test_the_check_sees_a_missing_path() -> None:
    assert named_paths("see `bot/gone.py` and `bot/` but not `../shared/DESIGN.md`") == [
        "bot/",
        "bot/gone.py",
    ]
