"""Counting records by org subtree, for many orgs at once, in one grouped query whatever the number of orgs.

An org's path is its ancestors' ids, ``PATH_STEP`` digits each, so an org's subtree holds exactly the records whose
org path starts with the org's path. The database groups the records by their own org (``GROUP BY org_id``, the
org's path carried along), restricted to the subtrees asked about; each group is then added to every org asked
about whose path is a prefix of the group's path: level by level from the deepest, each org's totals go to its
parent, so the roll-up costs one dictionary update per org touched, and no list of thousands of paths is sent to
the database.

(The first version grouped by ``substr(org.path, 1, n)`` once per depth with the paths as an ``IN`` list: on the
province demo, 57,931 orgs, that took 6 queries and ~0.35 s per metric however few the records; grouping by the
path rather than the org's id let SQLite walk the whole org table in path order. See bench/metrics.py.)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Sequence
from functools import reduce
from operator import or_

from django.db import connections
from django.db.models import Count, Max, Q, QuerySet, Sum

from fazhi.orgs.models import PATH_STEP, subtree_q

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
    scoped = queryset.filter(_scope(result, org_field))
    if denominator and numerator:  # (an empty Q means every row) a row in neither adds nothing: leave it out
        scoped = scoped.filter(denominator | numerator)
    rows = (
        scoped.order_by()
        .values(group)
        .annotate(_path=Max(org_field), _num=num, _den=den)
        .values_list("_path", "_num", "_den")
    )
    totals = _roll_up(_fetch(rows, converted=bool(numerator_sum or denominator_sum)))
    for path, (n, d) in totals.items():
        if path in result:
            result[path] = (n, d)
    return result


def _roll_up(rows) -> dict[str, list]:
    """``{path: [numerator, denominator]}`` for every org with records in its subtree, from each org's own totals:
    level by level from the deepest, each org's totals are added to its parent's (the path without its last
    PATH_STEP digits) — one dictionary update per org touched, not one per org and depth."""
    totals: dict[str, list] = {}
    by_length: defaultdict[int, list[str]] = defaultdict(list)
    for path, n, d in rows:
        if path is None:
            continue
        totals[path] = [n or 0, d or 0]
        by_length[len(path)].append(path)
    if not by_length:
        return totals
    for length in range(max(by_length), PATH_STEP, -PATH_STEP):
        cut = length - PATH_STEP
        for path in by_length.get(length, ()):
            n, d = totals[path]
            parent = path[:cut]
            above = totals.get(parent)
            if above is None:
                totals[parent] = [n, d]
                by_length[cut].append(parent)
            else:
                above[0] += n
                above[1] += d
    return totals


def _fetch(rows: QuerySet, *, converted: bool):
    """The rows; counts (integers and a path) straight from the cursor, without the ORM's per-row converters
    (a third of the time for 20,000 groups); sums through the ORM, which makes them Decimals."""
    if converted:
        return rows.iterator(chunk_size=10_000)
    sql, params = rows.query.sql_with_params()
    with connections[rows.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


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
