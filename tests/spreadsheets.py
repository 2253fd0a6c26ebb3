"""Build XLSX files in tests, as Excel would save them (openpyxl)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from typing import Any

import python_calamine
from openpyxl import Workbook


def make_xlsx(rows: Iterable[Sequence[Any]], *, sheet: str = "Sheet1", extra_sheets: dict | None = None) -> bytes:
    workbook = Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    for row in rows:
        worksheet.append(list(row))
    for name, extra_rows in (extra_sheets or {}).items():
        extra = workbook.create_sheet(name)
        for row in extra_rows:
            extra.append(list(row))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read_xlsx(data: bytes, sheet: int = 0) -> list[list[Any]]:
    """The cells of a sheet, as the importer would read them."""
    workbook = python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data))
    return workbook.get_sheet_by_index(sheet).to_python()


def sheet_names(data: bytes) -> list[str]:
    return python_calamine.CalamineWorkbook.from_filelike(io.BytesIO(data)).sheet_names
