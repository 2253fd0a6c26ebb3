"""Reading and writing scoring standards as YAML and XLSX (fazhi.indicators.formats)."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook
from python_calamine import CalamineWorkbook

from fazhi.indicators import spec
from fazhi.indicators.formats import dump_xlsx, dump_yaml, load_xlsx, load_yaml
from fazhi.indicators.validation import StandardInvalid

FIXTURES = Path(__file__).parent / "fixtures"


def example_bytes() -> bytes:
    return (FIXTURES / "issue3-example.yaml").read_bytes()


def test_the_issue_example_loads_with_points_in_hundredths():
    standard = load_yaml(example_bytes())
    assert (standard.code, standard.version, standard.total, standard.pass_score, standard.bonus_cap) == (
        "yfxz-county",
        "2025",
        2600,
        2200,
        500,
    )
    (level1,) = standard.indicators
    assert level1.points == 2600 and level1.rule is None
    manual, checklist, deduction, ratio, tiers = level1.children
    assert manual.rule == spec.Rule(kind="manual", step=50)
    assert manual.evidence == ("学法计划", "学法记录")
    assert [item.title for item in checklist.rule.items][:2] == ["法治展牌", "固定标语"]
    assert deduction.rule.per == 100
    assert (ratio.rule.full_at, ratio.rule.zero_at) == (Decimal("0.95"), Decimal("0.6"))
    assert ratio.rule.metric == "disputes.mediation_success_rate"
    assert [(t.min, t.points) for t in tiers.rule.tiers] == [(2, 300), (1, 150), (0, 0)]
    assert standard.bonus == (spec.BonusItem("B1", "获得省级以上表彰", 200),)
    assert standard.veto == (spec.VetoItem("V1", "发生重大违法行政案件"),)


def test_the_issue_example_round_trips_through_yaml():
    standard = load_yaml(example_bytes())
    assert load_yaml(dump_yaml(standard)) == standard


# --- XLSX ------------------------------------------------------------------------------------------


def test_xlsx_layout_is_the_documented_one():
    workbook = CalamineWorkbook.from_filelike(io.BytesIO(dump_xlsx(load_yaml(example_bytes()))))
    assert workbook.sheet_names == ["标准", "指标", "检查项", "加分项", "否决项"]
    header = workbook.get_sheet_by_name("标准").to_python()
    assert header[0] == ["key", "value"]
    assert [row[0] for row in header[1:]] == [
        "format",
        "code",
        "version",
        "title",
        "source",
        "total",
        "pass_score",
        "bonus_cap",
    ]
    rows = workbook.get_sheet_by_name("指标").to_python()
    assert rows[0] == [
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
    ]
    by_code = {row[0]: dict(zip(rows[0], row, strict=True)) for row in rows[1:]}
    assert list(by_code) == ["1", "1.1", "1.2", "1.3", "1.4", "1.5"]  # node order is row order
    assert by_code["1"]["points"] == 26 and by_code["1"]["rule"] == ""  # a branch shows its subtotal
    assert by_code["1.1"]["parent"] == "1" and by_code["1.1"]["evidence"] == "学法计划\n学法记录"
    assert by_code["1.5"]["tiers"] == "2:3; 1:1.5; 0:0"
    items = workbook.get_sheet_by_name("检查项").to_python()
    assert items[:2] == [["indicator", "title", "points"], ["1.2", "法治展牌", 1.0]]
    load_workbook(io.BytesIO(dump_xlsx(load_yaml(example_bytes()))))  # openpyxl opens it too


def workbook_bytes(sheets: dict[str, list[list]]) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, rows in sheets.items():
        sheet = workbook.create_sheet(name)
        for row in rows:
            sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


HEADER = [["key", "value"], ["format", "fazhi-standard/1"], ["code", "cun"], ["version", 2025], ["title", "民主法治村"]]
HEADER += [["total", 10]]
COLUMNS = ["code", "parent", "title", "points", "rule", "tiers", "evidence"]


def test_a_workbook_typed_by_hand_loads():
    data = workbook_bytes(
        {
            "standard": HEADER,  # English sheet names are accepted too
            "指标": [
                COLUMNS,
                [1, None, "组织建设", None, None, None, None],
                [1.1, 1, "十有", 4, "checklist", None, "照片\n台账\n"],
                [],  # blank rows are skipped
                [1.2, 1, "研讨班", 6, "tiers", "2：6；1：3；0：0", None],
            ],
            "检查项": [["indicator", "title", "points"], [1.1, "法治展牌", 2], [1.1, "法律顾问", 2]],
        }
    )
    standard = load_xlsx(data)
    assert standard.version == "2025"
    (branch,) = standard.indicators
    assert branch.code == "1" and branch.points == 1000
    checklist, tiers = branch.children
    assert checklist.code == "1.1" and checklist.evidence == ("照片", "台账")
    assert [item.points for item in checklist.rule.items] == [200, 200]
    assert [(tier.min, tier.points) for tier in tiers.rule.tiers] == [(2, 600), (1, 300), (0, 0)]


def xlsx_errors(sheets) -> list[tuple[str, str]]:
    with pytest.raises(StandardInvalid) as caught:
        load_xlsx(workbook_bytes(sheets))
    return [(error.where, error.rule) for error in caught.value.errors]


def test_xlsx_parent_must_be_on_a_row_above():
    rows = [COLUMNS, ["1.1", "1", "学法", 10, "manual"], ["1", None, "组织", None, None]]
    assert xlsx_errors({"标准": HEADER, "指标": rows}) == [("1.1", "parent"), ("1", "required")]


def test_xlsx_tiers_that_are_not_min_points_pairs():
    rows = [COLUMNS, ["1", None, "研讨班", 10, "tiers", "2=10, 0=0"]]
    assert xlsx_errors({"标准": HEADER, "指标": rows}) == [("1", "tiers")]


def test_xlsx_checklist_item_of_an_unknown_indicator():
    rows = [COLUMNS, ["1", None, "十有", 10, "checklist"]]
    items = [["indicator", "title", "points"], ["1", "展牌", 10], ["9", "标语", 1]]
    assert xlsx_errors({"标准": HEADER, "指标": rows, "检查项": items}) == [("检查项:3", "parent")]


def test_xlsx_missing_sheet_and_unknown_column():
    rows = [[*COLUMNS, "weight"], ["1", None, "学法", 10, "manual", None, None, 1]]
    assert xlsx_errors({"指标": rows}) == [
        ("file", "sheet"),
        ("指标", "unknown_key"),
        ("format", "required"),
        ("code", "required"),
        ("version", "required"),
        ("title", "required"),
        ("total", "required"),
    ]


def test_unquoted_numeric_codes_and_versions_are_read_as_written():
    data = example_bytes().replace(b'code: "1.1",', b"code: 1.10,").replace(b'version: "2025"', b"version: 2025")
    standard = load_yaml(data)
    assert standard.version == "2025"
    assert standard.indicators[0].children[0].code == "1.10"


def test_dumped_yaml_quotes_codes_that_look_like_numbers():
    text = dump_yaml(load_yaml(example_bytes())).decode()
    assert "code: '1.1'" in text and "version: '2025'" in text
    assert "format: fazhi-standard/1\n" in text.splitlines(keepends=True)[0]
