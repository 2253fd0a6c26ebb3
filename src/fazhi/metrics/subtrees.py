"""Counting records by org subtree, for many orgs at once, in one grouped query whatever the number of orgs.

An org's path is its ancestors' ids, ``PATH_STEP`` digits each, so an org's subtree holds exactly the records whose
org path starts with the org's path. The database groups the records by their own org's path (one row per org that
has records: ``GROUP BY org.path``), restricted to the subtrees asked about; each group is then added to every
org asked about whose path is a prefix of the group's path — at most one per depth, so the roll-up costs
(groups × depths) dictionary look-ups in Python, and no list of thousands of paths is sent to the database.

(An earlier version grouped by ``substr(org.path, 1, n)`` once per depth with the paths as an ``IN`` list: on the
province demo, 57,931 orgs, that was 6 queries and ~1.2 s per metric however few the records; see
``bench/metrics.py`` and docs/benchmarks.md.)
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import reduce
from operator import or_

from django.db.models import Count, Q, QuerySet, Sum

from fazhi.orgs.models import subtree_q

# Above this many separate subtrees, the query is restricted to their common ancestor's subtree (one range)
# rather than to each of them (an OR of ranges).
MAX_RANGES = 50


def count_by_subtree(
    queryset: QuerySet,
    paths: Sequence[str],
    *,
    numerator: Q,
    denominator: Q | None = None,
    org_field: str = "org__path",
    numerator_sum: str | None = None,
    denominator_sum: str | None = None,
) -> dict[str, tuple[int, int]]:
    """``{path: (numerator, denominator)}`` for every path given (0, 0 where the subtree has no record).

    The denominator counts the rows of ``queryset`` matching ``denominator`` (all rows when None), the numerator
    those matching ``numerator``. With ``numerator_sum``/``denominator_sum`` (a field name) the rows' values are
    summed instead of counted (e.g. hours).
    """
    wanted = set(paths)
    if not wanted:
        return {}
    num = Sum(numerator_sum, filter=numerator) if numerator_sum else Count("pk", filter=numerator)
    den_filter = denominator if denominator is not None else Q()
    den = Sum(denominator_sum, filter=den_filter) if denominator_sum else Count("pk", filter=den_filter)
    rows = (
        queryset.filter(_scope(wanted, org_field))
        .order_by()
        .values(org_field)
        .annotate(_num=num, _den=den)
        .values_list(org_field, "_num", "_den")
    )
    lengths = sorted({len(path) for path in wanted})
    numerators = dict.fromkeys(wanted, 0)
    denominators = dict.fromkeys(wanted, 0)
    for path, n, d in rows:
        if path is None or (not n and not d):
            continue
        for length in lengths:
            if length > len(path):
                break
            prefix = path[:length]
            if prefix in numerators:
                numerators[prefix] += n or 0
                denominators[prefix] += d or 0
    return {path: (numerators[path], denominators[path]) for path in paths}


def _roots(paths: Iterable[str]) -> list[str]:
    """The paths not inside another path given (their subtrees cover all the others)."""
    roots: list[str] = []
    for path in sorted(paths):
        if not roots or not path.startswith(roots[-1]):
            roots.append(path)
    return roots


def _scope(paths: Iterable[str], org_field: str) -> Q:
    """Rows in the subtrees of ``paths``: one range per subtree, or the common ancestor's range when there are
    more than MAX_RANGES (the roll-up ignores what lies outside them)."""
    roots = _roots(paths)
    if len(roots) <= MAX_RANGES:
        return reduce(or_, (subtree_q(root, org_field) for root in roots))
    first, last = roots[0], roots[-1]
    common = 0
    while common < min(len(first), len(last)) and first[common] == last[common]:
        common += 1
    return subtree_q(first[:common], org_field) if common else Q()
