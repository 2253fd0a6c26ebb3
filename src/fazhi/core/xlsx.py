"""Writing XLSX with openpyxl: import templates, exports with an importer's columns, error lists.

An export writes the same columns, headed the same way, as the importer reads, so an export
imports again. Code columns are formatted as text so that Excel keeps 990101001001 as typed
instead of showing 9.90101E+11.
"""

from __future__ import annotations

import io
from collections.abc import Iterable
from typing import Any

from django.http import HttpResponse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from fazhi.core.imports import Choice, Column, Importer

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_HEADER_FONT = Font(bold=True)
_HEADER_FILL = PatternFill("solid", fgColor="FDE9E7")
_REQUIRED_FONT = Font(bold=True, color="B42318")


def _to_bytes(workbook: Workbook) -> bytes:
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _column_help(column: Column) -> str:
    parts = [str(column.label)]
    if column.help:
        parts.append(str(column.help))
    if isinstance(column.parse, Choice):
        parts.append(_("Allowed values: %(allowed)s") % {"allowed": column.parse.accepted()})
    parts.append(_("Required") if column.required else _("Optional"))
    return "\n".join(parts)


def _header_cells(sheet, columns: Iterable[Column], *, comments: bool) -> list[WriteOnlyCell]:
    cells = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = _REQUIRED_FONT if column.required else _HEADER_FONT
        cell.fill = _HEADER_FILL
        if comments:
            comment = Comment(_column_help(column), "Fazhi")
            comment.width, comment.height = 320, 160
            cell.comment = comment
        cells.append(cell)
    return cells


def _value_cells(sheet, columns: tuple[Column, ...], values: dict[str, Any]) -> list[WriteOnlyCell]:
    cells = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.export(values.get(column.key)))
        if column.text_format:
            cell.number_format = "@"
        cells.append(cell)
    return cells


def _data_sheet(workbook: Workbook, importer: type[Importer], *, comments: bool):
    sheet = workbook.create_sheet(importer.sheet_name)
    sheet.freeze_panes = "A2"
    for index, column in enumerate(importer.columns, start=1):
        dimension = sheet.column_dimensions[get_column_letter(index)]
        dimension.width = column.width
        if column.text_format:
            # New cells typed into a code column stay text, so Excel keeps every digit.
            dimension.number_format = "@"
    sheet.append(_header_cells(sheet, importer.columns, comments=comments))
    return sheet


def import_template(importer: type[Importer]) -> bytes:
    """An empty import file: the header row (each header explains itself in a comment) on the
    first sheet, and a second sheet with every column explained and example rows."""
    workbook = Workbook(write_only=True)
    _data_sheet(workbook, importer, comments=True)

    guide = workbook.create_sheet(_("Instructions")[:31])
    for letter, width in zip("ABCDE", (18, 18, 10, 60, 24), strict=True):
        guide.column_dimensions[letter].width = width
    wrap = Alignment(wrap_text=True, vertical="top")

    def bold(value: str) -> WriteOnlyCell:
        cell = WriteOnlyCell(guide, value=value)
        cell.font = _HEADER_FONT
        return cell

    def wrapped(value: Any) -> WriteOnlyCell:
        cell = WriteOnlyCell(guide, value=value)
        cell.alignment = wrap
        return cell

    guide.append([bold(str(importer.title))])
    guide.append(
        [
            wrapped(
                _(
                    "Fill in the first sheet (%(sheet)s), one row per record, keeping its header row. "
                    "Headers may also be the English keys below. Empty rows are skipped. Every row is checked "
                    "before anything is saved: if any row is wrong, nothing is saved and every error is listed "
                    "with its row and column."
                )
                % {"sheet": importer.sheet_name}
            )
        ]
    )
    for note in importer.notes:
        guide.append([wrapped(str(note))])
    guide.append([])
    guide.append(
        [bold(_("Header")), bold(_("English key")), bold(_("Required")), bold(_("Meaning")), bold(_("Example"))]
    )
    for column in importer.columns:
        meaning = str(column.label) + (f": {column.help}" if column.help else "")
        if isinstance(column.parse, Choice):
            meaning += "\n" + _("Allowed values: %(allowed)s") % {"allowed": column.parse.accepted()}
        guide.append(
            [
                column.header,
                column.key,
                _("yes") if column.required else _("no"),
                wrapped(meaning),
                wrapped(column.export(column.example) if column.example not in ("", None) else ""),
            ]
        )
    if importer.example_rows:
        guide.append([])
        guide.append([bold(_("Example rows, as they would appear on the first sheet:"))])
        guide.append([bold(column.header) for column in importer.columns])
        for example in importer.example_rows:
            guide.append(_value_cells(guide, importer.columns, example))
    return _to_bytes(workbook)


def export_rows(importer: type[Importer], rows: Iterable[dict[str, Any]]) -> bytes:
    """The rows (dicts by column key) under the importer's header row: a file the importer reads back."""
    workbook = Workbook(write_only=True)
    sheet = _data_sheet(workbook, importer, comments=False)
    for values in rows:
        sheet.append(_value_cells(sheet, importer.columns, values))
    return _to_bytes(workbook)


def error_list(errors: Iterable[dict[str, Any]]) -> bytes:
    """An import's errors as a sheet: row, column, value, reason."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(_("Errors")[:31])
    for letter, width in zip("ABCD", (8, 16, 30, 80), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.append([_("Row"), _("Column"), _("Value"), _("Reason")])
    for error in errors:
        sheet.append([error.get("row"), error.get("column", ""), error.get("value", ""), error.get("message", "")])
    return _to_bytes(workbook)


def xlsx_response(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(True, filename)
    return response
