"""CPU time and peak memory of this process and every process it started, from /proc.

Large rounds solve neighbourhoods in worker processes that a fork server starts
(``bot/matching/blossoms.py``); they are not this process's children, so
``getrusage(RUSAGE_CHILDREN)`` never sees them. :class:`TreeUsage` samples the
whole tree instead while a round runs: the peak is the largest sum of resident
memory seen at one moment, the CPU the sum of each process's last reading.
Linux only (it reads /proc); elsewhere it reports this process alone.
"""

from __future__ import annotations

import os
import resource
import threading
from pathlib import Path
from types import TracebackType

_TICKS = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100
_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096
_PROC = Path("/proc")


def _stat(pid: int) -> tuple[int, float] | None:
    """(parent pid, CPU seconds) of ``pid``, or None if it is gone."""
    try:
        text = (_PROC / str(pid) / "stat").read_text()
    except OSError:
        return None
    fields = text[text.rindex(")") + 2 :].split()  # after "pid (name) "
    return int(fields[1]), (int(fields[11]) + int(fields[12])) / _TICKS


def _rss(pid: int) -> int:
    try:
        return int((_PROC / str(pid) / "statm").read_text().split()[1]) * _PAGE
    except (OSError, IndexError, ValueError):
        return 0


class TreeUsage:
    """``with TreeUsage() as usage: ...`` then ``usage.cpu`` (s) and ``usage.peak`` (bytes)."""

    def __init__(self, every: float = 0.1) -> None:
        self._every = every
        self._stop = threading.Event()
        self._cpu: dict[int, float] = {}  # other processes: last CPU seen
        self.peak = 0
        self.cpu = 0.0
        self._start_cpu = 0.0
        self._thread = threading.Thread(target=self._watch, daemon=True)

    def __enter__(self) -> TreeUsage:
        own = resource.getrusage(resource.RUSAGE_SELF)
        self._start_cpu = own.ru_utime + own.ru_stime
        self._thread.start()
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:
        self._stop.set()
        self._thread.join()
        own = resource.getrusage(resource.RUSAGE_SELF)
        self.cpu = own.ru_utime + own.ru_stime - self._start_cpu + sum(self._cpu.values())
        self.peak = max(self.peak, own.ru_maxrss * 1024)

    def _watch(self) -> None:
        while not self._stop.wait(self._every):
            self._sample()

    def _sample(self) -> None:
        if not _PROC.is_dir():
            return
        me = os.getpid()
        parents: dict[int, int] = {}
        cpu: dict[int, float] = {}
        for entry in _PROC.iterdir():
            if entry.name.isdigit() and (found := _stat(int(entry.name))) is not None:
                parents[int(entry.name)], cpu[int(entry.name)] = found
        tree = {me}
        grew = True
        while grew:
            more = {pid for pid, parent in parents.items() if parent in tree} - tree
            tree |= more
            grew = bool(more)
        others = tree - {me}
        for pid in others:
            self._cpu[pid] = cpu[pid]
        self.peak = max(self.peak, sum(_rss(pid) for pid in tree))
