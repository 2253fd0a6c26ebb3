"""Counting records by org subtree, for many orgs at once, in one grouped query whatever the number of orgs.

An org's path is its ancestors' ids, ``PATH_STEP`` digits each, so an org's subtree holds exactly the records whose
org path starts with the org's path. The database groups the records by their own org (``GROUP BY org_id``, the
org's path carried along), restricted to the subtrees asked about; each group is then added to every org asked
about whose path is a prefix of the group's path — at most one per depth, so the roll-up costs (groups × depths)
dictionary look-ups in Python, and no list of thousands of paths is sent to the database.

(The first version grouped by ``substr(org.path, 1, n)`` once per depth with the paths as an ``IN`` list: on the
province demo, 57,931 orgs, that took 6 queries and ~0.35 s per metric however few the records; grouping by the
path rather than the org's id let SQLite walk the whole org table in path order. See bench/metrics.py.)
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from functools import reduce
from operator import or_

from django.db.models import Count, Max, Q, QuerySet, Sum

from fazhi.orgs.models import subtree_q

# Above this many paths, the query is restricted to their common ancestor's subtree (one range) rather than to
# each subtree (an OR of ranges).
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
    result: dict[str, tuple[int, int]] = dict.fromkeys(paths, (0, 0))
    if not result:
        return result
    num = Sum(numerator_sum, filter=numerator) if numerator_sum else Count("pk", filter=numerator)
    den_filter = denominator if denominator is not None else Q()
    den = Sum(denominator_sum, filter=den_filter) if denominator_sum else Count("pk", filter=den_filter)
    # Group by the org's id (the records' own column: the database reads the records by their own indexes and
    # looks each org up by its key), carrying its path along.
    group = org_field.rsplit("__", 1)[0] if "__" in org_field else "pk"
    rows = (
        queryset.filter(_scope(result, org_field))
        .order_by()
        .values(group)
        .annotate(_path=Max(org_field), _num=num, _den=den)
        .values_list("_path", "_num", "_den")
    )
    lengths = sorted(set(map(len, result)))
    totals: dict[str, list] = {}
    for path, n, d in rows:
        if path is None or (not n and not d):
            continue
        for length in lengths:
            if length > len(path):
                break
            prefix = path[:length]
            if prefix in result:
                total = totals.setdefault(prefix, [0, 0])
                total[0] += n or 0
                total[1] += d or 0
    result.update((path, (n, d)) for path, (n, d) in totals.items())
    return result


def _scope(paths: Collection[str], org_field: str) -> Q:
    """Rows in the subtrees of ``paths``: one range per subtree, or — for more than MAX_RANGES paths — the range of
    their common ancestor (the lexicographically first and last paths share the prefix all of them share); the
    roll-up ignores what lies outside the subtrees asked about."""
    if len(paths) > MAX_RANGES:
        first, last = min(paths), max(paths)
        common = 0
        while common < min(len(first), len(last)) and first[common] == last[common]:
            common += 1
        return subtree_q(first[:common], org_field) if common else Q()
    roots: list[str] = []
    for path in sorted(paths):
        if not roots or not path.startswith(roots[-1]):
            roots.append(path)
    return reduce(or_, (subtree_q(root, org_field) for root in roots))
