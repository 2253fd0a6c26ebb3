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
A repair pass then moves single assignments from the most- to the least-loaded reviewer while that
narrows the spread.

What it guarantees: the eligibility rules always hold, and shortfalls are exact (an application is short
only when fewer eligible reviewers exist than it needs). Without conflicts (every reviewer eligible for
every application) and with starting loads within one of each other, the spread is at most one. With
conflicts a spread of at most one may be impossible (a reviewer eligible for nothing keeps load 0), and
greedy plus single moves can miss a balanced plan that needs a chain of moves; :attr:`Plan.spread` reports
the spread reached, and the administrator's page shows it. ``tests/campaigns/test_assignment.py`` compares
it with an exhaustive search on small pools (up to 4 applications × 4 reviewers with conflicts): whenever a
plan of spread at most one exists there, this one finds such a plan too.
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
    """Move new assignments from the most- to the least-loaded reviewers while the spread narrows."""
    loads = result.loads
    for _ in range(len(result.assignments) * max(1, len(loads))):
        moved = False
        high_first = sorted(loads, key=lambda r: (-loads[r], r))
        low_first = sorted(loads, key=lambda r: (loads[r], r))
        for high in high_first:
            for low in low_first:
                if loads[high] - loads[low] < 2:
                    break
                index = _movable(result.assignments, high, low, may, current)
                if index is not None:
                    application_id, _old = result.assignments[index]
                    result.assignments[index] = (application_id, low)
                    current[application_id].discard(high)
                    current[application_id].add(low)
                    loads[high] -= 1
                    loads[low] += 1
                    moved = True
                    break
            if moved:
                break
        if not moved:
            break
    result.assignments.sort()


def _movable(assignments, high: int, low: int, may, current) -> int | None:
    for index, (application_id, reviewer_id) in enumerate(assignments):
        if reviewer_id == high and low in may[application_id] and low not in current[application_id]:
            return index
    return None
