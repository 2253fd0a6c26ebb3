"""The set-based results path: a whole campaign's review results in one SQL statement (plus two small ones).

The statement reads every submitted score sheet's leaf scores once, sums them per sheet and level-1
indicator, adds each sheet's bonus, and then, per application, counts the sheets the method counts (all of
them for ``mean``; all but the lowest and the highest by ``(sheet total, reviewer)`` for ``trimmed``, with
``ROW_NUMBER()``) and divides with integer arithmetic only: the half-up rounding of ``a ÷ b`` for
``a, b ≥ 0`` is ``(2a + b) div 2b``. It also returns the reviewers whose sheet totals stray from the mean
of the other reviewers' totals (outliers). It runs unchanged on SQLite (3.35+) and PostgreSQL (12+).

The pure engine (:func:`fazhi.indicators.scoring.aggregate`) is the reference: ``docs/scoring.md`` states
the rules, ``tests/campaigns/test_results_properties.py`` holds the two paths together.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.conf import settings
from django.db import connection, transaction

from fazhi.campaigns import workflow as wf
from fazhi.campaigns.models import (
    Application,
    Assignment,
    BonusAward,
    Campaign,
    LeafScore,
    ScoreSheet,
    SheetStatus,
    Veto,
    VetoStatus,
)
from fazhi.indicators.models import Indicator
from fazhi.indicators.scoring import TRIMMED

# Applications that have results: from review on; an application removed after an upheld objection is
# left out of the ranking and the quota (docs/results.md).
RESULT_STATES = (wf.IN_REVIEW, wf.SCORED, wf.PASSED, wf.FAILED, wf.ON_NOTICE, wf.NAMED)


@dataclass
class ReviewRow:
    """One application's review result, as the engine's :class:`~fazhi.indicators.scoring.Result` has it."""

    application: int
    total: int
    subtotals: dict[str, int]  # level-1 code -> hundredths, in code (standard) order
    bonus: int
    reviewers: int  # sheets counted
    sheets: int  # sheets submitted
    vetoed: bool = False
    passed: bool | None = None  # against the standard's pass score, as the engine says
    outliers: list[int] = field(default_factory=list)  # reviewer ids


def _table(model) -> str:
    return connection.ops.quote_name(model._meta.db_table)


# The leaf scores of the campaign's submitted sheets are read once, into one row per sheet with a column
# per level-1 indicator, in one of two ways (the same figures; the property test runs both):
# PostgreSQL: a hash join of the leaf scores to the leaf → level-1 map and one hash aggregate per sheet,
# the level-1 sums as ``SUM(...) FILTER (WHERE ...)`` columns (a group per sheet and indicator spilled to
# disk and was three times slower).
_JOIN = """leaf_tops(id, top) AS (VALUES {leaf_tops}),
per_sheet_parts AS MATERIALIZED (
    SELECT ls.sheet_id AS sheet, {columns}
    FROM {leafscore} ls JOIN leaf_tops t ON t.id = ls.indicator_id
    WHERE ls.sheet_id IN ({sheets})
    GROUP BY ls.sheet_id
),
per_sheet AS (
    SELECT sh.app AS app, sh.reviewer AS reviewer, sh.sheet AS sheet, {coalesced}, {leaves} AS leaves
    FROM sheets sh LEFT JOIN per_sheet_parts p ON p.sheet = sh.sheet
),
"""
# SQLite: one index range seek per sheet and run of leaves (the leaves of one level-1 indicator have
# neighbouring ids), on the (sheet, indicator) unique index, each a column of the sheet's row; several
# times faster there than the join, which makes SQLite evaluate an expression per column per leaf score.
_SEEK = (
    "COALESCE((SELECT SUM(ls.score) FROM {leafscore} ls"
    " WHERE ls.sheet_id = sh.sheet AND ls.indicator_id BETWEEN {lo} AND {hi}), 0)"
)
_PARTS_SEEK = """per_sheet_parts AS MATERIALIZED (
    SELECT sh.app AS app, sh.reviewer AS reviewer, sh.sheet AS sheet, {columns} FROM sheets sh
),
per_sheet AS (SELECT ps.*, {leaves} AS leaves FROM per_sheet_parts ps),
"""


def leaf_tops(standard_id: int) -> dict[int, int]:
    """Each leaf of the standard (its indicator id) with the id of the level-1 indicator above it (or itself)."""
    rows = list(Indicator.objects.filter(standard_id=standard_id).values_list("pk", "parent_id"))
    parent = dict(rows)
    children = {p for _, p in rows if p is not None}

    def top(pk):
        while parent[pk] is not None:
            pk = parent[pk]
        return pk

    return {pk: top(pk) for pk, _ in rows if pk not in children}


def leaf_runs(tops_of_leaves: dict[int, int]) -> list[tuple[int, int, int]]:
    """The leaves in id order, cut into runs of one level-1 indicator: (top id, first leaf id, last leaf id)."""
    runs: list[list[int]] = []
    for pk in sorted(tops_of_leaves):
        owner = tops_of_leaves[pk]
        if runs and runs[-1][0] == owner:
            runs[-1][2] = pk
        else:
            runs.append([owner, pk, pk])
    return [tuple(run) for run in runs]


def _sheets_sql(*, columns: str) -> str:
    """The campaign's submitted sheets of applications in the result states."""
    return f"""SELECT {columns}
    FROM {_table(ScoreSheet)} s
    JOIN {_table(Assignment)} a ON a.id = s.assignment_id
    JOIN {_table(Application)} ap ON ap.id = a.application_id
    WHERE ap.campaign_id = %(campaign)s AND s.status = %(submitted)s AND ap.state IN %(states)s"""


def _sql(tops: list[int], *, trimmed: bool, capped: bool, tops_of_leaves: dict[int, int], seek: bool) -> str:
    """The statement for a standard whose level-1 indicators have the ids ``tops`` (in code order);
    ``seek``: sum the leaf scores by index seeks (see above) instead of a join."""
    leafscore = _table(LeafScore)
    leaves = " + ".join(f"s{i}" for i in range(len(tops))) or "0"
    if not seek:
        columns = ", ".join(
            f"CAST(SUM(ls.score) FILTER (WHERE t.top = {int(top)}) AS BIGINT) AS s{i}" for i, top in enumerate(tops)
        )
        coalesced = ", ".join(f"CAST(COALESCE(p.s{i}, 0) AS BIGINT) AS s{i}" for i in range(len(tops)))
        mapping = ", ".join(f"({int(leaf)}, {int(top)})" for leaf, top in tops_of_leaves.items()) or "(0, 0)"
        per_sheet = _JOIN.format(
            # the sheets' query again rather than the CTE: PostgreSQL cannot estimate a CTE's rows, and
            # chose an index scan per sheet over the hash join it picks for the plain query
            sheets=_sheets_sql(columns="s.id"),
            leaf_tops=mapping,
            columns=columns or "0 AS none",
            leafscore=leafscore,
            coalesced=coalesced or "0 AS none",
            leaves=" + ".join(f"COALESCE(p.s{i}, 0)" for i in range(len(tops))) or "0",
        )
    else:
        columns = []
        runs = leaf_runs(tops_of_leaves)
        for i, top in enumerate(tops):
            seeks = [_SEEK.format(leafscore=leafscore, lo=int(lo), hi=int(hi)) for t, lo, hi in runs if t == top]
            columns.append(f"CAST({' + '.join(seeks) or '0'} AS BIGINT) AS s{i}")
        per_sheet = _PARTS_SEEK.format(columns=", ".join(columns) or "0 AS none", leaves=leaves)
    sums = ", ".join(f"CAST(SUM(s{i}) AS BIGINT) AS s{i}" for i in range(len(tops)))
    rounded = ", ".join(f"(2 * s{i} + k) / (2 * k)" for i in range(len(tops)))
    nulls = ", ".join("NULL" for _ in tops)
    cap = "CASE WHEN {x} > {cap} THEN {cap} ELSE {x} END"
    capped_bonus = cap.format(x="COALESCE(b.pts, 0)", cap="%(cap)s") if capped else "COALESCE(b.pts, 0)"
    if trimmed:
        counted = "rn > 1 AND rn < n"
        # each reviewer's bonus was capped on their own sheet
        bonus = "bcap"
    else:
        counted = "1 = 1"
        # the cap applies to the mean bonus: min(cap, Σ/k) = min(cap·k, Σ)/k
        bonus = cap.format(x="braw", cap="%(cap)s * k") if capped else "braw"
    sheets = _sheets_sql(columns="s.id AS sheet, a.application_id AS app, a.reviewer_id AS reviewer")
    return f"""
WITH sheets AS MATERIALIZED ({sheets}),
bonus AS (
    SELECT b.sheet_id AS sheet, CAST(SUM(b.points) AS BIGINT) AS pts
    FROM {_table(BonusAward)} b WHERE b.sheet_id IN (SELECT sheet FROM sheets)
    GROUP BY b.sheet_id
),
{per_sheet}scored AS MATERIALIZED (
    SELECT ps.*, COALESCE(b.pts, 0) AS braw, {capped_bonus} AS bcap,
        ps.leaves + {capped_bonus} AS total
    FROM per_sheet ps LEFT JOIN bonus b ON b.sheet = ps.sheet
),
ranked AS MATERIALIZED (
    SELECT sc.*,
        ROW_NUMBER() OVER (PARTITION BY sc.app ORDER BY sc.total, sc.reviewer) AS rn,
        COUNT(*) OVER (PARTITION BY sc.app) AS n,
        SUM(sc.total) OVER (PARTITION BY sc.app) AS whole
    FROM scored sc
),
apps AS (
    SELECT app, MAX(n) AS n, COUNT(*) AS k, CAST(SUM(leaves) AS BIGINT) AS leaves,
        CAST(SUM(braw) AS BIGINT) AS braw, CAST(SUM(bcap) AS BIGINT) AS bcap, {sums}
    FROM ranked WHERE {counted} GROUP BY app
),
finals AS (
    SELECT app, n, k, {bonus} AS bonus, leaves, {", ".join(f"s{i}" for i in range(len(tops)))} FROM apps
)
SELECT 0 AS kind, app, NULL AS reviewer, n, k,
    (2 * (leaves + bonus) + k) / (2 * k) AS total, (2 * bonus + k) / (2 * k) AS bonus, {rounded}
FROM finals
UNION ALL
SELECT 1, app, reviewer, n, NULL, NULL, NULL, {nulls}
FROM ranked
WHERE n > 1 AND ABS(total * (n - 1) - (whole - total)) * 100 > %(percent)s * %(standard_total)s * (n - 1)
"""


def level1(standard_id: int) -> list[tuple[int, str]]:
    """The standard's level-1 indicators (id, code) in code order."""
    return list(
        Indicator.objects.filter(standard_id=standard_id, parent__isnull=True)
        .order_by("position", "pk")
        .values_list("pk", "code")
    )


def vetoed_ids(campaign: Campaign) -> set[int]:
    return set(
        Veto.objects.filter(application__campaign=campaign, status=VetoStatus.RECORDED).values_list(
            "application_id", flat=True
        )
    )


def campaign_review_rows(
    campaign: Campaign,
    *,
    states: tuple[str, ...] = RESULT_STATES,
    percent: int | None = None,
    seek: bool | None = None,
) -> dict[int, ReviewRow]:
    """Every application's review result (those with at least one submitted sheet), by application id.

    Three queries: the level-1 indicators, the statement above, the recorded vetoes. Applications of
    ``trimmed`` campaigns with fewer than three sheets have no counted sheet and get no row; the service
    refuses them first, naming them."""
    standard = campaign.standard
    tops = level1(standard.pk)
    trimmed = campaign.method == TRIMMED
    capped = standard.bonus_cap is not None
    # ``seek``: sum leaf scores by index seeks (the default on SQLite) or by a join (the default elsewhere).
    sql = _sql(
        [pk for pk, _ in tops],
        trimmed=trimmed,
        capped=capped,
        tops_of_leaves=leaf_tops(standard.pk),
        seek=connection.vendor == "sqlite" if seek is None else seek,
    )
    params = {
        "campaign": campaign.pk,
        "submitted": SheetStatus.SUBMITTED,
        "states": tuple(states),
        "cap": standard.bonus_cap,
        "percent": settings.FAZHI_OUTLIER_PERCENT if percent is None else percent,
        "standard_total": standard.total,
    }
    # Neither driver adapts a tuple for IN on both databases: one placeholder per state.
    sql = sql.replace("%(states)s", "(" + ", ".join(f"%(state{i})s" for i in range(len(states))) + ")")
    params.update({f"state{i}": state for i, state in enumerate(states)})
    del params["states"]
    codes = [code for _, code in tops]
    rows: dict[int, ReviewRow] = {}
    flagged: list[tuple[int, int]] = []
    with transaction.atomic(), connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # The planner cannot estimate the CTEs' row counts, guesses millions, and then spends most of
            # the time compiling the statement with JIT (0.7 s of 1.4 s for 1.5 million leaf scores).
            cursor.execute("SET LOCAL jit = off")
        cursor.execute(sql, params)
        for kind, app, reviewer, n, k, total, bonus, *subtotals in cursor.fetchall():
            if kind == 1:
                flagged.append((app, reviewer))
                continue
            rows[app] = ReviewRow(
                application=app,
                total=int(total),
                subtotals={code: int(value) for code, value in zip(codes, subtotals, strict=True)},
                bonus=int(bonus),
                reviewers=int(k),
                sheets=int(n),
            )
    for app, reviewer in sorted(flagged):
        if app in rows:
            rows[app].outliers.append(reviewer)
    vetoed = vetoed_ids(campaign)
    for row in rows.values():
        row.vetoed = row.application in vetoed
        if row.vetoed:
            row.passed = False
        elif standard.pass_score is not None:
            row.passed = row.total >= standard.pass_score
    return rows


def campaign_sheet_counts(campaign: Campaign, *, states: tuple[str, ...] = RESULT_STATES) -> dict[int, list[int]]:
    """Per application of ``states``: [assigned sheets, submitted sheets] (one query)."""
    from django.db.models import Count, Q

    counts = (
        Application.objects.filter(campaign=campaign, state__in=states)
        .annotate(
            assigned=Count("assignments", distinct=True),
            submitted=Count("assignments", filter=Q(assignments__sheet__status=SheetStatus.SUBMITTED), distinct=True),
        )
        .values_list("pk", "assigned", "submitted")
    )
    return {pk: [assigned, submitted] for pk, assigned, submitted in counts}
