"""The ``acyclic_modules`` contract (``lint-imports`` runs it on the repository)
finds a cycle wherever its imports are, and names the imports that close it."""

from __future__ import annotations

import grimp

from tests.import_contracts import module_cycles


def _graph(*imports: tuple[str, str]) -> grimp.ImportGraph:
    graph = grimp.ImportGraph()
    for importer, imported in imports:
        graph.add_module(importer)
        graph.add_module(imported)
        graph.add_import(importer=importer, imported=imported, line_number=1, line_contents="")
    return graph


def test_a_chain_without_a_loop_is_kept() -> None:
    graph = _graph(("a.x", "a.y"), ("a.y", "b.z"), ("a.x", "b.z"))
    assert module_cycles(graph, ("a", "b")) == []


def test_a_loop_through_three_modules_and_two_packages_is_found() -> None:
    graph = _graph(("a.x", "a.y"), ("a.y", "b.z"), ("b.z", "a.x"), ("b.z", "b.w"))
    assert module_cycles(graph, ("a", "b")) == [["a.x", "a.y", "b.z"]]


def test_separate_loops_are_told_apart() -> None:
    graph = _graph(("a.x", "a.y"), ("a.y", "a.x"), ("b.z", "b.w"), ("b.w", "b.z"), ("a.x", "b.z"))
    assert module_cycles(graph, ("a", "b")) == [["a.x", "a.y"], ["b.w", "b.z"]]


def test_only_the_listed_packages_count() -> None:
    graph = _graph(("a.x", "tests.t"), ("tests.t", "a.x"))
    assert module_cycles(graph, ("a",)) == []


def test_a_long_chain_needs_no_recursion() -> None:
    chain = [(f"a.m{n}", f"a.m{n + 1}") for n in range(3000)]
    graph = _graph(*chain, ("a.m3000", "a.m0"))
    assert len(module_cycles(graph, ("a",))[0]) == 3001
