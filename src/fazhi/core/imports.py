"""The spreadsheet import framework: read a sheet, check every row, report every error, write all or nothing.

An import is described by an :class:`Importer` subclass, declaratively::

    class VillageImporter(Importer):
        kind = "orgs.villages"
        title = _("Import villages")
        sheet_name = "村"
        columns = (
            Column("name", "名称", _("Name"), required=True, parse=text(max_length=200)),
            Column("code", "代码", _("Code"), required=True, parse=code()),
        )

        def check_row(self, row):  # sees the rows before it through whatever it keeps on self
            ...
        def write(self, rows):      # runs inside one transaction, only when every row is valid
            ...

:func:`import_run` reads the file with python-calamine, maps the header row (the Chinese
header of the template, or the English key) to the columns, parses every cell with its
column's parser, calls the importer's checks, and only when no row has an error calls
:meth:`Importer.write` inside one transaction. Errors carry the row number Excel shows, the
column header as the file spells it, the cell's value and the reason in the active language.

Templates and exports with the same columns are written by :mod:`fazhi.core.xlsx`; background
runs go through :func:`import_start` and :mod:`fazhi.core.tasks`.
"""

from __future__ import annotations

import datetime as dt
import io
import math
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils.formats import number_format
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fazhi.core.cells import CellInvalid, Choice, boolean, code, date, integer, normalise, text
from fazhi.core.errors import DomainError
from fazhi.core.import_spec import CellError, Column, Importer, ImportResult, Row, RowRefused, _FileRefused

__all__ = [
    "CellError",
    "CellInvalid",
    "Choice",
    "Column",
    "ImportResult",
    "Importer",
    "Row",
    "RowRefused",
    "boolean",
    "code",
    "date",
    "import_run",
    "import_start",
    "integer",
    "text",
]

# How many errors a background job keeps; the CLI prints them all.
MAX_STORED_ERRORS = 10_000
# Report progress every this many rows (the job reporter throttles the database writes further).
PROGRESS_EVERY = 250

Progress = Callable[[str, int, int], None]


# ---------------------------------------------------------------------------------------------
# Reading


def _display(value: Any, *, sensitive: bool = False) -> str:
    if value is None or value == "":
        return ""
    if sensitive:
        return "******"
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e16:
            return str(int(value))
        return repr(value)
    if isinstance(value, dt.date | dt.time):
        return value.isoformat()
    text_value = str(value)
    return text_value if len(text_value) <= 100 else text_value[:99] + "…"


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _column_letter(index: int) -> str:
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _file_error(message: str, *, row: int | None = None, column: str = "", value: str = "") -> _FileRefused:
    return _FileRefused([CellError(row=row, column=column, value=value, message=message)])


def read_sheet(data: bytes, sheet_name: str) -> tuple[list[list[Any]], int, int]:
    """The cells of the sheet named ``sheet_name`` (or else the first worksheet) and the
    0-based row and column where they start. Raises _FileRefused for an unreadable file."""
    from python_calamine import CalamineWorkbook

    if not data:
        raise _file_error(_("The file is empty."))
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        names = [m.name for m in workbook.sheets_metadata if str(m.typ).endswith("WorkSheet")]
        if not names:
            raise _file_error(_("The workbook has no worksheet."))
        sheet = workbook.get_sheet_by_name(sheet_name if sheet_name in names else names[0])
        cells = sheet.to_python(skip_empty_area=True)
        start_row, start_col = sheet.start or (0, 0)
    except _FileRefused:
        raise
    except Exception:  # calamine raises assorted errors (zip, XML, password, format) on bad files
        raise _file_error(
            _(
                "The file could not be read as an Excel workbook (.xlsx). "
                "Save it from Excel or WPS as .xlsx and try again."
            )
        ) from None
    return cells, start_row, start_col


def _map_header(importer: type[Importer], header: list[Any], header_row: int, start_col: int, cells: list[list[Any]]):
    """Column index → Column, and the header text the file uses for each key; all header errors at once."""
    by_spelling = {}
    for column in importer.columns:
        for spelling in column.spellings():
            by_spelling[spelling] = column
    errors: list[CellError] = []
    mapping: dict[int, Column] = {}
    seen_as: dict[str, str] = {}
    for index, cell in enumerate(header):
        letter = _column_letter(start_col + index)
        if _is_blank(cell):
            if any(index < len(r) and not _is_blank(r[index]) for r in cells[1:]):
                errors.append(
                    CellError(
                        header_row,
                        letter,
                        "",
                        _("Column %(letter)s has values but no header; give it a header or delete it.")
                        % {"letter": letter},
                    )
                )
            continue
        name = _display(cell)
        column = by_spelling.get(normalise(name))
        if column is None:
            errors.append(
                CellError(
                    header_row,
                    name,
                    name,
                    _("Unknown column (column %(letter)s). The columns are: %(columns)s.")
                    % {"letter": letter, "columns": "、".join(f"{c.header} ({c.key})" for c in importer.columns)},
                )
            )
        elif column.key in seen_as:
            errors.append(
                CellError(
                    header_row,
                    name,
                    name,
                    _("Column %(column)s appears twice (column %(letter)s).")
                    % {"column": seen_as[column.key], "letter": letter},
                )
            )
        else:
            mapping[index] = column
            seen_as[column.key] = name
    for column in importer.columns:
        if column.required and column.key not in seen_as:
            errors.append(
                CellError(
                    header_row,
                    column.header,
                    "",
                    _("The required column %(header)s (%(key)s) is missing.")
                    % {"header": column.header, "key": column.key},
                )
            )
    if errors:
        raise _FileRefused(errors)
    return mapping, seen_as


def _parse_rows(importer: type[Importer], cells, start_row: int, mapping: dict[int, Column]) -> list[Row]:
    rows: list[Row] = []
    limit = settings.FAZHI_IMPORT_MAX_ROWS
    for offset, cells_of_row in enumerate(cells[1:], start=1):
        if all(_is_blank(v) for v in cells_of_row):
            continue
        if len(rows) >= limit:
            data_rows = sum(1 for r in cells[1:] if not all(_is_blank(v) for v in r))
            raise _file_error(
                _("The sheet has %(count)s rows; at most %(max)s can be imported at once. Split it into smaller files.")
                % {
                    "count": number_format(data_rows, force_grouping=True),
                    "max": number_format(limit, force_grouping=True),
                }
            )
        row = Row(number=start_row + offset + 1, values={}, raw={})
        for index, column in mapping.items():
            value = cells_of_row[index] if index < len(cells_of_row) else ""
            row.raw[column.key] = value
            if _is_blank(value):
                row.values[column.key] = None
                if column.required:
                    row.failed.add(column.key)
                    row.error(column.key, _("required"))
                continue
            try:
                row.values[column.key] = column.parse(value)
            except CellInvalid as exc:
                row.values[column.key] = None
                row.failed.add(column.key)
                row.error(column.key, exc.message)
        for column in importer.columns:
            row.values.setdefault(column.key, None)
        rows.append(row)
    return rows


def _collect_errors(importer: Importer, rows: list[Row], headers: dict[str, str]) -> list[CellError]:
    columns = {c.key: c for c in importer.columns}
    order = {c.key: i for i, c in enumerate(importer.columns)}
    errors = []
    for row in rows:
        for key, message in sorted(row.problems, key=lambda p: order.get(p[0], -1)):
            column = columns.get(key) if key else None
            errors.append(
                CellError(
                    row=row.number,
                    column=headers.get(key, column.header if column else "") if key else "",
                    value=_display(row.raw.get(key), sensitive=column.sensitive) if column else "",
                    message=message,
                )
            )
    return errors


# ---------------------------------------------------------------------------------------------
# Running


def import_run(
    importer: Importer, data: bytes, *, dry_run: bool = False, progress: Progress | None = None
) -> ImportResult:
    """Read, check every row and, unless a row is wrong or this is a dry run, write them all in one transaction.

    ``progress(stage, done, total)`` is called as the work goes on; it is never called inside
    the write transaction, so it may commit its own small updates.
    """

    def report(stage: str, done: int = 0, total: int = 0) -> None:
        if progress is not None:
            progress(stage, done, total)

    def refused(errors: list[CellError], rows: int = 0) -> ImportResult:
        return ImportResult(ok=False, dry_run=dry_run, rows=rows, errors=errors, lines=[])

    report(_("Reading the file"))
    spec = type(importer)
    try:
        cells, start_row, start_col = read_sheet(data, spec.sheet_name)
        if not cells or all(_is_blank(v) for v in cells[0]):
            raise _file_error(_("The sheet is empty: the first row must hold the column headers."))
        mapping, headers = _map_header(spec, cells[0], start_row + 1, start_col, cells)
        rows = _parse_rows(spec, cells, start_row, mapping)
    except _FileRefused as exc:
        return refused(exc.errors)
    if not rows:
        return refused([_file_error(_("The sheet has column headers but no data rows.")).errors[0]])

    total = len(rows)
    stage = _("Checking rows")
    report(stage, 0, total)
    importer.prepare(rows)
    for done, row in enumerate(rows, start=1):
        importer.check_row(row)
        if done % PROGRESS_EVERY == 0:
            report(stage, done, total)
    importer.check_all(rows)
    report(stage, total, total)

    errors = _collect_errors(importer, rows, headers)
    if errors:
        return refused(errors, total)
    if dry_run:
        line = ngettext(
            "All %(count)s row is valid; nothing was written (dry run).",
            "All %(count)s rows are valid; nothing was written (dry run).",
            total,
        ) % {"count": number_format(total, force_grouping=True)}
        return ImportResult(ok=True, dry_run=True, rows=total, errors=[], lines=[line])

    report(_("Writing"), total, total)
    try:
        with transaction.atomic():
            lines = importer.write(rows)
    except RowRefused as exc:
        column = spec.column(exc.key) if exc.key else None
        return refused(
            [
                CellError(
                    row=exc.row.number,
                    column=headers.get(exc.key, column.header) if column else "",
                    value=_display(exc.row.raw.get(exc.key), sensitive=column.sensitive) if column else "",
                    message=_("%(reason)s Nothing was written.") % {"reason": exc.message},
                )
            ],
            total,
        )
    except DomainError as exc:
        return refused([CellError(None, "", "", _("%(reason)s Nothing was written.") % {"reason": exc.message})], total)
    except IntegrityError:
        # Another change committed between the checks and the write (say, the same file imported twice at once).
        message = _(
            "Someone else changed the same records while this file was being imported. "
            "Nothing was written; import the file again."
        )
        return refused([CellError(None, "", "", message)], total)
    return ImportResult(ok=True, dry_run=False, rows=total, errors=[], lines=lines)


def import_start(
    *,
    owner,
    importer: type[Importer],
    data: bytes,
    filename: str,
    dry_run: bool = False,
    ip: str | None = None,
    return_url: str = "",
):
    """Record a background import job for ``owner`` and queue it when the transaction commits."""
    from fazhi.core.jobs import job_start
    from fazhi.core.tasks import import_job

    title = _("%(title)s: %(file)s") % {"title": importer.title, "file": filename}
    if dry_run:
        title = _("%(title)s (check only)") % {"title": title}
    return job_start(
        owner=owner,
        kind=importer.kind,
        title=title[:200],
        task=import_job,
        params={
            "importer": f"{importer.__module__}.{importer.__qualname__}",
            "dry_run": dry_run,
            "ip": ip,
            "return_url": return_url,
        },
        input_file=data,
        input_name=filename[:255],
    )
