"""Every module imports on its own: no import cycle waits for the right entry point."""

from __future__ import annotations

import importlib
import pkgutil
import sys

import pytest

import adapters
import bot
import store
import tandem

OURS = ("bot", "store", "adapters", "tandem")


def _modules() -> list[str]:
    found = []
    for package in (bot, store, adapters, tandem):
        prefix = package.__name__ + "."
        modules = pkgutil.walk_packages(package.__path__, prefix)
        found += [m.name for m in modules if not m.name.endswith("__main__")]  # runs the CLI
    return sorted(found)


def _forget_ours() -> None:
    for name in [n for n in sys.modules if n.split(".")[0] in OURS]:
        del sys.modules[name]


@pytest.mark.parametrize("module", _modules())
def test_the_module_imports_first(module: str) -> None:
    saved = {n: m for n, m in sys.modules.items() if n.split(".")[0] in OURS}
    _forget_ours()
    try:
        importlib.import_module(module)
    finally:
        _forget_ours()
        sys.modules.update(saved)  # the rest of the session keeps its modules
