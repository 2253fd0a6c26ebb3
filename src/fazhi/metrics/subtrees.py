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
from collections.abc import Collection, Iterator, Mapping, Sequence
from functools import reduce
from operator import or_

from django.db import connections
from django.db.models import Count, Max, Q, QuerySet, Sum

from fazhi.orgs.models import PATH_STEP, subtree_q

# Above this many paths, the query is restricted to their common ancestor's subtree (one range) rather than to
# each subtree (an OR of ranges).
MAX_RANGES = 50


class SubtreeCounts(Mapping):
    """``{path: (numerator, denominator)}`` for every path asked: the totals of the subtrees with records, (0, 0)
    for the others — filled in when read, not stored for each of the (maybe tens of thousands of) orgs asked.
    A path not asked is a KeyError, as in a dict of the paths asked. Compares equal to such a dict."""

    __slots__ = ("_paths", "_asked", "_num", "_den")

    def __init__(self, paths: Sequence[str], num: dict[str, int], den: dict[str, int]):
        self._paths = paths
        self._asked: dict[str, None] | None = None  # the paths asked, without repeats, in order (when first read)
        self._num, self._den = num, den

    def _wanted(self) -> dict[str, None]:
        if self._asked is None:
            self._asked = dict.fromkeys(self._paths)
        return self._asked

    def __getitem__(self, path: str) -> tuple[int, int]:
        if path not in (self._asked if self._asked is not None else self._wanted()):
            raise KeyError(path)
        return self._num.get(path, 0), self._den.get(path, 0)

    def get(self, path: str, default=None):  # Mapping.get goes through a KeyError for each miss: slower
        if path not in (self._asked if self._asked is not None else self._wanted()):
            return default
        return self._num.get(path, 0), self._den.get(path, 0)

    def __contains__(self, path: object) -> bool:
        return path in self._wanted()

    def __iter__(self) -> Iterator[str]:
        return iter(self._wanted())

    def __len__(self) -> int:
        return len(self._wanted())

    def __repr__(self) -> str:
        return f"SubtreeCounts({dict(self.items())!r})"


def count_by_subtree(
    queryset: QuerySet,
    paths: Sequence[str],
    *,
    numerator: Q,
    denominator: Q | None = None,
    org_field: str = "org__path",
    numerator_sum: str | None = None,
    denominator_sum: str | None = None,
) -> SubtreeCounts:
    """``{path: (numerator, denominator)}`` for every path given (0, 0 where the subtree has no record).

    The denominator counts the rows of ``queryset`` matching ``denominator`` (all rows when None), the numerator
    those matching ``numerator``. With ``numerator_sum``/``denominator_sum`` (a field name) the rows' values are
    summed instead of counted (e.g. hours). A metric whose numerator lies within its denominator is quickest with
    the denominator as a filter of ``queryset`` (the database then tests it once per row, in the WHERE clause).
    """
    if not paths:
        return SubtreeCounts(paths, {}, {})
    num = Sum(numerator_sum, filter=numerator) if numerator_sum else Count("pk", filter=numerator)
    den_filter = denominator if denominator is not None else Q()
    den = Sum(denominator_sum, filter=den_filter) if denominator_sum else Count("pk", filter=den_filter)
    # Group by the org's id (the records' own column: the database reads the records by their own indexes and
    # looks each org up by its key), carrying its path along.
    group = org_field.rsplit("__", 1)[0] if "__" in org_field else "pk"
    scoped = queryset.filter(_scope(paths, org_field))
    if denominator and numerator:  # (an empty Q means every row) a row in neither adds nothing: leave it out
        scoped = scoped.filter(denominator | numerator)
    rows = (
        scoped.order_by()
        .values(group)
        .annotate(_path=Max(org_field), _num=num, _den=den)
        .values_list("_path", "_num", "_den")
    )
    summed = bool(numerator_sum or denominator_sum)
    return SubtreeCounts(paths, *_roll_up(_fetch(rows, converted=summed), summed=summed))


def _roll_up(rows, *, summed: bool = False) -> tuple[dict[str, int], dict[str, int]]:
    """``({path: numerator}, {path: denominator})`` for every org with records in its subtree, from each org's own
    totals: level by level from the deepest, each org's totals are added to its parent's (the path without its last
    PATH_STEP digits) — one dictionary update per org touched, not one per org and depth. Plain integers in two
    dictionaries (no object per org: fewer allocations, fewer garbage-collector passes)."""
    if summed:  # a sum over no row is NULL
        rows = [(path, n or 0, d or 0) for path, n, d in rows]
    num = {path: n for path, n, _d in rows if path is not None}
    den = {path: d for path, _n, d in rows if path is not None}
    by_length: defaultdict[int, list[str]] = defaultdict(list)
    for path in num:
        by_length[len(path)].append(path)
    if not by_length:
        return num, den
    for length in range(max(by_length), PATH_STEP, -PATH_STEP):
        level = by_length.pop(length, None)
        if not level:
            continue
        cut = length - PATH_STEP
        fresh = by_length[cut]
        for path in level:
            parent = path[:cut]
            if parent in num:
                num[parent] += num[path]
                den[parent] += den[path]
            else:
                num[parent] = num[path]
                den[parent] = den[path]
                fresh.append(parent)
    return num, den


def _fetch(rows: QuerySet, *, converted: bool):
    """The rows; counts (integers and a path) straight from the cursor, without the ORM's per-row converters
    (a third of the time for 20,000 groups); sums through the ORM, which makes them Decimals — read whole, not by
    ``iterator()``, which on PostgreSQL opens a server-side cursor (a plan for the first rows, a round trip per
    chunk: 0.16 s more for 5,000 groups)."""
    if converted:
        return list(rows)
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
