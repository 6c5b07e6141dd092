"""Coordinator operations that are not conversations: installing programs."""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources

from bot.clock import Clock
from bot.ports import UnitOfWorkFactory
from bot.program.loading import parse_program_text
from bot.program.spec import ProgramSpec


def bundled_programs() -> list[ProgramSpec]:
    """The example programs shipped with Tandem."""
    folder = resources.files("bot").joinpath("content/programs")
    files = sorted((f for f in folder.iterdir() if f.name.endswith(".yaml")), key=lambda f: f.name)
    return [parse_program_text(f.read_text(encoding="utf-8"), f.name) for f in files]


def install_programs(
    uow: UnitOfWorkFactory,
    clock: Clock,
    platform: str,
    workspace: str,
    specs: Sequence[ProgramSpec],
    *,
    only_if_empty: bool = False,
) -> list[str]:
    """Add (or update) programs in a workspace; the slugs installed.

    With ``only_if_empty`` nothing happens in a workspace that has programs
    already: used to give a new console workspace the example programs.
    """
    with uow() as unit:
        now = clock.now()
        ws = unit.workspaces.ensure(platform, workspace, now)
        if only_if_empty and unit.programs.all(ws.id):
            return []
        installed = [unit.programs.put(ws.id, spec, now).slug for spec in specs]
        unit.commit()
    return installed
