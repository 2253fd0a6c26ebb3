"""Counting records by org subtree, for many orgs at once, in one query per depth of the orgs asked about.

An org's path is its ancestors' ids, ``PATH_STEP`` digits each, so the records of every org at one depth are
grouped by the first ``len(path)`` characters of the record's org path: ``GROUP BY substr(org.path, 1, n)``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from django.db.models import Count, Q, QuerySet, Sum
from django.db.models.functions import Substr

# SQLite's limit on bound parameters is 32,766; stay well below it.
CHUNK = 10_000


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
    by_length: dict[int, list[str]] = defaultdict(list)
    for path in set(paths):
        by_length[len(path)].append(path)
    num = Sum(numerator_sum, filter=numerator) if numerator_sum else Count("pk", filter=numerator)
    den_filter = denominator if denominator is not None else Q()
    den = Sum(denominator_sum, filter=den_filter) if denominator_sum else Count("pk", filter=den_filter)
    for length, group in by_length.items():
        for start in range(0, len(group), CHUNK):
            chunk = group[start : start + CHUNK]
            rows = (
                queryset.annotate(_subtree=Substr(org_field, 1, length))
                .filter(_subtree__in=chunk)
                .values("_subtree")
                .annotate(_num=num, _den=den)
                .values_list("_subtree", "_num", "_den")
            )
            for subtree, n, d in rows:
                result[subtree] = (n or 0, d or 0)
    return result
