"""Matching: speed, memory and quality, printed as figures (nothing is asserted).

    make bench                                   # everything (~1 h: old code at 50,000)
    .venv/bin/python -m benchmarks.matching --quick

Pools come from the synthetic workforce (four continents, six departments, skills
by department). A "constrained" pool is a program's fifth round: everyone has met four
earlier partners (no repeats allowed), and pairs need 4 shared working hours
instead of 2. Tandem is compared with random pairing (what most chat coffee
bots do), greedy pairing (best available pair first) and the exact optimum (the
blossom algorithm on every feasible pair) where that can be computed.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import subprocess
import sys
import time
from collections.abc import Sequence

from benchmarks.baseline.rounds import ProposedMatch as OldMatch
from benchmarks.matching_bound import bound_gap
from benchmarks.matching_quality import compare, pool, sparsity
from bot.matching.participant import Profile
from bot.matching.proposal import ProposedMatch as Match
from bot.matching.proposal import peer_round
from bot.matching.score import Blocked, Context, Mode, score_pair


def one(size: int) -> None:
    """Time one Tandem round in this (fresh) process; print JSON for the parent."""
    people, ctx = pool(size, 11, constrained=False)
    start = time.perf_counter()
    round_ = peer_round(people, ctx, 1)
    seconds = time.perf_counter() - start
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        json.dumps(
            {
                "people": size,
                "seconds": seconds,
                "peak_mib": peak,
                "matched": sum(len(m.members) for m in round_.matches),
            }
        )
    )


FORMATS = ("pairs", "mentor", "reverse", "circles")


def run_format(size: int, fmt: str, which: str) -> None:
    """One round of ``fmt`` by ``which`` code (old: the pre-issue-18 copy in
    benchmarks/baseline; new: bot.matching as it runs by default; whole: new code
    never split), in this (fresh) process; print JSON for the parent."""
    from dataclasses import replace

    from benchmarks.baseline import circles as old_circles
    from benchmarks.baseline import rounds as old_rounds
    from bot.matching import circles as new_circles
    from bot.matching import proposal as new_rounds

    people, ctx = pool(size, 11, constrained=False)
    if fmt in ("mentor", "reverse"):
        ctx = replace(ctx, mode=Mode(fmt))
    proposal: old_rounds.Proposal | new_rounds.Proposal
    cpu_before = _cpu()
    start = time.perf_counter()
    if fmt == "circles":
        proposal = (old_circles if which == "old" else new_circles).circle_round(people, ctx, 1)
    elif fmt != "pairs":
        if which == "old":
            proposal = old_rounds.mentoring_round(people, ctx, 1)
        else:
            limit = "auto" if which == "new" else None
            proposal = new_rounds.mentoring_round(people, ctx, 1, split_limit=limit)
    elif which == "old":
        proposal = old_rounds.peer_round(people, ctx, 1)
    else:  # new: the default (split above SPLIT_ABOVE people); whole: never split
        limit = "auto" if which == "new" else None
        proposal = new_rounds.peer_round(people, ctx, 1, split_limit=limit)
    seconds = time.perf_counter() - start
    placed = {m for match in proposal.matches for m in match.members}
    print(
        json.dumps(
            {
                "seconds": seconds,
                # The round's CPU time: on a busy machine a better guide than the
                # wall clock to the time on a quiet one.
                "cpu": _cpu() - cpu_before,
                # The whole process's peak: the pool and the round.
                "peak_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "total": proposal.total(),
                "matched": len(placed),
                "waiting": len(proposal.unmatched),
                "broken": broken_rules(proposal.matches, people, ctx),
            }
        )
    )


def _cpu() -> float:
    used = resource.getrusage(resource.RUSAGE_SELF)
    return used.ru_utime + used.ru_stime


def broken_rules(
    matches: Sequence[Match | OldMatch], people: Sequence[Profile], ctx: Context
) -> int:
    """Matches that break a hard rule (any two members, a circle's common hours, a
    mentor over capacity), checked by today's reference scoring for either code."""
    from bot.matching.circles import describe_circle

    by_id = {p.id: p for p in people}
    seats: dict[str, int] = {}
    broken = 0
    for match in matches:
        members = [by_id[m] for m in match.members]
        if match.topic is not None:
            broken += describe_circle(members, match.topic, ctx) is None
            continue
        if "mentor" in match.roles:
            mentor = by_id[match.members[match.roles.index("mentor")]]
            seats[mentor.id] = seats.get(mentor.id, 0) + 1
            pairs = [(mentor, m) for m in members if m is not mentor]
        else:
            pairs = [(a, b) for n, a in enumerate(members) for b in members[n + 1 :]]
        broken += any(isinstance(score_pair(a, b, ctx), Blocked) for a, b in pairs)
    capacity = ctx.settings.mentor_capacity
    return broken + sum(1 for used in seats.values() if used > capacity)


def _fresh(*args: str) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-m", "benchmarks.matching", *args],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    figures: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return figures


def side_by_side(
    sizes: Sequence[int],
    formats: Sequence[str],
    old_upto: int | None = None,
    old_upto_others: int | None = None,
    whole_upto: int = 10000,
) -> None:
    """Old (pre-issue-18) against new code on the same pools, each in a fresh process.

    Pairs rounds also run ``whole`` (the new code solving the whole pool at once)
    where the new default splits, up to ``whole_upto`` people. Above ``old_upto``
    people (pairs) or ``old_upto_others`` (the other formats) the old code is not
    run: its time is extrapolated and marked ``~``. The growth exponent is fitted
    on time from the smallest to the largest size."""
    from bot.matching.proposal import SPLIT_ABOVE

    print("\nOld (pre-issue-18 copy) vs new, same pools, each round in a fresh process")
    print(f"  new = the default (split above {SPLIT_ABOVE:,} people), whole = never split")
    print("  cpu = the round's CPU time (a guide when the machine is busy); peak = whole")
    print("  process (pool included); broken = matches breaking a hard rule")
    print(
        f"  {'people':>6} {'format':<8} {'code':<6} {'seconds':>8} {'cpu s':>7} {'peak MiB':>9} "
        f"{'total':>10} {'vs old':>8} {'matched':>8} {'waiting':>8} {'broken':>7}"
    )
    times: dict[tuple[str, str], list[tuple[int, float]]] = {}
    for size in sizes:
        for fmt in formats:
            cap = old_upto if fmt == "pairs" else old_upto_others
            codes = ["old", "new"]
            if fmt in ("pairs", "mentor") and SPLIT_ABOVE < size <= whole_upto:
                codes.append("whole")
            old: dict[str, float] = {}
            for code in codes:
                if code == "old" and cap is not None and size > cap:
                    _extrapolated(times.get((fmt, code), []), size, fmt)
                    continue
                f = _fresh("--format-run", fmt, code, str(size))
                old = f if code == "old" else old
                times.setdefault((fmt, code), []).append((size, f["seconds"]))
                _row(size, fmt, code, f, old)
    if len(sizes) >= 2:
        print("  fitted growth exponent (time), smallest to largest size run:")
        for (fmt, code), points in times.items():
            (n0, t0), (n1, t1) = points[0], points[-1]
            if n1 > n0:
                exponent = math.log(t1 / t0) / math.log(n1 / n0)
                print(f"    {fmt:<8} {code:<6} {n0:>6}->{n1:<6} {exponent:5.2f}")


def _row(size: int, fmt: str, code: str, f: dict[str, float], old: dict[str, float]) -> None:
    diff = f"{100 * (f['total'] / old['total'] - 1):+.2f}%" if old.get("total") else "—"
    more = " (more waiting than old)" if old and f["waiting"] > old["waiting"] else ""
    figures = f"{f['seconds']:>8.2f} {f['cpu']:>7.2f} {f['peak_mib']:>9.0f} {f['total']:>10.0f}"
    counts = f"{f['matched']:>8.0f} {f['waiting']:>8.0f} {f['broken']:>7.0f}"
    print(f"  {size:>6} {fmt:<8} {code:<6} {figures} {diff:>8} {counts}{more}")


# The old code's growth on the whole process, pairs format (issue 18: n^2.0-2.3).
_OLD_EXPONENT = 2.2


def _extrapolated(points: list[tuple[int, float]], size: int, fmt: str) -> None:
    """The old code's time at ``size``, from its largest measured size and the
    issue's exponent (the old code is not run: it would take very long)."""
    if not points:
        print(f"  {size:>6} {fmt:<8} {'old':<6} {'not run':>8}")
        return
    n0, t0 = points[-1]
    guess = t0 * (size / n0) ** _OLD_EXPONENT
    print(
        f"  {size:>6} {fmt:<8} {'old':<6} {'~' + format(guess, '.0f'):>8} {'—':>9} {'—':>10} "
        f"{'—':>8}   (not run: {n0:,} people's time x (n/{n0:,})^{_OLD_EXPONENT})"
    )


def speed(sizes: Sequence[int]) -> None:
    print("\nSpeed and memory (each in a fresh process; peak = whole process, numpy included)")
    for size in sizes:
        out = subprocess.run(
            [sys.executable, "-m", "benchmarks.matching", "--one", str(size)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        figures = json.loads(out.strip().splitlines()[-1])
        print(
            f"  {size:>6} people: {figures['seconds']:6.2f} s, peak {figures['peak_mib']:6.0f} "
            f"MiB, {figures['matched']} matched"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--quick", action="store_true", help="1,000 people only (CI); the full run takes ~1 h"
    )
    parser.add_argument("--one", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--format-run", nargs=3, help=argparse.SUPPRESS)
    parser.add_argument(
        "--sizes",
        type=int,
        nargs="+",
        help="pool sizes for old vs new (default 1,000 quick, else 10,000 and 50,000)",
    )
    parser.add_argument("--formats", nargs="+", choices=FORMATS, help="old vs new: these only")
    parser.add_argument(
        "--old-upto",
        type=int,
        help="pairs: run the old code only up to this many people, extrapolate above "
        "(default: every size; the old code takes ~26 min of CPU at 50,000)",
    )
    parser.add_argument(
        "--old-upto-others",
        type=int,
        default=10000,
        help="mentoring and circles: the same (default 10,000)",
    )
    args = parser.parse_args()
    if args.one:
        one(args.one)
        return
    if args.format_run:
        fmt, which, size = args.format_run
        run_format(int(size), fmt, which)
        return
    side_by_side(
        args.sizes or ([1000] if args.quick else [10000, 50000]),
        args.formats or FORMATS,
        args.old_upto,
        args.old_upto_others,
    )
    speed([1000] if args.quick else [1000, 10000])
    # After the fresh processes: a child started from a large parent reports the
    # parent's peak as its own (Linux keeps ru_maxrss across exec).
    bound_gap([4000] if args.quick else [n for n in args.sizes or [10000, 50000] if n > 3000])
    for size in (60, 200, 1000) if args.quick else (60, 200, 1000, 2000):
        compare(size, constrained=False, with_exact=True)
        compare(size, constrained=True, with_exact=True)
    if not args.quick:
        compare(10000, constrained=False, with_exact=False)
        sparsity(2000)


if __name__ == "__main__":
    main()
