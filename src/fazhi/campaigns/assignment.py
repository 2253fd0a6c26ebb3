"""Assigning reviewers to applications. Pure, no Django.

The rules (issue 4, "Review"):

- every application gets ``k`` distinct reviewers (those it already has count);
- no reviewer gets an application inside the subtree of any org they belong to (any membership, any
  role), nor inside the subtree of an org they declared a conflict with;
- reviewer loads (assignments in the campaign, existing ones included) differ by at most one;
- the same input gives the same output;
- an application that cannot get ``k`` eligible reviewers is reported as a :class:`Shortfall` (how many
  are missing, how many of the pool may review it), never silently skipped.

The method is greedy: applications by how few reviewers may review them (most constrained first), then
by their recommended order; each open place goes to the least-loaded eligible reviewer (ties by id).
A repair pass then passes assignments along chains of reviewers (A gives an application to B, B another
to C) from a reviewer carrying two more than another to that one, until no such chain exists.

What it guarantees: the eligibility rules always hold, and shortfalls are exact (an application is short
only when fewer eligible reviewers exist than it needs). When no chain is left, no reviewer can hand work,
directly or through others, to one carrying two less: the optimality condition of load balancing, under
which the loads are as even as the rules allow — in particular the spread is at most one whenever any plan
with a spread of at most one exists. With conflicts that may be impossible (a reviewer eligible for nothing
keeps load 0; only this run's assignments move, so an uneven start stays uneven); :attr:`Plan.spread`
reports the spread reached, and the administrator's page shows the loads.
``tests/campaigns/test_assignment.py`` checks the claim against an exhaustive search on small pools.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field


@dataclass(frozen=True)
class ApplicationIn:
    id: int
    org_path: str
    order: int = 0  # the recommended order (earlier first)
    reviewers: frozenset[int] = frozenset()  # reviewers already assigned


@dataclass(frozen=True)
class ReviewerIn:
    id: int
    member_paths: tuple[str, ...] = ()  # the orgs of all their memberships
    conflict_paths: tuple[str, ...] = ()  # the orgs they declared a conflict with
    load: int = 0  # assignments they already have in the campaign


@dataclass(frozen=True)
class Shortfall:
    application: int
    missing: int  # reviewers still needed
    eligible: int  # reviewers of the pool who may review it (all already assigned to it)
    pool: int  # reviewers in the pool


@dataclass
class Plan:
    assignments: list[tuple[int, int]] = field(default_factory=list)  # (application id, reviewer id), new ones
    shortfalls: list[Shortfall] = field(default_factory=list)
    loads: dict[int, int] = field(default_factory=dict)  # reviewer id -> load after the plan

    @property
    def spread(self) -> int:
        return max(self.loads.values()) - min(self.loads.values()) if self.loads else 0


def inside(path: str, roots: Iterable[str]) -> bool:
    """Whether the org at ``path`` is in the subtree of one of ``roots`` (org paths are prefixes)."""
    return any(path.startswith(root) for root in roots if root)


def eligible(reviewer: ReviewerIn, org_path: str) -> bool:
    return not inside(org_path, reviewer.member_paths) and not inside(org_path, reviewer.conflict_paths)


def plan(applications: Sequence[ApplicationIn], reviewers: Sequence[ReviewerIn], k: int) -> Plan:
    """New assignments giving every application ``k`` reviewers, and the shortfalls."""
    pool = sorted(reviewers, key=lambda r: r.id)
    loads = {r.id: r.load for r in pool}
    may = {a.id: [r.id for r in pool if eligible(r, a.org_path)] for a in applications}
    current = {a.id: set(a.reviewers) for a in applications}
    result = Plan(loads=loads)

    def open_places(a: ApplicationIn) -> int:
        return max(0, k - len(current[a.id]))

    order = sorted(applications, key=lambda a: (len(may[a.id]) - open_places(a), a.order, a.id))
    for application in order:
        for _ in range(open_places(application)):
            choices = [r for r in may[application.id] if r not in current[application.id]]
            if not choices:
                break
            chosen = min(choices, key=lambda r: (loads[r], r))
            current[application.id].add(chosen)
            loads[chosen] += 1
            result.assignments.append((application.id, chosen))
        missing = open_places(application)
        if missing:
            result.shortfalls.append(Shortfall(application.id, missing, len(may[application.id]), len(pool)))

    _rebalance(result, may, current)
    result.shortfalls.sort(key=lambda s: s.application)
    return result


def _rebalance(result: Plan, may, current) -> None:
    """Narrow the spread: while some reviewer carries at least two more than another, pass one assignment
    down a chain of reviewers (A gives an application to B, B gives another to C, …) ending at a reviewer
    with at least two fewer. Only this run's assignments move. When no such chain exists the loads are as
    even as the eligibility rules allow (the load-balancing optimality condition: no reviewer can hand work,
    directly or through others, to one carrying two less)."""
    loads = result.loads
    while True:
        lightest, path = min(loads.values(), default=0), None
        for start in sorted(loads, key=lambda r: (-loads[r], r)):
            if loads[start] - lightest < 2:
                break
            path = _chain(result.assignments, start, loads, may, current)
            if path:
                break
        if not path:
            break
        for index, giver, taker in path:
            application_id = result.assignments[index][0]
            result.assignments[index] = (application_id, taker)
            current[application_id].discard(giver)
            current[application_id].add(taker)
        loads[path[0][1]] -= 1
        loads[path[-1][2]] += 1
    result.assignments.sort()


def _chain(assignments, start: int, loads, may, current) -> list[tuple[int, int, int]] | None:
    """A shortest chain of moves (assignment index, from, to) from ``start`` to a reviewer carrying at least
    two less, by breadth-first search in a fixed order (so the result is deterministic)."""
    holdings: dict[int, list[int]] = {}
    for index, (_application, reviewer) in enumerate(assignments):
        holdings.setdefault(reviewer, []).append(index)
    came_from: dict[int, tuple[int, int] | None] = {start: None}
    queue = [start]
    for giver in queue:
        for index in holdings.get(giver, ()):
            application_id = assignments[index][0]
            for taker in may[application_id]:
                if taker in came_from or taker in current[application_id]:
                    continue
                came_from[taker] = (giver, index)
                if loads[taker] <= loads[start] - 2:
                    path = []
                    node = taker
                    while came_from[node] is not None:
                        previous, moved = came_from[node]
                        path.append((moved, previous, node))
                        node = previous
                    path.reverse()
                    return path
                queue.append(taker)
    return None
