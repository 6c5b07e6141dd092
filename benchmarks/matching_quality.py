"""Matching quality on synthetic pools: Tandem against random, greedy and exact pairing."""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date

from bot.admin import bundled_programs
from bot.matching import candidates
from bot.matching.participant import Profile, key
from bot.matching.proposal import peer_round
from bot.matching.score import Blocked, Context, Mode, ReportingLines, Rule, score_pair
from bot.matching.tuning import MatchingSettings
from demo.workforce import workforce

ON = date(2027, 1, 6)
Pairs = list[tuple[Profile, Profile]]


def pool(size: int, seed: int, constrained: bool) -> tuple[list[Profile], Context]:
    spec = bundled_programs()[0]
    people = [
        Profile(
            id=p.user_id,
            name=p.name,
            timezone=p.timezone,
            hours=p.hours,
            level=p.level,
            offers=frozenset(map(key, p.offers)),
            wants=frozenset(map(key, p.wants)),
            goals=frozenset(str(g) for g in p.goals),
            style=str(p.style),
            role=p.role,
            reverse=p.reverse,
            avoid=frozenset(p.avoid),
            manager=p.manager,
            department=p.department,
        )
        for p in workforce(size, seed, spec.skills)
    ]
    lines = ReportingLines({p.id: p.manager for p in people})
    ctx = Context(MatchingSettings(), ON, Mode.PEER, frozenset(), lines)
    if not constrained:
        return people, ctx
    strict = MatchingSettings(min_overlap_hours=4)
    history: set[frozenset[str]] = set()
    for earlier in range(4):
        ctx = Context(strict, ON, Mode.PEER, frozenset(history), lines)
        history |= {
            frozenset(m.members)
            for m in peer_round(people, ctx, seed + 100 + earlier, trios=False).matches
        }
    return people, Context(strict, ON, Mode.PEER, frozenset(history), lines)


def random_pairs(people: Sequence[Profile], ctx: Context, seed: int) -> Pairs:
    shuffled = list(people)
    random.Random(seed).shuffle(shuffled)
    return list(zip(shuffled[::2], shuffled[1::2], strict=False))


def greedy_pairs(people: Sequence[Profile], ctx: Context, seed: int) -> Pairs:
    k = None if len(people) <= 2000 else 12
    graph = candidates.build(people, None, ctx, k)
    taken: set[int] = set()
    pairs = []
    for (a, b), _ in sorted(graph.edges.items(), key=lambda e: (-e[1], e[0])):
        if a not in taken and b not in taken:
            taken |= {a, b}
            pairs.append((people[a], people[b]))
    return pairs


def tandem_pairs(
    people: Sequence[Profile], ctx: Context, seed: int, k: int | str | None = "auto"
) -> Pairs:
    by_id = {p.id: p for p in people}
    round_ = peer_round(people, ctx, seed, k=k, trios=False)
    return [(by_id[m.members[0]], by_id[m.members[1]]) for m in round_.matches]


def exact_pairs(people: Sequence[Profile], ctx: Context, seed: int) -> Pairs:
    return tandem_pairs(people, ctx, seed, k=None)


@dataclass
class Quality:
    total: float
    pairs: int
    one_way: float
    both_ways: float
    three_hours: float
    unmatched: int
    repeats: int
    violations: int


def quality(pairs: Pairs, people: Sequence[Profile], ctx: Context) -> Quality:
    total, one, both, hours, repeats, violations = 0.0, 0, 0, 0, 0, 0
    for a, b in pairs:
        result = score_pair(a, b, ctx)
        if isinstance(result, Blocked):
            violations += 1
            repeats += result.rule is Rule.REPEAT
            continue
        total += result.total
        directions = {r.who for r in result.reasons if r.code == "teaches" and r.items}
        one += bool(directions)
        both += len(directions) == 2
        hours += any(r.code == "hours" and r.value >= 3 for r in result.reasons)
    n = max(len(pairs), 1)
    return Quality(
        total,
        len(pairs),
        one / n,
        both / n,
        hours / n,
        len(people) - 2 * len(pairs),
        repeats,
        violations,
    )


Method = Callable[[Sequence[Profile], Context, int], Pairs]


def compare(size: int, constrained: bool, with_exact: bool) -> None:
    people, ctx = pool(size, 11, constrained)
    methods: dict[str, Method] = {
        "random": random_pairs,
        "greedy": greedy_pairs,
        "tandem": tandem_pairs,
    }
    if with_exact:
        methods["exact"] = exact_pairs
    kind = "constrained (fifth round, 4 h overlap)" if constrained else "first round"
    print(f"\n{size} people, {kind}")
    print(
        f"  {'method':<8} {'total':>9} {'vs exact':>9} {'one-way':>8} {'both':>6} "
        f"{'>=3h':>6} {'unmatched':>9} {'repeats':>8} {'violations':>10} {'seconds':>8}"
    )
    results = {}
    for name, method in methods.items():
        start = time.perf_counter()
        pairs = method(people, ctx, 1)
        seconds = time.perf_counter() - start
        results[name] = (quality(pairs, people, ctx), seconds)
    best = results["exact"][0].total if with_exact else None
    for name, (q, seconds) in results.items():
        gap = f"{100 * (q.total / best - 1):+.2f}%" if best else "—"
        print(
            f"  {name:<8} {q.total:>9.0f} {gap:>9} {q.one_way:>8.0%} {q.both_ways:>6.0%} "
            f"{q.three_hours:>6.0%} {q.unmatched:>9} {q.repeats:>8} {q.violations:>10} "
            f"{seconds:>8.2f}"
        )


def sparsity(size: int) -> None:
    people, ctx = pool(size, 11, constrained=False)
    exact = quality(exact_pairs(people, ctx, 1), people, ctx).total
    print(f"\nCandidates kept per person, {size} people (exact total {exact:.0f})")
    for k in (4, 8, 12, 20):
        start = time.perf_counter()
        total = quality(tandem_pairs(people, ctx, 1, k=k), people, ctx).total
        print(
            f"  k={k:<3} gap {100 * (1 - total / exact):.3f}%   {time.perf_counter() - start:.2f} s"
        )
