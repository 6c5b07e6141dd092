"""Every shell command README.md shows is run here, so the README cannot drift from the product.

README.md is parsed when the tests are collected (``tests/cli/readme_parsing.py``):
every line of each ```` ```sh ```` block, and shell commands quoted inline in the
prose. Each one must have an entry in COMMANDS (``tests/cli/readme_table.py``) that
says how it is run (the kinds are in ``tests/cli/readme_kinds.py``):

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

import re
from pathlib import Path

import pytest

from tests.cli.readme_kinds import Kind
from tests.cli.readme_parsing import README, Command, read_readme
from tests.cli.readme_running import Scratch
from tests.cli.readme_table import COMMANDS

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
        "Add it to COMMANDS in tests/cli/readme_table.py, saying how it is run "
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


def test_the_readme_is_where_the_commands_come_from() -> None:
    assert README.is_file() and any(command.block.startswith("block@") for command in ALL)
