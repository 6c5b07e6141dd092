"""import-linter contracts of our own (``contract_types`` in pyproject.toml).

``acyclic_modules``: no module of the listed packages is imported in a cycle.
import-linter's ``acyclic_siblings`` looks at packages (a cycle between two
sub-packages, even through modules that never import each other); this one looks
at modules, so it says exactly which imports close a loop, with their lines. Every
import counts: at the top, inside a function (a cycle hidden there is a cycle
still) and under ``TYPE_CHECKING``.
"""

from __future__ import annotations

from collections.abc import Iterator

import grimp
from importlinter import Contract, ContractCheck, fields, output


class AcyclicModulesContract(Contract):
    """Fails when modules of ``packages`` import each other in a cycle, directly or
    through other modules of those packages.

    Configuration: ``packages``, the top-level packages whose modules are checked.
    """

    type_name = "acyclic_modules"

    packages = fields.ListField(subfield=fields.StringField())

    def check(self, graph: grimp.ImportGraph, verbose: bool) -> ContractCheck:
        roots = tuple(str(p) for p in self.packages)  # type: ignore[attr-defined]
        cycles = module_cycles(graph, roots)
        loops = [
            [(a, b, _lines(graph, a, b)) for a in cycle for b in cycle if _imports(graph, a, b)]
            for cycle in cycles
        ]
        return ContractCheck(kept=not cycles, warnings=[], metadata={"loops": loops})

    def render_broken_contract(self, check: ContractCheck) -> None:
        for loop in check.metadata["loops"]:
            modules = sorted({a for a, _, _ in loop})
            output.print_error(f"These {len(modules)} modules import each other in a cycle:")
            output.new_line()
            for importer, imported, lines in loop:
                where = ", ".join(str(n) for n in lines)
                output.indent_cursor()
                output.print_error(f"{importer} -> {imported} (l.{where})", bold=False)
            output.new_line()


def module_cycles(graph: grimp.ImportGraph, roots: tuple[str, ...]) -> list[list[str]]:
    """Every set of two or more modules under ``roots`` that reach each other by
    imports among themselves (the strongly connected components), each sorted."""
    inside = {m for m in graph.modules if m.split(".")[0] in roots}
    edges = {
        m: sorted(x for x in graph.find_modules_directly_imported_by(m) if x in inside)
        for m in inside
    }
    return sorted(sorted(c) for c in _components(edges) if len(c) > 1)


def _components(edges: dict[str, list[str]]) -> Iterator[list[str]]:
    """Tarjan's strongly connected components, without recursion."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    for root in sorted(edges):
        if root in index:
            continue
        work: list[tuple[str, int]] = [(root, 0)]
        while work:
            node, position = work.pop()
            if position == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            targets = edges[node]
            if position < len(targets):
                work.append((node, position + 1))
                target = targets[position]
                if target not in index:
                    work.append((target, 0))
                elif target in on_stack:
                    low[node] = min(low[node], index[target])
                continue
            if work:  # back in the caller: pass the lowest link up
                caller = work[-1][0]
                low[caller] = min(low[caller], low[node])
            if low[node] == index[node]:
                component: list[str] = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                yield component


def _imports(graph: grimp.ImportGraph, importer: str, imported: str) -> bool:
    return importer != imported and graph.direct_import_exists(importer=importer, imported=imported)


def _lines(graph: grimp.ImportGraph, importer: str, imported: str) -> list[int]:
    details = graph.get_import_details(importer=importer, imported=imported)
    return sorted({int(d["line_number"]) for d in details})
