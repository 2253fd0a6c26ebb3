"""The three importers: the bad-input catalogue (each refused with row, column and rule, nothing written), valid
files imported with their audit, exports that import again, and random rows thrown at each importer."""

import datetime as dt

import pytest
from django.db import transaction
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fazhi.core.imports import import_run
from fazhi.core.models import AuditEvent
from fazhi.core.xlsx import export_rows
from fazhi.ledgers.common.registry import importers
from fazhi.ledgers.enforcement.importers import CaseFileImporter, ExamImporter, OfficerImporter
from fazhi.ledgers.enforcement.models import CaseFile, Certificate, Officer, OfficerYear
from fazhi.orgs.models import subtree_q
from tests.ledgers.enforcement.factories import make_case, make_officer, make_year
from tests.spreadsheets import make_xlsx

D = dt.date
OFFICER_HEADER = ["单位代码", "姓名", "身份证号码", "执法证号", "发证日期", "有效期至", "离岗日期"]
EXAM_HEADER = [
    "身份证号码",
    "年度",
    "通用法律知识考试成绩",
    "通用法律知识考试缺考",
    "专门法律知识考试成绩",
    "专门法律知识考试缺考",
    "培训学时",
]
CASE_HEADER = [
    "单位代码",
    "评查年度",
    "案卷编号",
    "案由",
    "评查日期",
    "评查得分",
    "全过程记录",
    "重大执法决定",
    "法制审核",
    "决定公示",
    "网上办理",
]


def officer_row(**overrides):
    row = {
        "单位代码": "990101001001",
        "姓名": "张三",
        "身份证号码": "990101198001011234",
        "执法证号": "QS0001",
        "发证日期": D(2025, 1, 10),
        "有效期至": D(2030, 1, 9),
        "离岗日期": None,
    }
    row.update(overrides)
    return [row[h] for h in OFFICER_HEADER]


def exam_row(**overrides):
    row = dict(zip(EXAM_HEADER, ["990101198001011234", 2025, 86, None, 78, None, 64], strict=True))
    row.update(overrides)
    return [row[h] for h in EXAM_HEADER]


def case_row(**overrides):
    values = [
        "990101001001",
        2025,
        "青执罚〔2025〕1号",
        "销售过期食品案",
        D(2025, 11, 20),
        92,
        "是",
        "否",
        "否",
        "是",
        "是",
    ]
    row = dict(zip(CASE_HEADER, values, strict=True))
    row.update(overrides)
    return [row[h] for h in CASE_HEADER]


def run(importer, rows, actor, **kwargs):
    with translation.override("en"):
        return import_run(importer(actor=actor), make_xlsx(rows), **kwargs)


def errors(result):
    return [(e.row, e.column, e.message) for e in result.errors]


def nothing_written(before: int = 0):
    return Officer.objects.count() == before and not CaseFile.objects.exists() and not OfficerYear.objects.exists()


def test_importers_are_registered_by_key():
    registered = importers()
    assert registered["enforcement.officers"] is OfficerImporter
    assert registered["enforcement.exams"] is ExamImporter
    assert registered["enforcement.case_files"] is CaseFileImporter


def test_valid_files_import_with_their_audit(tree, personas):
    clerk = personas["township_clerk"]
    result = run(
        OfficerImporter,
        [
            OFFICER_HEADER,
            officer_row(),
            officer_row(身份证号码="990101198001015678", 执法证号=None, 发证日期=None, 有效期至=None),
        ],
        clerk,
    )
    assert result.ok, errors(result)
    assert Officer.objects.count() == 2 and Certificate.objects.get().number == "QS0001"
    result = run(
        ExamImporter,
        [
            EXAM_HEADER,
            exam_row(),
            exam_row(身份证号码="990101198001015678", 通用法律知识考试成绩=None, 通用法律知识考试缺考="无故缺考"),
        ],
        clerk,
    )
    assert result.ok, errors(result)
    assert OfficerYear.objects.get(officer__id_number="990101198001015678").general_absence == "unexcused"
    items = dict.fromkeys(["执法主体", "事实证据", "法律适用", "执法程序", "执法文书", "立卷归档"])
    header = [*CASE_HEADER, *items]
    with_items = [*case_row(案卷编号="2号", 评查得分=None), 10, 25, 20, 20, 10, 5]
    result = run(CaseFileImporter, [header, [*case_row(), *[None] * 6], with_items], clerk)
    assert result.ok, errors(result)
    assert CaseFile.objects.get(case_number="2号").score == 90
    assert CaseFile.objects.get(case_number="青执罚〔2025〕1号").disclosed is True
    actions = AuditEvent.objects.filter(action__startswith="enforcement.").values_list("action", flat=True)
    assert sorted(set(actions)) == [
        "enforcement.case_file.created",
        "enforcement.certificate.created",
        "enforcement.officer.created",
        "enforcement.year.recorded",
    ]
    assert len(actions) == 2 + 1 + 2 + 2


def test_dry_run_writes_nothing(tree, personas):
    result = run(OfficerImporter, [OFFICER_HEADER, officer_row()], personas["county_admin"], dry_run=True)
    assert result.ok and nothing_written()


CATALOGUE = [
    (
        "text in a date column",
        OfficerImporter,
        [OFFICER_HEADER, officer_row(发证日期="去年")],
        2,
        "发证日期",
        "expected a date",
    ),
    ("a number as the name", OfficerImporter, [OFFICER_HEADER, officer_row(姓名=12)], 2, "姓名", "expected text"),
    (
        "certificate expires before issue",
        OfficerImporter,
        [OFFICER_HEADER, officer_row(发证日期=D(2025, 1, 10), 有效期至=D(2024, 1, 10))],
        2,
        "有效期至",
        "enforcement.certificate_dates",
    ),
    (
        "certificate without dates",
        OfficerImporter,
        [OFFICER_HEADER, officer_row(发证日期=None, 有效期至=None)],
        2,
        "发证日期",
        "enforcement.certificate_dates",
    ),
    (
        "left before taking up the post",
        OfficerImporter,
        [[*OFFICER_HEADER, "任职日期"], [*officer_row(离岗日期=D(2024, 1, 1)), D(2025, 1, 1)]],
        2,
        "离岗日期",
        "enforcement.post_dates",
    ),
    (
        "bad ID number",
        OfficerImporter,
        [OFFICER_HEADER, officer_row(身份证号码="1")],
        2,
        "身份证号码",
        "enforcement.id_number",
    ),
    (
        "unknown org code",
        OfficerImporter,
        [OFFICER_HEADER, officer_row(单位代码="990199")],
        2,
        "单位代码",
        "enforcement.unknown_org",
    ),
    (
        "org outside scope",
        OfficerImporter,
        [OFFICER_HEADER, officer_row(单位代码="990102")],
        2,
        "单位代码",
        "enforcement.unknown_org",
    ),
    (
        "duplicate ID numbers",
        OfficerImporter,
        [OFFICER_HEADER, officer_row(), officer_row(执法证号="QS0002")],
        3,
        "身份证号码",
        "enforcement.id_number_taken",
    ),
    (
        "duplicate certificate numbers",
        OfficerImporter,
        [OFFICER_HEADER, officer_row(), officer_row(身份证号码="990101198001015678")],
        3,
        "执法证号",
        "enforcement.certificate_number_taken",
    ),
    ("missing required cell", OfficerImporter, [OFFICER_HEADER, officer_row(姓名=None)], 2, "姓名", "required"),
    (
        "score above 100",
        ExamImporter,
        [EXAM_HEADER, exam_row(通用法律知识考试成绩=101)],
        2,
        "通用法律知识考试成绩",
        "enforcement.exam_result",
    ),
    (
        "score for an absentee",
        ExamImporter,
        [EXAM_HEADER, exam_row(专门法律知识考试缺考="请假")],
        2,
        "专门法律知识考试成绩",
        "enforcement.exam_result",
    ),
    (
        "unknown absence",
        ExamImporter,
        [EXAM_HEADER, exam_row(专门法律知识考试缺考="迟到")],
        2,
        "专门法律知识考试缺考",
        "not one of",
    ),
    ("fractional hours", ExamImporter, [EXAM_HEADER, exam_row(培训学时=1.25)], 2, "培训学时", "one decimal"),
    ("year out of range", ExamImporter, [EXAM_HEADER, exam_row(年度=1900)], 2, "年度", "enforcement.year"),
    (
        "unknown officer",
        ExamImporter,
        [EXAM_HEADER, exam_row(身份证号码="123456")],
        2,
        "身份证号码",
        "enforcement.unknown_officer",
    ),
    (
        "officer and year twice",
        ExamImporter,
        [EXAM_HEADER, exam_row(), exam_row()],
        3,
        "年度",
        "enforcement.officer_year_duplicate",
    ),
    (
        "score above 100 (case)",
        CaseFileImporter,
        [CASE_HEADER, case_row(评查得分=101)],
        2,
        "评查得分",
        "enforcement.score",
    ),
    ("no score", CaseFileImporter, [CASE_HEADER, case_row(评查得分=None)], 2, "评查得分", "enforcement.score"),
    (
        "reviewed before its year",
        CaseFileImporter,
        [CASE_HEADER, case_row(评查日期=D(2024, 12, 1))],
        2,
        "评查日期",
        "enforcement.review_date",
    ),
    ("not yes or no", CaseFileImporter, [CASE_HEADER, case_row(法制审核="也许")], 2, "法制审核", "expected 是 or 否"),
    (
        "duplicate case files",
        CaseFileImporter,
        [CASE_HEADER, case_row(), case_row()],
        3,
        "案卷编号",
        "enforcement.case_file_duplicate",
    ),
    (
        "checklist item over its points",
        CaseFileImporter,
        [
            [*CASE_HEADER, "执法主体", "事实证据", "法律适用", "执法程序", "执法文书", "立卷归档"],
            [*case_row(评查得分=None), 11, 25, 20, 20, 10, 5],
        ],
        2,
        "执法主体",
        "enforcement.checklist",
    ),
    (
        "score is not the checklist's sum",
        CaseFileImporter,
        [
            [*CASE_HEADER, "执法主体", "事实证据", "法律适用", "执法程序", "执法文书", "立卷归档"],
            [*case_row(评查得分=99), 10, 25, 20, 20, 10, 5],
        ],
        2,
        "评查得分",
        "enforcement.score",
    ),
]


@pytest.mark.parametrize(
    ("name", "importer", "rows", "row", "column", "message"), CATALOGUE, ids=[c[0] for c in CATALOGUE]
)
def test_bad_input_catalogue(tree, personas, name, importer, rows, row, column, message):
    if importer is ExamImporter:
        officer = make_officer(tree.village, "张三")
        Officer.objects.filter(pk=officer.pk).update(id_number="990101198001011234")
    before = Officer.objects.count()
    result = run(importer, rows, personas["county_admin"])
    assert not result.ok
    assert any(e[0] == row and e[1] == column and message in e[2] for e in errors(result)), errors(result)
    assert nothing_written(before)
    assert not AuditEvent.objects.filter(action__startswith="enforcement.", actor=personas["county_admin"]).exists()


def test_records_already_in_the_ledger_are_refused(tree, personas):
    officer = make_officer(tree.village)
    result = run(
        OfficerImporter,
        [OFFICER_HEADER, officer_row(身份证号码=officer.id_number, 执法证号=officer.certificates.get().number)],
        personas["county_admin"],
    )
    assert {(e[1], e[2].rsplit("(", 1)[1]) for e in errors(result)} == {
        ("身份证号码", "enforcement.id_number_taken)"),
        ("执法证号", "enforcement.certificate_number_taken)"),
    }
    make_case(tree.village, case_number="青执罚〔2025〕1号")
    result = run(CaseFileImporter, [CASE_HEADER, case_row()], personas["county_admin"])
    assert errors(result)[0][:2] == (2, "案卷编号") and "enforcement.case_file_duplicate" in errors(result)[0][2]
    assert Officer.objects.count() == 1 and CaseFile.objects.count() == 1


@pytest.mark.parametrize("importer", [OfficerImporter, ExamImporter, CaseFileImporter])
def test_empty_sheet_no_rows_and_extra_columns(tree, personas, importer):
    admin = personas["county_admin"]
    header = {OfficerImporter: OFFICER_HEADER, ExamImporter: EXAM_HEADER, CaseFileImporter: CASE_HEADER}[importer]
    row = {OfficerImporter: officer_row, ExamImporter: exam_row, CaseFileImporter: case_row}[importer]()
    assert "empty" in run(importer, [], admin).errors[0].message
    assert "no data rows" in run(importer, [header], admin).errors[0].message
    extra = run(importer, [[*header, "备注"], [*row, "x"]], admin)
    assert extra.errors[0].column == "备注" and "Unknown column" in extra.errors[0].message
    assert nothing_written()


def test_a_leader_cannot_import(tree, personas):
    result = run(OfficerImporter, [OFFICER_HEADER, officer_row()], personas["leader"])
    assert "enforcement.unknown_org" in errors(result)[0][2]
    assert nothing_written()


def test_exports_import_again(tree, personas):
    admin = personas["county_admin"]
    officer = make_officer(tree.village, "张三", joined_on=D(2024, 3, 1), left_on=D(2026, 1, 1))
    make_year(officer, 2025, general=None, general_absence="excused", training_hours=12.5)
    make_case(
        tree.village,
        items={"authority": 10, "facts": 25, "law": 20, "procedure": 20, "documents": 10, "filing": 5},
        score=None,
        online=True,
    )
    scope = subtree_q(tree.county.path, "org__path")
    officers = export_rows(OfficerImporter, OfficerImporter.export_rows(scope))
    exams = export_rows(ExamImporter, ExamImporter.export_rows(scope))
    cases = export_rows(CaseFileImporter, CaseFileImporter.export_rows(scope))
    before = {
        "officer": list(Officer.objects.values_list("org", "name", "id_number", "joined_on", "left_on")),
        "certificate": list(Certificate.objects.values_list("number", "issued_on", "expires_on")),
        "year": list(
            OfficerYear.objects.values_list(
                "year", "general_score", "general_absence", "special_score", "training_hours"
            )
        ),
        "case": list(CaseFile.objects.values_list("org", "year", "case_number", "score", "items", "online", "major")),
    }
    CaseFile.objects.all().delete()
    Officer.objects.all().delete()
    for importer, data in ((OfficerImporter, officers), (ExamImporter, exams), (CaseFileImporter, cases)):
        result = import_run(importer(actor=admin), data)
        assert result.ok, errors(result)
    after = {
        "officer": list(Officer.objects.values_list("org", "name", "id_number", "joined_on", "left_on")),
        "certificate": list(Certificate.objects.values_list("number", "issued_on", "expires_on")),
        "year": list(
            OfficerYear.objects.values_list(
                "year", "general_score", "general_absence", "special_score", "training_hours"
            )
        ),
        "case": list(CaseFile.objects.values_list("org", "year", "case_number", "score", "items", "online", "major")),
    }
    assert after == before


# ---------------------------------------------------------------------------------------------
# Random rows


def _pool(column):
    key = column.key
    if key == "org_code":
        return ["990101001001", "990101", "990199", "990102001001", None]
    if key == "id_number":
        return ["990101198001011234", "990101198001015678", "12", "ABC999", None]
    if key == "certificate_number":
        return ["QS1", "QS2", None]
    if key == "case_number":
        return ["1号", "2号", None]
    if key.endswith("_on"):
        return [D(2025, 3, 1), D(2030, 3, 9), D(2024, 2, 1), "明天", None]
    if key == "year":
        return [2025, 2026, 1800, "二〇二五", None]
    if key.endswith("_score") or key == "score" or key.startswith("item_"):
        return [0, 59, 60, 100, 101, -1, "八十", None]
    if key == "training_hours":
        return [0, 12.5, 60, 1.25, None]
    if hasattr(column.parse, "choices"):
        return [value for value, _label in column.parse.choices] + [None, "无效"]
    if key in ("full_record", "major", "legal_review", "disclosed", "online"):
        return ["是", "否", None, "也许"]
    return ["事项", 7, None]


def _rows(importer):
    row = st.tuples(*(st.sampled_from(_pool(c)) for c in importer.columns))
    return st.lists(row, min_size=1, max_size=5)


def _snapshot(importer):
    if importer is OfficerImporter:
        return sorted(Officer.objects.values_list("id_number", "name"))
    if importer is ExamImporter:
        return sorted(OfficerYear.objects.values_list("officer__id_number", "year", "general_score", "special_score"))
    return sorted(CaseFile.objects.values_list("org__code", "year", "case_number", "score"))


def _expected(importer, rows):
    keys = [c.key for c in importer.columns]
    values = [dict(zip(keys, row, strict=True)) for row in rows]
    if importer is OfficerImporter:
        return sorted((v["id_number"], v["name"]) for v in values)
    if importer is ExamImporter:
        return sorted((v["id_number"], v["year"], v["general_score"], v["special_score"]) for v in values)
    items = [f"item_{code}" for code in ("authority", "facts", "law", "procedure", "documents", "filing")]
    return sorted(
        (v["org_code"], v["year"], v["case_number"], v["score"] if v["score"] is not None else sum(v[i] for i in items))
        for v in values
    )


@pytest.mark.django_db
@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
@pytest.mark.parametrize("importer", [OfficerImporter, ExamImporter, CaseFileImporter])
def test_random_rows_import_exactly_or_nothing(tree, personas, importer, data):
    rows = data.draw(_rows(importer))
    with transaction.atomic():
        existing = make_officer(tree.village, "李四")
        Officer.objects.filter(pk=existing.pk).update(id_number="990101198001015678")
        before = _snapshot(importer)
        audit_before = AuditEvent.objects.count()
        result = import_run(
            importer(actor=personas["township_clerk"]), make_xlsx([[c.header for c in importer.columns], *rows])
        )
        after = _snapshot(importer)
        if result.ok:
            assert sorted(set(after) - set(before)) == _expected(importer, rows)
            assert AuditEvent.objects.count() > audit_before
        else:
            assert after == before and result.errors
            assert AuditEvent.objects.count() == audit_before
        transaction.set_rollback(True)


def test_an_inactive_organisation_takes_no_new_records_by_import_page_or_api(tree, personas, client_for):
    """A unit no longer active keeps its records but gets no new officers or case files, wherever they come from."""
    import json

    from django.urls import reverse

    from fazhi.orgs.models import Org
    from fazhi.orgs.tokens import api_token_create

    Org.objects.filter(pk=tree.village.pk).update(is_active=False)
    admin = personas["county_admin"]
    for importer, header, row in (
        (OfficerImporter, OFFICER_HEADER, officer_row()),
        (CaseFileImporter, CASE_HEADER, case_row()),
    ):
        result = run(importer, [header, row], admin)
        assert [(r, c) for r, c, _m in errors(result)] == [(2, "单位代码")], errors(result)
        assert "enforcement.org_inactive" in errors(result)[0][2]
    assert nothing_written()

    key = api_token_create(actor=None, user=admin, name="脚本")[1]
    body = {"org": tree.village.code, "name": "张三", "id_number": "990101198001011234"}
    response = client_for("county_admin").post(
        "/api/v1/ledgers/enforcement/officers",
        json.dumps(body),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert (response.status_code, response.json()["rule"]) == (400, "enforcement.org_inactive")
    page = client_for("county_admin").post(reverse("enforcement_officer_create"), body)
    assert page.status_code == 400 and tree.village.code in page.context["form"].errors["org"][0]
    officer = make_officer(tree.village2)
    response = client_for("county_admin").patch(
        f"/api/v1/ledgers/enforcement/officers/{officer.pk}",
        json.dumps({"org": tree.village.code}),
        content_type="application/json",
        headers={"Authorization": f"Bearer {key}"},
    )
    assert (response.status_code, response.json()["rule"]) == (400, "enforcement.org_inactive")
    officer.refresh_from_db()
    assert officer.org == tree.village2 and Officer.objects.count() == 1
