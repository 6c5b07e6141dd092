"""Blossom solves of neighbourhoods, one after another or side by side in processes.

The large-neighbourhood search (:mod:`bot.matching.neighbourhoods`) spends most
of a large round in the blossom algorithm, one neighbourhood at a time, and
rustworkx holds the GIL while it runs, so threads do not help. Neighbourhoods
that share nobody are independent, so :class:`Processes` solves a batch of them
in worker processes while :class:`InProcess` solves them here; both return the
same matchings in the same order, and which neighbourhoods form a batch never
depends on how many workers there are: the same seed gives the same round on
any machine.

Workers start from a fork server (never a fork of the running app and its
threads) that has imported this module and the main module once, so workers
start quickly. As with any process pool started this way, a script that runs a
large round must keep its top-level code under ``if __name__ == "__main__":``
(Tandem's commands do).
"""

from __future__ import annotations

import logging
import multiprocessing
import os
from collections.abc import Iterator, Sequence
from concurrent.futures import Executor, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Protocol

import rustworkx as rx

log = logging.getLogger(__name__)

# A neighbourhood to solve: its people numbered 0..count-1, and its edges
# (a[i], b[i]) with integer weights.
LocalPairs = list[tuple[int, int]]

WORKERS_MOST = 4  # beyond this, the batches are too small to keep more busy
PARALLEL_FROM = 4000  # fewer people: a round is too short to pay for starting workers


@dataclass(frozen=True)
class Neighbourhood:
    """People numbered ``0..count-1`` and the edges among them, ``(a[i], b[i])``
    with weight ``w[i]``."""

    count: int
    a: list[int]
    b: list[int]
    w: list[int]


def solve_one(hood: Neighbourhood) -> LocalPairs:
    """The most pairs, then the highest total weight: each pair ``(x, y)`` with x < y."""
    graph: rx.PyGraph = rx.PyGraph(multigraph=False)
    graph.add_nodes_from(range(hood.count))
    graph.add_edges_from(list(zip(hood.a, hood.b, hood.w, strict=True)))
    found = rx.max_weight_matching(graph, max_cardinality=True, weight_fn=int)
    return sorted((min(x, y), max(x, y)) for x, y in found)


class Blossoms(Protocol):
    """Solves neighbourhoods; the answers come back in the order asked."""

    def solve(self, hoods: Sequence[Neighbourhood]) -> list[LocalPairs]: ...


class InProcess:
    """One after another, in this process."""

    def solve(self, hoods: Sequence[Neighbourhood]) -> list[LocalPairs]:
        return [solve_one(hood) for hood in hoods]


class Processes:
    """Side by side in worker processes (one batch at a time). Should the workers
    die (the machine out of memory), the rest is solved here: the same answers,
    only slower."""

    def __init__(self, pool: Executor) -> None:
        self._pool: Executor | None = pool

    def solve(self, hoods: Sequence[Neighbourhood]) -> list[LocalPairs]:
        if len(hoods) < 2 or self._pool is None:
            return [solve_one(hood) for hood in hoods]
        try:
            return list(self._pool.map(solve_one, hoods))
        except (BrokenProcessPool, OSError):
            # Workers that died, or could not start (no /dev/shm, a temp dir the
            # fork server cannot use): the same answers, found here.
            log.warning("matching workers unavailable; solving in the round's own process")
            self._pool = None
            return [solve_one(hood) for hood in hoods]


def workers_here() -> int:
    """The CPUs this process may use, up to :data:`WORKERS_MOST`."""
    try:
        usable = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        usable = os.cpu_count() or 1
    return min(usable, WORKERS_MOST)


@contextmanager
def blossoms(people: int, workers: int | None = None) -> Iterator[Blossoms]:
    """Worker processes for a round of ``people`` when it is large enough and there
    is more than one CPU; else solving in this process. The workers end with the
    round."""
    count = workers_here() if workers is None else workers
    if count < 2 or people < PARALLEL_FROM:
        yield InProcess()
        return
    context = multiprocessing.get_context("forkserver")
    # The fork server imports the main module once, so that each worker does not
    # import it again (under the ``tandem`` command that is the whole app).
    context.set_forkserver_preload(["__main__", __name__])
    try:
        pool = ProcessPoolExecutor(count, mp_context=context)
    except (OSError, NotImplementedError, ValueError):  # no process pools here
        log.warning("matching workers unavailable; solving in the round's own process")
        yield InProcess()
        return
    with pool:
        yield Processes(pool)
