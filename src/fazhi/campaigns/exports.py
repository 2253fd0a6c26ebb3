"""Exports of a campaign's results and score sheets: rows out as XLSX, CSV or JSON.

A :class:`Table` is a title, columns (a machine key and a translated header each) and rows; :func:`render`
writes it in a format. Points appear as points (``85.5``) in XLSX and CSV, and as integer hundredths in
JSON (``8550``), as everywhere in the API. The JSON of a results version is its canonical content (the
one its SHA-256 covers, see :func:`fazhi.campaigns.services.results.version_content`) plus the hash.
"""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from fazhi.campaigns.models import (
    Assignment,
    BonusAward,
    Campaign,
    LeafScore,
    ResultVersion,
    SheetStatus,
)
from fazhi.campaigns.selectors.results import version_rows
from fazhi.core.xlsx import XLSX_CONTENT_TYPE
from fazhi.indicators.models import BonusItem, Indicator

FORMATS = ("xlsx", "csv", "json")
CONTENT_TYPES = {"xlsx": XLSX_CONTENT_TYPE, "csv": "text/csv; charset=utf-8", "json": "application/json"}


@dataclass
class Table:
    title: str
    keys: list[str]
    headers: list[str]
    rows: Iterable[list[Any]]  # values in hundredths where a column is in ``points``
    points: frozenset[str] = frozenset()  # keys of columns holding hundredths


def _points(value: int | None) -> Decimal | None:
    return None if value is None else Decimal(value) / 100


def _display_rows(table: Table) -> Iterator[list[Any]]:
    scaled = [key in table.points for key in table.keys]
    for row in table.rows:
        yield [_points(v) if scale else v for v, scale in zip(row, scaled, strict=True)]


def _yes(value: bool) -> str:
    return _("yes") if value else _("no")


# --- results ------------------------------------------------------------------------------------


def results_table(version: ResultVersion) -> Table:
    """One row per application in rank order: components, composite, passed, in quota, vetoed, subtotals."""
    campaign = version.campaign
    tops = list(
        Indicator.objects.filter(standard_id=campaign.standard_id, parent__isnull=True)
        .order_by("position", "pk")
        .values_list("code", "title")
    )
    keys = [
        "rank",
        "org_code",
        "org_name",
        "composite",
        "review_total",
        "review",
        "inspection",
        "survey",
        "bonus",
        *[f"subtotal_{code}" for code, _title in tops],
        "reviewers",
        "passed",
        "in_quota",
        "vetoed",
    ]
    headers = [
        _("Rank"),
        _("Organisation code"),
        _("Applicant"),
        _("Composite"),
        _("Review total (points)"),
        _("Expert review (0–100)"),
        _("On-site inspection (0–100)"),
        _("Satisfaction survey (0–100)"),
        _("Bonus (points)"),
        *[f"{code} {title}" for code, title in tops],
        _("Sheets counted"),
        _("Passed"),
        _("Within the quota"),
        _("Vetoed"),
    ]

    def rows():
        for r in version_rows(version).iterator(chunk_size=2000):
            yield [
                r.rank,
                r.application.org.code,
                r.application.org.name,
                r.composite,
                r.review_total,
                r.review_component,
                r.inspection_component,
                r.survey_component,
                r.bonus,
                *[r.subtotals.get(code) for code, _title in tops],
                r.reviewers,
                _yes(r.passed),
                _yes(r.in_quota),
                _yes(r.vetoed),
            ]

    points = {"composite", "review_total", "review", "inspection", "survey", "bonus"}
    points |= {f"subtotal_{code}" for code, _title in tops}
    title = _("%(campaign)s: results, version %(number)s") % {"campaign": campaign.title, "number": version.number}
    return Table(title, keys, headers, rows(), frozenset(points))


# --- score sheets -------------------------------------------------------------------------------


def sheets_table(campaign: Campaign) -> Table:
    """Every submitted score sheet: one row per sheet, one column per leaf and per bonus item."""
    leaves = list(
        Indicator.objects.filter(standard_id=campaign.standard_id, children__isnull=True)
        .order_by("depth", "position", "pk")
        .values_list("pk", "code")
    )
    leaves.sort(key=lambda leaf: [int(p) if p.isdigit() else p for p in leaf[1].split(".")])
    bonus = list(
        BonusItem.objects.filter(standard_id=campaign.standard_id).order_by("position").values_list("pk", "code")
    )
    keys = ["org_code", "org_name", "reviewer", "submitted_at", *[f"leaf_{c}" for _pk, c in leaves]]
    keys += [f"bonus_{c}" for _pk, c in bonus]
    headers = [_("Organisation code"), _("Applicant"), _("Reviewer"), _("Submitted at")]
    headers += [code for _pk, code in leaves] + [code for _pk, code in bonus]
    leaf_index = {pk: i for i, (pk, _code) in enumerate(leaves)}
    bonus_index = {pk: i for i, (pk, _code) in enumerate(bonus)}
    assignments = (
        Assignment.objects.filter(application__campaign=campaign, sheet__status=SheetStatus.SUBMITTED)
        .select_related("application__org", "reviewer", "sheet")
        .order_by("application__org__code", "reviewer__username")
    )

    def rows():
        batch = list(assignments)
        for start in range(0, len(batch), 1000):
            chunk = batch[start : start + 1000]
            sheet_ids = [a.sheet.pk for a in chunk]
            scores: dict[int, list] = {pk: [None] * len(leaves) for pk in sheet_ids}
            awards: dict[int, list] = {pk: [0] * len(bonus) for pk in sheet_ids}
            for sheet, indicator, score in LeafScore.objects.filter(sheet_id__in=sheet_ids).values_list(
                "sheet_id", "indicator_id", "score"
            ):
                if indicator in leaf_index:
                    scores[sheet][leaf_index[indicator]] = score
            for sheet, item, points in BonusAward.objects.filter(sheet_id__in=sheet_ids).values_list(
                "sheet_id", "item_id", "points"
            ):
                awards[sheet][bonus_index[item]] = points
            for a in chunk:
                submitted = a.sheet.submitted_at.isoformat(timespec="seconds") if a.sheet.submitted_at else ""
                yield [
                    a.application.org.code,
                    a.application.org.name,
                    str(a.reviewer),
                    submitted,
                    *scores[a.sheet.pk],
                    *awards[a.sheet.pk],
                ]

    points = frozenset(keys[4:])
    return Table(_("%(campaign)s: score sheets") % {"campaign": campaign.title}, keys, headers, rows(), points)


# --- writing ------------------------------------------------------------------------------------


def to_xlsx(table: Table) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Export")[:31])
    bold = Font(bold=True)
    title = WriteOnlyCell(sheet, value=table.title)
    title.font = bold
    sheet.append([title])
    header = []
    for text in table.headers:
        cell = WriteOnlyCell(sheet, value=text)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    for row in _display_rows(table):
        sheet.append([float(v) if isinstance(v, Decimal) else v for v in row])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def to_csv(table: Table) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(table.headers)
    for row in _display_rows(table):
        writer.writerow(["" if v is None else (f"{v:f}" if isinstance(v, Decimal) else v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode()  # the BOM makes Excel read UTF-8


def to_json(table: Table) -> bytes:
    rows = [dict(zip(table.keys, row, strict=True)) for row in table.rows]
    return json.dumps({"title": table.title, "rows": rows}, ensure_ascii=False, indent=1).encode()


def render(table: Table, fmt: str) -> bytes:
    return {"xlsx": to_xlsx, "csv": to_csv, "json": to_json}[fmt](table)


def results_export(version: ResultVersion, fmt: str) -> tuple[bytes, str]:
    """The version in ``fmt``; JSON is its canonical content and SHA-256. Returns (bytes, file name)."""
    name = f"results-{version.campaign_id}-v{version.number}.{fmt}"
    if fmt == "json":
        from fazhi.campaigns.services.results import version_content

        content = {
            **version_content(version),
            "sha256": version.sha256 or None,
            "published": bool(version.published_at),
        }
        return json.dumps(content, ensure_ascii=False, indent=1).encode(), name
    return render(results_table(version), fmt), name


def sheets_export(campaign: Campaign, fmt: str) -> tuple[bytes, str]:
    return render(sheets_table(campaign), fmt), f"score-sheets-{campaign.pk}.{fmt}"
