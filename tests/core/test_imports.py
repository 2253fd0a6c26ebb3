"""The import framework: every bad file gets a clear error naming row and column, and nothing is written."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.db import connection
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from fazhi.core.audit import audit_record
from fazhi.core.imports import (
    Choice,
    Column,
    Importer,
    Row,
    RowRefused,
    boolean,
    code,
    date,
    import_run,
    integer,
    text,
)
from fazhi.core.models import AuditEvent
from fazhi.core.xlsx import export_rows, import_template
from tests.spreadsheets import make_xlsx, read_xlsx, sheet_names


@pytest.fixture(autouse=True)
def english():
    """Messages are asserted in English (the msgids), whatever catalogue the site has."""
    with translation.override("en"):
        yield


pytestmark = pytest.mark.django_db


class PlaceImporter(Importer):
    """A small importer for the tests: each valid row becomes one audit event."""

    kind = "tests.places"
    title = _("Import places")
    sheet_name = "地点"
    columns = (
        Column("name", "名称", _("Name"), required=True, parse=text(max_length=10)),
        Column("code", "代码", _("Code"), required=True, parse=code(max_length=12), text_format=True),
        Column("parent_code", "上级代码", _("Parent code"), parse=code(max_length=12)),
        Column("size", "人口", _("Population"), parse=integer(min_value=0)),
        Column("founded", "成立日期", _("Founded"), parse=date()),
        Column("pilot", "试点", _("Pilot"), parse=boolean()),
        Column(
            "colour",
            "颜色",
            _("Colour"),
            parse=Choice([("red", _("Red")), ("blue", _("Blue"))], {"red": ("红色", "红"), "blue": ("蓝色",)}),
        ),
        Column("secret", "密码", _("Secret"), parse=text(), sensitive=True),
    )
    example_rows = ({"name": "甲村", "code": "001", "colour": "red"},)

    def __init__(self, *, actor=None, refuse_row: int | None = None):
        super().__init__(actor=actor)
        self.refuse_row = refuse_row
        self.written: list[Row] = []

    def prepare(self, rows):
        self.codes: dict[str, int] = {}

    def check_row(self, row):
        if row["code"] in self.codes:
            row.error("code", f"duplicate of row {self.codes[row['code']]}")
        elif row["code"]:
            self.codes[row["code"]] = row.number
        if row["parent_code"] and row["parent_code"] not in self.codes:
            row.error("parent_code", "no earlier row has this code")
        if row["secret"] and len(row["secret"]) < 3:
            row.error("secret", "too short")

    def write(self, rows):
        for row in rows:
            if row.number == self.refuse_row:
                raise RowRefused(row, "name", "the service refused it.")
            audit_record(action="tests.place.imported", object_type="place", object_id=row["code"])
            self.written.append(row)
        return [f"{len(rows)} places"]


HEADER = ["名称", "代码", "上级代码", "人口", "成立日期", "试点", "颜色"]


def run(rows, *, dry_run=False, progress=None, importer=None, **kwargs):
    importer = importer or PlaceImporter()
    return importer, import_run(importer, make_xlsx(rows, **kwargs), dry_run=dry_run, progress=progress)


def errors_of(result):
    return [(e.row, e.column, e.value, e.message) for e in result.errors]


@pytest.fixture
def events():
    before = AuditEvent.objects.count()
    return lambda: AuditEvent.objects.count() - before


def test_a_valid_file_is_parsed_and_written_in_one_go(events):
    importer, result = run(
        [
            HEADER,
            ["甲村", "001", None, 1200, dt.datetime(2020, 5, 1), "是", "红"],
            ["乙村", 2.0, "001", "3,400", "2021/6/30", True, "Blue"],
        ]
    )
    assert result.ok and result.written, errors_of(result)
    assert result.rows == 2 and result.lines == ["2 places"]
    first, second = importer.written
    assert first.values == {
        "name": "甲村",
        "code": "001",
        "parent_code": None,
        "size": 1200,
        "founded": dt.date(2020, 5, 1),
        "pilot": True,
        "colour": "red",
        "secret": None,
    }
    assert second["code"] == "2" and second["size"] == 3400 and second["founded"] == dt.date(2021, 6, 30)
    assert second["colour"] == "blue"
    assert events() == 2


def test_headers_may_be_the_english_keys_in_any_case_and_width(events):
    importer, result = run([["NAME", " code ", "Parent_Code", "ｃｏｌｏｕｒ"], ["甲村", "001", None, "red"]])
    assert result.ok, errors_of(result)
    assert importer.written[0]["colour"] == "red"


@pytest.mark.parametrize(
    "data",
    [
        b"not a spreadsheet at all",
        "名称,代码\n甲村,001\n".encode(),
        b"PK\x03\x04 truncated zip",
    ],
    ids=["text", "csv", "truncated"],
)
def test_a_file_that_is_not_a_workbook_gets_one_clear_error(data, events):
    result = import_run(PlaceImporter(), data)
    assert not result.ok
    [error] = result.errors
    assert error.row is None and "could not be read as an Excel workbook" in error.message
    assert events() == 0


def test_a_zip_that_is_not_a_workbook_is_refused():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    result = import_run(PlaceImporter(), buffer.getvalue())
    assert "could not be read as an Excel workbook" in result.errors[0].message


def test_an_empty_upload_and_an_empty_sheet_are_refused():
    assert "The file is empty" in import_run(PlaceImporter(), b"").errors[0].message
    _, result = run([])
    assert "The sheet is empty" in result.errors[0].message


def test_a_sheet_with_headers_only_has_no_data_rows():
    _, result = run([HEADER, [None] * 7])
    assert [e.message for e in result.errors] == ["The sheet has column headers but no data rows."]


def test_every_missing_required_column_is_named(events):
    _, result = run([["人口", "颜色"], [1, "红"]])
    assert not result.ok
    assert {e.column for e in result.errors} == {"名称", "代码"}
    assert all(e.row == 1 and "required column" in e.message for e in result.errors)
    assert events() == 0


def test_an_unknown_column_is_named_with_its_letter_and_the_expected_columns(events):
    _, result = run([["名称", "代码", "备注"], ["甲村", "001", "x"]])
    [error] = result.errors
    assert (error.row, error.column) == (1, "备注")
    assert "column C" in error.message and "名称 (name)" in error.message
    assert events() == 0


def test_a_column_given_twice_and_values_without_a_header_are_refused():
    _, result = run([["名称", "代码", "name", None], ["甲村", "001", "甲村", "stray"]])
    messages = " | ".join(e.message for e in result.errors)
    assert "appears twice (column C)" in messages
    assert "Column D has values but no header" in messages


@pytest.mark.parametrize(
    ("cells", "column", "value", "reason"),
    [
        ([123, "001"], "名称", "123", "expected text, found a number"),
        (["甲村", True], "代码", "TRUE", "expected a code"),
        (["甲村", 1.5], "代码", "1.5", "not a fraction"),
        (["甲村", 990101001001001.0 * 1000], "代码", "9.90101001001001e+17", "kept only 15 digits"),
        (["甲村", "9.9E+5"], "代码", "9.9E+5", "scientific notation"),
        (["甲村", "9.90101E+11"], "代码", "9.90101E+11", "scientific notation"),
        (["甲村", "0012345678901"], "代码", "0012345678901", "at most 12 characters"),
        (["甲村", "001", None, "many"], "人口", "many", "expected a whole number"),
        (["甲村", "001", None, -5], "人口", "-5", "at least 0"),
        (["甲村", "001", None, None, "soon"], "成立日期", "soon", "expected a date"),
        (["甲村", "001", None, None, None, "maybe"], "试点", "maybe", "是 or 否"),
        (["甲村", "001", None, None, None, None, "绿"], "颜色", "绿", "红色 (red)、蓝色 (blue)"),
        (["名字太长了太长了太长了太长了"], "名称", "名字太长了太长了太长了太长了", "at most 10 characters"),
    ],
)
def test_a_wrong_cell_is_reported_with_row_column_value_and_reason(cells, column, value, reason, events):
    _, result = run([HEADER, ["甲村", "000"], cells + [None] * (7 - len(cells))])
    assert not result.ok
    matching = [e for e in result.errors if e.column == column]
    assert matching, [str(e) for e in result.errors]
    assert (matching[0].row, matching[0].value) == (3, value)
    assert reason in matching[0].message
    assert events() == 0


def test_a_whole_number_code_typed_into_excel_is_read_as_its_digits():
    importer, result = run([HEADER, ["甲村", 990101001001.0]])
    assert result.ok, errors_of(result)
    assert importer.written[0]["code"] == "990101001001"


def test_required_cells_must_not_be_blank_and_whitespace_is_blank():
    _, result = run([HEADER, ["  ", "001"], ["乙村", None]])
    assert errors_of(result) == [(2, "名称", "", "required"), (3, "代码", "", "required")]


def test_blank_rows_are_skipped_and_rows_are_numbered_as_excel_shows_them():
    # The table starts at B3; rows 5 and 6 are blank.
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    for row_number, values in ((3, ["名称", "代码"]), (4, ["甲村", "001"]), (7, ["乙村", 1.5])):
        for offset, value in enumerate(values):
            sheet.cell(row=row_number, column=2 + offset, value=value)
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = import_run(PlaceImporter(), buffer.getvalue())
    assert result.rows == 2
    assert [(e.row, e.column) for e in result.errors] == [(7, "代码")]


def test_all_errors_of_all_rows_are_reported_at_once_in_row_order(events):
    _, result = run(
        [
            HEADER + ["密码"],
            ["甲村", "001", None, "x", None, None, None, "ab"],
            ["乙村", "001", "404", None, None, None, None, None],
            [None, "003", None, None, "never", None, None, None],
        ]
    )
    assert [(e.row, e.column) for e in result.errors] == [
        (2, "人口"),
        (2, "密码"),
        (3, "代码"),
        (3, "上级代码"),
        (4, "名称"),
        (4, "成立日期"),
    ]
    assert "duplicate of row 2" in result.errors[2].message
    assert result.errors[1].value == "******", "a sensitive value is never echoed"
    assert events() == 0


def test_a_row_may_refer_to_an_earlier_row_but_not_to_a_later_one():
    _, result = run([HEADER, ["乙村", "002", "001"], ["甲村", "001"]])
    assert errors_of(result) == [(2, "上级代码", "001", "no earlier row has this code")]
    _, result = run([HEADER, ["甲村", "001"], ["乙村", "002", "001"]])
    assert result.ok


def test_the_row_limit_refuses_a_file_that_is_too_long(settings, events):
    settings.FAZHI_IMPORT_MAX_ROWS = 3
    _, result = run([HEADER] + [[f"村{i}", f"{i:03d}"] for i in range(5)])
    [error] = result.errors
    assert "has 5 rows; at most 3" in error.message
    assert events() == 0
    _, result = run([HEADER] + [[f"村{i}", f"{i:03d}"] for i in range(3)] + [[None, None]] * 4)
    assert result.ok, "blank rows do not count"


def test_a_dry_run_checks_everything_and_writes_nothing(events):
    importer, result = run([HEADER, ["甲村", "001"], ["乙村", "002"]], dry_run=True)
    assert result.ok and not result.written
    assert "nothing was written (dry run)" in result.lines[0]
    assert importer.written == [] and events() == 0
    _, result = run([HEADER, ["甲村", "001"], ["乙村", "001"]], dry_run=True)
    assert not result.ok and result.errors[0].row == 3


def test_a_row_refused_while_writing_rolls_back_the_rows_before_it(events):
    importer = PlaceImporter(refuse_row=4)
    _, result = run([HEADER, ["甲村", "001"], ["乙村", "002"], ["丙村", "003"]], importer=importer)
    assert not result.ok
    assert errors_of(result) == [(4, "名称", "丙村", "the service refused it. Nothing was written.")]
    assert events() == 0


def test_progress_is_reported_by_stage_and_never_from_inside_the_write():
    calls = []
    importer = PlaceImporter()
    write = importer.write

    def progress(stage, done, total):
        calls.append((stage, done, total, bool(importer.written)))

    def tracking_write(rows):
        calls.append(("write", connection.in_atomic_block))
        return write(rows)

    importer.write = tracking_write
    run([HEADER] + [[f"村{i}", f"{i:04d}"] for i in range(600)], importer=importer, progress=progress)
    stages = [c[0] for c in calls]
    assert stages[0] == "Reading the file"
    assert ("Checking rows", 250, 600, False) in calls and ("Checking rows", 600, 600, False) in calls
    assert stages[-2:] == ["Writing", "write"], "the last progress comes before the write begins"


def test_the_data_sheet_is_found_by_name_or_else_the_first_sheet_is_read():
    importer, result = run([["说明"], ["请填写地点表"]], sheet="说明", extra_sheets={"地点": [HEADER, ["甲村", "001"]]})
    assert result.ok and importer.written[0]["name"] == "甲村"


def test_the_template_has_the_headers_an_instructions_sheet_and_example_rows():
    data = import_template(PlaceImporter)
    names = sheet_names(data)
    assert names[0] == "地点" and len(names) == 2
    assert read_xlsx(data)[0] == [c.header for c in PlaceImporter.columns]
    guide = [" ".join(str(v) for v in row) for row in read_xlsx(data, 1)]
    assert any("代码 code yes" in line for line in guide)
    assert any("红色 (red)、蓝色 (blue)" in line for line in guide)
    assert any(line.startswith("甲村 001") and "红色" in line for line in guide), "an example row"
    from openpyxl import load_workbook

    header = load_workbook(io.BytesIO(data))["地点"]["B1"]
    assert header.comment is not None and "Required" in header.comment.text
    result = import_run(PlaceImporter(), data)
    assert [e.message for e in result.errors] == ["The sheet has column headers but no data rows."]


def test_an_export_imports_again():
    rows = [
        {"name": "甲村", "code": "990101001001", "colour": "red", "founded": dt.date(2020, 1, 2), "pilot": True},
        {"name": "乙村", "code": "002", "parent_code": "990101001001", "size": 12},
    ]
    data = export_rows(PlaceImporter, rows)
    importer = PlaceImporter()
    result = import_run(importer, data)
    assert result.ok, errors_of(result)
    assert [r["code"] for r in importer.written] == ["990101001001", "002"]
    assert importer.written[0]["colour"] == "red" and importer.written[0]["pilot"] is True
    assert importer.written[1]["parent_code"] == "990101001001" and importer.written[1]["size"] == 12


def test_a_conflicting_write_is_refused_not_crashed(events):
    from django.db import IntegrityError

    importer = PlaceImporter()

    def clashing_write(rows):
        audit_record(action="tests.place.imported", object_type="place", object_id="first")
        raise IntegrityError("UNIQUE constraint failed")

    importer.write = clashing_write
    _, result = run([HEADER, ["甲村", "001"]], importer=importer)
    assert not result.ok and "Someone else changed the same records" in result.errors[0].message
    assert events() == 0
