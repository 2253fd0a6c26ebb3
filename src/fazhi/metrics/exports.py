"""A metric's child-org table as XLSX: one row per org (the chosen org first, as the total)."""

from __future__ import annotations

import datetime as dt
import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from fazhi.metrics.registry import COUNT, Metric
from fazhi.metrics.selectors import OrgValue


def metric_table_xlsx(metric: Metric, values: list[OrgValue], start: dt.date, end: dt.date) -> bytes:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Metric")[:31])
    for letter, width in zip("ABCDE", (16, 36, 12, 12, 12), strict=True):
        sheet.column_dimensions[letter].width = width
    bold = Font(bold=True)

    def heading(text):
        cell = WriteOnlyCell(sheet, value=str(text))
        cell.font = bold
        return cell

    sheet.append([heading(metric.title), str(metric.code)])
    sheet.append([str(_("Formula")), str(metric.formula)])
    sheet.append([str(_("Period")), f"{start.isoformat()} – {end.isoformat()}"])
    sheet.append([])
    sheet.append([heading(h) for h in (_("Code"), _("Organisation"), _("Numerator"), _("Denominator"), _("Value"))])
    for row in values:
        code = WriteOnlyCell(sheet, value=row.org.code)
        code.number_format = "@"  # keep every digit of 990101001001
        value = None if row.value is None else (int(row.value) if metric.kind == COUNT else float(row.value))
        sheet.append([code, row.org.name, row.numerator, row.denominator, value])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
