"""An in-memory store: every repository of :class:`bot.ports.UnitOfWork` in plain
Python, with the SQL store's semantics (store/*.py), for fast engine tests.

The SQL store's contract tests (tests/store) run against it too, so it stays
true to the real one. Only tests and benchmarks import it.
"""

from fakes.memory.uow import MemoryStore, MemoryUnitOfWork

__all__ = ["MemoryStore", "MemoryUnitOfWork"]
