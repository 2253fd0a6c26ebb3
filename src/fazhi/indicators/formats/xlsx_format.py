"""XLSX standard files: a header sheet, one row per node, and sheets for checklist items, bonus and veto items.

Read with python-calamine, written with openpyxl; the layout is in ``docs/indicator-format.md``.
"""

from __future__ import annotations

import io
import math
import zipfile
from decimal import Decimal
from typing import Any

from fazhi.core.problems import gettext_noop
from fazhi.indicators.formats.document import (
    BONUS_KEYS,
    DEFAULT_MAX_BYTES,
    VETO_KEYS,
    _check_size,
    _Collector,
    _read_document,
    _Refused,
    _text,
)
from fazhi.indicators.spec import FORMAT, Indicator, Standard
from fazhi.indicators.validation import StandardInvalid, decimal_text, points_text

# An XLSX file is a zip archive: its parts may unpack to at most this many times the file size limit.
XLSX_EXPANSION = 20
SHEET_STANDARD, SHEET_INDICATORS, SHEET_ITEMS, SHEET_BONUS, SHEET_VETO = "标准", "指标", "检查项", "加分项", "否决项"
# Each sheet may also be named in English.
SHEET_ALIASES = {
    SHEET_STANDARD: "standard",
    SHEET_INDICATORS: "indicators",
    SHEET_ITEMS: "items",
    SHEET_BONUS: "bonus",
    SHEET_VETO: "veto",
}
STANDARD_COLUMNS = ("key", "value")
INDICATOR_COLUMNS = (
    "code",
    "parent",
    "title",
    "points",
    "rule",
    "step",
    "per",
    "full_at",
    "zero_at",
    "tiers",
    "metric",
    "guidance",
    "evidence",
)
ITEM_COLUMNS = ("indicator", "title", "points")
BONUS_COLUMNS = BONUS_KEYS
VETO_COLUMNS = VETO_KEYS
_TEXT_COLUMNS = {"code", "parent", "indicator", "key", "value"}
_WIDTHS = {"title": 36, "guidance": 48, "evidence": 30, "tiers": 24, "metric": 34, "value": 40}


def _cell(value: Any) -> Any:
    """A cell as calamine gives it, as the document holds it: whole floats as int, other floats as Decimal."""
    if isinstance(value, float):
        if not math.isfinite(value):
            return str(value)
        return int(value) if value.is_integer() else Decimal(repr(value))
    if isinstance(value, str):
        return value if value.strip() else None
    if value is None or value == "":
        return None
    return str(value)  # dates and times: text, which the parser refuses where it wants a number


def _rows(workbook, name: str, columns: tuple[str, ...], c: _Collector, *, required: bool) -> list[tuple[int, dict]]:
    """The rows of a sheet as (row number as Excel shows it, {column key: value}), blank rows skipped."""
    names = {sheet.strip(): sheet for sheet in workbook.sheet_names}
    actual = names.get(name) or names.get(SHEET_ALIASES[name])
    if actual is None:
        if required:
            c.add("file", "sheet", gettext_noop("the workbook has no sheet named %(sheet)s"), sheet=name)
        return []
    sheet = workbook.get_sheet_by_name(actual)
    cells = sheet.to_python(skip_empty_area=False)
    if not cells:
        return []
    header = [str(value).strip().lower() if value not in (None, "") else "" for value in cells[0]]
    for key in header:
        if key and key not in columns:
            c.add(
                name,
                "unknown_key",
                gettext_noop("unknown column %(key)s (known keys here: %(allowed)s)"),
                key=key,
                allowed=", ".join(columns),
            )
    rows = []
    for number, row in enumerate(cells[1:], start=2):
        values = {}
        for key, value in zip(header, row, strict=False):
            value = _cell(value)
            if key in columns and value is not None:
                values[key] = value
        if values:
            rows.append((number, values))
    return rows


def _split_tiers(text: Any, where: str, c: _Collector) -> list[dict] | None:
    if not isinstance(text, str):
        text = decimal_text(text) if isinstance(text, Decimal) else str(text)
    tiers = []
    for part in text.replace("；", ";").replace("：", ":").split(";"):
        if not part.strip():
            continue
        pieces = part.split(":")
        if len(pieces) != 2:
            c.add(
                where,
                "tiers",
                gettext_noop("write tiers as min:points pairs separated by semicolons, e.g. 2:3; 1:1.5; 0:0"),
            )
            c.unreadable.add(where)
            return None
        tiers.append({"min": pieces[0].strip(), "points": pieces[1].strip()})
    return tiers


def _xlsx_document(workbook, c: _Collector) -> dict[str, Any]:
    document: dict[str, Any] = {}
    for _number, row in _rows(workbook, SHEET_STANDARD, STANDARD_COLUMNS, c, required=True):
        key = row.get("key")
        if key is None:
            continue
        key = str(key).strip()
        if key in document:
            c.add(key, "duplicate_key", gettext_noop("the key %(key)s appears twice"), key=key)
        document[key] = row.get("value")
    indicators: list[dict] = []
    nodes: dict[str, dict] = {}
    for number, row in _rows(workbook, SHEET_INDICATORS, INDICATOR_COLUMNS, c, required=True):
        code = row.get("code")
        code_text = _text(code, f"{SHEET_INDICATORS}:{number}", "code", c, numbers=True) if code is not None else ""
        where = code_text or f"{SHEET_INDICATORS}:{number}"
        node = {key: value for key, value in row.items() if key not in ("parent", "tiers", "evidence")}
        if "tiers" in row:
            tiers = _split_tiers(row["tiers"], where, c)
            if tiers is not None:
                node["tiers"] = tiers
        if "evidence" in row:
            lines = str(row["evidence"]).replace("\r\n", "\n").split("\n")
            node["evidence"] = [line for line in lines if line.strip()]
        parent = row.get("parent")
        if parent is None:
            indicators.append(node)
        else:
            parent_code = _text(parent, where, "parent", c, numbers=True)
            if parent_code not in nodes:
                c.add(
                    where,
                    "parent",
                    gettext_noop("the parent %(parent)s is not a code on a row above this one"),
                    parent=parent_code,
                )
                c.unreadable.add(where)
            else:
                nodes[parent_code].setdefault("children", []).append(node)
        if code_text:
            nodes[code_text] = node
    for number, row in _rows(workbook, SHEET_ITEMS, ITEM_COLUMNS, c, required=False):
        owner = _text(row.get("indicator"), f"{SHEET_ITEMS}:{number}", "indicator", c, numbers=True)
        if owner not in nodes:
            c.add(
                f"{SHEET_ITEMS}:{number}",
                "parent",
                gettext_noop("the checklist item names indicator %(parent)s, which is not on the indicator sheet"),
                parent=owner,
            )
            c.unreadable.add(owner or f"{SHEET_ITEMS}:{number}")
            continue
        nodes[owner].setdefault("items", []).append({k: v for k, v in row.items() if k != "indicator"})
    document["indicators"] = indicators
    bonus = [row for _number, row in _rows(workbook, SHEET_BONUS, BONUS_COLUMNS, c, required=False)]
    veto = [row for _number, row in _rows(workbook, SHEET_VETO, VETO_COLUMNS, c, required=False)]
    if bonus:
        document["bonus"] = bonus
    if veto:
        document["veto"] = veto
    return document


def _check_expansion(data: bytes, max_bytes: int) -> None:
    """Refuse a workbook whose parts unpack to more than XLSX_EXPANSION × max_bytes (a zip bomb)."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError):
        return  # calamine reports the file as unreadable
    if unpacked > XLSX_EXPANSION * max_bytes:
        raise _Refused(
            "size",
            gettext_noop("the workbook unpacks to %(size)s KB, more than the limit of %(max)s KB"),
            size=math.ceil(unpacked / 1024),
            max=XLSX_EXPANSION * max_bytes // 1024,
        )


def load_xlsx(data: bytes, *, max_bytes: int = DEFAULT_MAX_BYTES) -> Standard:
    """The valid standard in an XLSX workbook's bytes; raises StandardInvalid with every error of the file."""
    from python_calamine import CalamineWorkbook

    c = _Collector()
    try:
        _check_size(data, max_bytes)
        _check_expansion(data, max_bytes)
        try:
            workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
            document = _xlsx_document(workbook, c)
        except Exception:  # calamine raises assorted errors (zip, XML, password, format) on bad files
            raise _Refused(
                "xlsx",
                gettext_noop("the file could not be read as an Excel workbook (.xlsx); save it as .xlsx and try again"),
            ) from None
    except _Refused as refused:
        raise StandardInvalid([refused.error]) from None
    return _read_document(document, c)


def _xlsx_number(value: Decimal | int | None) -> Any:
    """A number for a cell: a number Excel shows as one when a float holds it exactly, else its text."""
    if value is None:
        return None
    if isinstance(value, int):
        return value
    if value == value.to_integral_value():
        return int(value)
    as_float = float(value)
    return as_float if Decimal(repr(as_float)) == value else decimal_text(value)


def _xlsx_points(hundredths: int | None) -> Any:
    return None if hundredths is None else _xlsx_number(Decimal(hundredths) / 100)


def _indicator_rows(node: Indicator, parent: str | None):
    rule = node.rule
    yield {
        "code": node.code,
        "parent": parent,
        "title": node.title,
        "points": _xlsx_points(node.points),
        "rule": rule.kind if rule else None,
        "step": _xlsx_points(rule.step) if rule else None,
        "per": _xlsx_points(rule.per) if rule else None,
        "full_at": _xlsx_number(rule.full_at) if rule else None,
        "zero_at": _xlsx_number(rule.zero_at) if rule else None,
        "tiers": "; ".join(f"{decimal_text(t.min)}:{points_text(t.points)}" for t in rule.tiers) if rule else None,
        "metric": rule.metric if rule else None,
        "guidance": node.guidance or None,
        "evidence": "\n".join(node.evidence) or None,
    }
    for child in node.children:
        yield from _indicator_rows(child, node.code)


def _write_sheet(workbook, name: str, columns: tuple[str, ...], rows) -> None:
    from openpyxl.styles import Alignment, Font
    from openpyxl.utils import get_column_letter

    sheet = workbook.create_sheet(name)
    sheet.freeze_panes = "A2"
    sheet.append(list(columns))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, key in enumerate(columns, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = _WIDTHS.get(key, 12)
    wrap = Alignment(wrap_text=True, vertical="top")
    for values in rows:
        sheet.append([values.get(key) if values.get(key) != "" else None for key in columns])
        for key, cell in zip(columns, sheet[sheet.max_row], strict=True):
            if isinstance(cell.value, str):
                cell.data_type = "s"  # text, even when it begins with "=": a title is never a formula
            if key in _TEXT_COLUMNS or isinstance(cell.value, str):
                cell.number_format = "@"
            if key in ("guidance", "evidence"):
                cell.alignment = wrap


def dump_xlsx(standard: Standard) -> bytes:
    """The standard as an XLSX workbook that :func:`load_xlsx` reads back to an equal standard."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    header = [
        {"key": "format", "value": FORMAT},
        {"key": "code", "value": standard.code},
        {"key": "version", "value": standard.version},
        {"key": "title", "value": standard.title},
        {"key": "source", "value": standard.source or None},
        {"key": "total", "value": _xlsx_points(standard.total)},
        {"key": "pass_score", "value": _xlsx_points(standard.pass_score)},
        {"key": "bonus_cap", "value": _xlsx_points(standard.bonus_cap)},
    ]
    _write_sheet(workbook, SHEET_STANDARD, STANDARD_COLUMNS, [row for row in header if row["value"] is not None])
    rows = [row for node in standard.indicators for row in _indicator_rows(node, None)]
    _write_sheet(workbook, SHEET_INDICATORS, INDICATOR_COLUMNS, rows)
    items = [
        {"indicator": node.code, "title": item.title, "points": _xlsx_points(item.points)}
        for node, _depth in standard.walk()
        if node.rule is not None
        for item in node.rule.items
    ]
    _write_sheet(workbook, SHEET_ITEMS, ITEM_COLUMNS, items)
    bonus = [{"code": b.code, "title": b.title, "points": _xlsx_points(b.points)} for b in standard.bonus]
    _write_sheet(workbook, SHEET_BONUS, BONUS_COLUMNS, bonus)
    _write_sheet(workbook, SHEET_VETO, VETO_COLUMNS, [{"code": v.code, "title": v.title} for v in standard.veto])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
