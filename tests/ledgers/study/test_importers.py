# ruff: noqa: E501 — the bad-input catalogue is a table, one case a line
"""The study ledger's importers: valid files, the bad-input catalogue (row, column and rule named, nothing
written), exports that import again, and random rows (exactly what was given, or nothing)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from fazhi.core.imports import import_run
from fazhi.core.models import AuditEvent
from fazhi.ledgers.common.registry import importers
from fazhi.ledgers.study.importers import (
    AppointmentImporter,
    LearnerImporter,
    MeetingImporter,
    PublicityImporter,
    SessionImporter,
)
from fazhi.ledgers.study.models import (
    Appointment,
    Attendance,
    Learner,
    PublicityEvent,
    StandingMeeting,
    StudySession,
)
from tests.ledgers.study import factories as f
from tests.spreadsheets import make_xlsx, read_xlsx

pytestmark = pytest.mark.django_db

D = dt.date
SESSION_HEADER = ["单位代码", "类型", "日期", "学时", "主题", "参加人员"]
LEARNER_HEADER = ["单位代码", "姓名", "职务", "是否领导干部"]
APPOINTMENT_HEADER = ["单位代码", "姓名", "拟任职务", "任职日期", "考试日期", "考试成绩"]
PUBLICITY_HEADER = ["单位代码", "日期", "主题日", "活动名称", "地点", "参加人数", "发放资料数"]
MEETING_HEADER = ["单位代码", "会议日期", "会议名称"]


def run(importer, rows, actor, **kwargs):
    with translation.override("en"):
        return import_run(importer(actor=actor), make_xlsx(rows), **kwargs)


def errors(result):
    return [(e.row, e.column, e.message) for e in result.errors]


def nothing_written(learners: int = 0) -> bool:
    return (
        Learner.objects.count() == learners
        and not StudySession.objects.exists()
        and not Attendance.objects.exists()
        and not PublicityEvent.objects.exists()
        and not Appointment.objects.exists()
        and not StandingMeeting.objects.exists()
    )


def test_importers_are_registered_by_key():
    registered = importers()
    assert registered["study.sessions"] is SessionImporter
    assert registered["study.learners"] is LearnerImporter
    assert registered["study.publicity"] is PublicityImporter
    assert registered["study.appointments"] is AppointmentImporter
    assert registered["study.meetings"] is MeetingImporter


def test_standing_meetings_import_with_their_audit(tree, personas):
    clerk = personas["township_clerk"]
    result = run(
        MeetingImporter,
        [
            MEETING_HEADER,
            ["990101001", D(2025, 3, 12), "镇政府第3次常务会议"],
            ["990101", "2025-04-02", "县政府第5次常务会议"],
        ],
        personas["county_admin"],
    )
    assert result.ok, errors(result)
    assert sorted(StandingMeeting.objects.values_list("org__code", "date", "title")) == [
        ("990101", D(2025, 4, 2), "县政府第5次常务会议"),
        ("990101001", D(2025, 3, 12), "镇政府第3次常务会议"),
    ]
    assert AuditEvent.objects.filter(action="study.meeting.created").count() == 2
    # The clerk of 城关镇 may not keep the county's ledger: the row names the organisation's column.
    refused = run(MeetingImporter, [MEETING_HEADER, ["990101", D(2025, 5, 1), "县政府第6次常务会议"]], clerk)
    assert errors(refused)[0][:2] == (2, "单位代码")
    assert StandingMeeting.objects.count() == 2


def test_learners_then_sessions_then_publicity_import_with_their_audit(tree, personas):
    clerk = personas["township_clerk"]
    result = run(
        LearnerImporter,
        [LEARNER_HEADER, ["990101001", "张伟", "镇长", "是"], ["990101001", "李娜", "", None]],
        clerk,
    )
    assert result.ok, errors(result)
    assert sorted(Learner.objects.values_list("name", "is_leader")) == [("张伟", True), ("李娜", False)]
    result = run(
        SessionImporter,
        [
            SESSION_HEADER,
            ["990101001", "中心组学法", D(2025, 3, 1), 3, "学习宪法", "张伟、李娜"],
            ["990101001", "网上学法", "2025-04-01", "2", "民法典网上学习", "张伟(2.5)，李娜（1）"],
            ["990101001", "lecture", D(2025, 5, 1), 1.5, "讲座", None],
        ],
        clerk,
    )
    assert result.ok, errors(result)
    assert StudySession.objects.count() == 3
    online = StudySession.objects.get(kind="online_course")
    assert sorted(online.attendance.values_list("learner__name", "hours")) == [
        ("张伟", Decimal("2.5")),
        ("李娜", Decimal("1.0")),
    ]
    assert AuditEvent.objects.filter(action="study.session.created", actor=clerk).count() == 3
    result = run(
        PublicityImporter,
        [PUBLICITY_HEADER, ["990101001", D(2025, 12, 4), "12.4", "宪法宣传", "广场", 300, 1200]],
        clerk,
    )
    assert result.ok, errors(result)
    assert PublicityEvent.objects.get().theme == "constitution"


def test_dry_run_writes_nothing(tree, personas):
    result = run(
        LearnerImporter, [LEARNER_HEADER, ["990101001", "张伟", "镇长", "是"]], personas["county_admin"], dry_run=True
    )
    assert result.ok and nothing_written()


FUTURE = dt.date.today() + dt.timedelta(days=3)

# (name, importer, rows after the header, row, column, what the message contains)
CATALOGUE = [
    ("hours as text", SessionImporter, [["990101001", "讲座", D(2025, 3, 1), "三", "法治", "张伟"]], 2, "学时", "number of hours"),
    ("date as text", SessionImporter, [["990101001", "讲座", "三月", 2, "法治", "张伟"]], 2, "日期", "expected a date"),
    ("topic as number", SessionImporter, [["990101001", "讲座", D(2025, 3, 1), 2, 12, "张伟"]], 2, "主题", "expected text"),
    ("unknown kind", SessionImporter, [["990101001", "开会", D(2025, 3, 1), 2, "法治", "张伟"]], 2, "类型", "not one of"),
    ("zero hours", SessionImporter, [["990101001", "讲座", D(2025, 3, 1), 0, "法治", "张伟"]], 2, "学时", "more than 0"),
    ("too many hours", SessionImporter, [["990101001", "讲座", D(2025, 3, 1), 41, "法治", "张伟"]], 2, "学时", "at most 40"),
    ("hundredths of an hour", SessionImporter, [["990101001", "讲座", D(2025, 3, 1), 1.25, "法治", "张伟"]], 2, "学时", "tenth"),
    ("session in the future", SessionImporter, [["990101001", "讲座", FUTURE, 2, "法治", "张伟"]], 2, "日期", "study.date_in_future"),
    ("unknown attendee", SessionImporter, [["990101001", "讲座", D(2025, 3, 1), 2, "法治", "张伟、王五"]], 2, "参加人员", "study.attendee_unknown"),
    ("attendee twice", SessionImporter, [["990101001", "讲座", D(2025, 3, 1), 2, "法治", "张伟、张伟"]], 2, "参加人员", "study.attendee_twice"),
    ("individual hours at a lecture", SessionImporter, [["990101001", "讲座", D(2025, 3, 1), 2, "法治", "张伟(3)"]], 2, "参加人员", "online courses only"),
    ("hours in brackets not a number", SessionImporter, [["990101001", "网上学法", D(2025, 3, 1), 2, "法治", "张伟(三)"]], 2, "参加人员", "not a number"),
    ("unknown org code", SessionImporter, [["990199", "讲座", D(2025, 3, 1), 2, "法治", None]], 2, "单位代码", "no active organisation"),
    ("org outside scope", SessionImporter, [["990102001001", "讲座", D(2025, 3, 1), 2, "法治", None]], 2, "单位代码", "no active organisation"),
    ("duplicate session", SessionImporter, [["990101001", "讲座", D(2025, 3, 1), 2, "法治", None]] * 2, 3, "主题", "same session as row 2"),
    ("missing required", SessionImporter, [["990101001", None, D(2025, 3, 1), 2, "法治", None]], 2, "类型", ""),
    ("duplicate learner", LearnerImporter, [["990101001", "王五", "", "否"]] * 2, 3, "姓名", "same person as row 2"),
    ("learner already there", LearnerImporter, [["990101001", "张伟", "", "否"]], 2, "姓名", "already has a learner"),
    ("leader flag not yes or no", LearnerImporter, [["990101001", "王五", "", "也许"]], 2, "是否领导干部", "是 or 否"),
    ("no participants", PublicityImporter, [["990101001", D(2025, 3, 15), "3.15", "宣传", "广场", 0, 0]], 2, "参加人数", "at least 1"),
    ("unknown theme", PublicityImporter, [["990101001", D(2025, 3, 15), "5.1", "宣传", "广场", 10, 0]], 2, "主题日", "not one of"),
    ("event in the future", PublicityImporter, [["990101001", FUTURE, "3.15", "宣传", "广场", 10, 0]], 2, "日期", "study.date_in_future"),
    ("test after the appointment", AppointmentImporter, [["990101001", "张伟", "镇长", D(2025, 6, 1), D(2025, 6, 2), 90]], 2, "考试日期", "study.test_after_appointment"),
    ("score without a test", AppointmentImporter, [["990101001", "张伟", "镇长", D(2025, 6, 1), None, 90]], 2, "考试成绩", "study.score_without_test"),
    ("score above 100", AppointmentImporter, [["990101001", "张伟", "镇长", D(2025, 6, 1), D(2025, 5, 1), 101]], 2, "考试成绩", "at most 100"),
    ("appointee not a learner", AppointmentImporter, [["990101001", "王五", "镇长", D(2025, 6, 1), None, None]], 2, "姓名", "not a learner"),
    ("duplicate appointment", AppointmentImporter, [["990101001", "张伟", "镇长", D(2025, 6, 1), None, None]] * 2, 3, "姓名", "same appointment as row 2"),
    ("meeting date as text", MeetingImporter, [["990101001", "三月", "第3次常务会议"]], 2, "会议日期", "expected a date"),
    ("meeting title as number", MeetingImporter, [["990101001", D(2025, 3, 12), 12]], 2, "会议名称", "expected text"),
    ("meeting without a title", MeetingImporter, [["990101001", D(2025, 3, 12), None]], 2, "会议名称", ""),
    ("meeting in the future", MeetingImporter, [["990101001", FUTURE, "第3次常务会议"]], 2, "会议日期", "study.date_in_future"),
    ("meeting of an unknown org", MeetingImporter, [["990199", D(2025, 3, 12), "第3次常务会议"]], 2, "单位代码", "no active organisation"),
    ("meeting outside the scope", MeetingImporter, [["990102001001", D(2025, 3, 12), "第3次常务会议"]], 2, "单位代码", "no active organisation"),
    ("duplicate meeting", MeetingImporter, [["990101001", D(2025, 3, 12), "第3次常务会议"]] * 2, 3, "会议名称", "same meeting as row 2"),
    ("meeting already there", MeetingImporter, [["990101001", D(2025, 1, 8), "第1次常务会议"]], 2, "会议名称", "study.meeting_duplicate"),
    ("duplicate event", PublicityImporter, [["990101001", D(2025, 3, 15), "3.15", "宣传", "广场", 10, 0]] * 2, 3, "活动名称", "same event as row 2"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("name", "importer", "rows", "row", "column", "message"), CATALOGUE, ids=[c[0] for c in CATALOGUE]
)
def test_bad_input_catalogue(tree, personas, name, importer, rows, row, column, message):
    f.learner(tree.township, "张伟")
    StandingMeeting.objects.create(org=tree.township, date=D(2025, 1, 8), title="第1次常务会议")  # no audit: as before
    header = {
        MeetingImporter: MEETING_HEADER,
        SessionImporter: SESSION_HEADER,
        LearnerImporter: LEARNER_HEADER,
        PublicityImporter: PUBLICITY_HEADER,
        AppointmentImporter: APPOINTMENT_HEADER,
    }
    good = {
        SessionImporter: ["990101001", "讲座", D(2025, 2, 1), 2, "好的一行", "张伟"],
        LearnerImporter: ["990101001", "赵六", "", "否"],
        PublicityImporter: ["990101001", D(2025, 2, 1), "其他", "好的一行", "广场", 10, 0],
        AppointmentImporter: ["990101001", "张伟", "副镇长", D(2025, 2, 1), D(2025, 1, 20), 80],
        MeetingImporter: ["990101001", D(2025, 2, 1), "好的一行"],
    }[importer]
    result = run(importer, [header[importer], *rows, good], personas["township_clerk"])
    assert not result.ok
    found = errors(result)
    assert any(r == row and c == column and message in m for r, c, m in found), found
    assert StandingMeeting.objects.count() == 1
    StandingMeeting.objects.all().delete()
    assert nothing_written(learners=1)
    assert not AuditEvent.objects.filter(action__startswith="study.").exclude(action="study.learner.created").exists()


@pytest.mark.parametrize(
    "importer", [SessionImporter, LearnerImporter, PublicityImporter, AppointmentImporter, MeetingImporter]
)
def test_empty_sheet_no_rows_and_extra_columns(tree, personas, importer):
    admin = personas["county_admin"]
    header = [c.header for c in importer.columns]
    empty = run(importer, [], admin)
    assert not empty.ok and "empty" in empty.errors[0].message
    no_rows = run(importer, [header], admin)
    assert not no_rows.ok and "no data rows" in no_rows.errors[0].message
    extra = run(importer, [[*header, "备注"], [None] * len(header) + ["x"]], admin)
    assert not extra.ok and any(e.column == "备注" for e in extra.errors)
    assert nothing_written()


def test_a_leader_cannot_import(tree, personas):
    result = run(LearnerImporter, [LEARNER_HEADER, ["990101", "张伟", "", "否"]], personas["leader"])
    assert "no active organisation" in errors(result)[0][2]
    assert nothing_written()


def test_exports_import_again(tree, personas, client_for):
    admin = personas["county_admin"]
    zhang, li = f.learner(tree.county, "张伟", is_leader=True), f.learner(tree.township, "李娜", post="")
    f.session(tree.county, kind="online_course", hours="2", attendees=[(zhang, "2.5")], topic="网上学法")
    f.session(tree.township, kind="lecture", hours="1.5", attendees=[li])
    f.publicity(tree.county)
    f.appointment(tree.county, zhang, tested_on=dt.date(2025, 5, 1), score=88)
    f.appointment(tree.county, zhang, appointed_on=dt.date(2025, 9, 1), post="副县长")
    f.meeting(tree.county)
    f.meeting(tree.township, title="镇政府第2次常务会议")
    client = client_for("county_admin")
    files = {
        AppointmentImporter: client.get("/ledgers/study/appointments/export.xlsx").content,
        SessionImporter: client.get("/ledgers/study/sessions/export.xlsx").content,
        LearnerImporter: client.get("/ledgers/study/learners/export.xlsx").content,
        PublicityImporter: client.get("/ledgers/study/publicity/export.xlsx").content,
        MeetingImporter: client.get("/ledgers/study/meetings/export.xlsx").content,
    }

    def snapshot():
        return (
            sorted(Learner.objects.values_list("org__code", "name", "post", "is_leader")),
            sorted(StudySession.objects.values_list("org__code", "kind", "date", "hours", "topic")),
            sorted(Attendance.objects.values_list("learner__name", "hours")),
            sorted(PublicityEvent.objects.values_list("org__code", "date", "theme", "title", "participants")),
            sorted(Appointment.objects.values_list("learner__name", "post", "appointed_on", "tested_on", "score")),
            sorted(StandingMeeting.objects.values_list("org__code", "date", "title")),
        )

    before = snapshot()
    assert read_xlsx(files[SessionImporter])[0] == SESSION_HEADER
    PublicityEvent.objects.all().delete()
    Appointment.objects.all().delete()
    StudySession.objects.all().delete()
    Learner.objects.all().delete()
    StandingMeeting.objects.all().delete()
    for importer in (LearnerImporter, SessionImporter, PublicityImporter, AppointmentImporter, MeetingImporter):
        result = import_run(importer(actor=admin), files[importer])
        assert result.ok, errors(result)
    assert snapshot() == before


# ---------------------------------------------------------------------------------------------
# Random rows


def _pool(column):
    key = column.key
    if key == "org_code":
        return ["990101001", "990101", "990199", "990102001001", None]
    if key in ("date", "appointed_on", "tested_on"):
        return [D(2025, 3, 1), D(2025, 3, 2), FUTURE, "三月", None]
    if key == "score":
        return [0, 86, 100, 101, "八十", None]
    if key == "hours":
        return [0, 1, 2.5, 1.25, 41, "两", None]
    if key == "attendees":
        return ["张伟", "张伟、李娜", "张伟(2)", "王五", "张伟、张伟", None]
    if key in ("participants", "materials"):
        return [0, 1, 300, -1, "很多", None]
    if key == "is_leader":
        return ["是", "否", None, "也许"]
    if key == "name":
        return ["张伟", "王五", "赵六", 7, None]
    if hasattr(column.parse, "choices"):
        return [value for value, _label in column.parse.choices][:3] + [None, "无效"]
    return ["法治", "宪法", 7, None]


def _rows(importer):
    row = st.tuples(*(st.sampled_from(_pool(c)) for c in importer.columns))
    return st.lists(row, min_size=1, max_size=5)


def _snapshot(importer):
    if importer is LearnerImporter:
        return sorted(Learner.objects.values_list("org__code", "name"))
    if importer is SessionImporter:
        return sorted(StudySession.objects.values_list("org__code", "kind", "date", "topic"))
    if importer is AppointmentImporter:
        return sorted(Appointment.objects.values_list("org__code", "learner__name", "post", "appointed_on"))
    if importer is MeetingImporter:
        return sorted(StandingMeeting.objects.values_list("org__code", "date", "title"))
    return sorted(PublicityEvent.objects.values_list("org__code", "date", "title", "participants"))


def _expected(importer, rows):
    keys = [c.key for c in importer.columns]
    values = [dict(zip(keys, row, strict=True)) for row in rows]
    if importer is LearnerImporter:
        return sorted((v["org_code"], v["name"]) for v in values)
    if importer is SessionImporter:
        return sorted((v["org_code"], v["kind"], v["date"], v["topic"]) for v in values)
    if importer is AppointmentImporter:
        return sorted((v["org_code"], v["name"], v["post"], v["appointed_on"]) for v in values)
    if importer is MeetingImporter:
        return sorted((v["org_code"], v["date"], v["title"]) for v in values)
    return sorted((v["org_code"], v["date"], v["title"], v["participants"]) for v in values)


@settings(
    max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
@pytest.mark.parametrize(
    "importer", [SessionImporter, LearnerImporter, PublicityImporter, AppointmentImporter, MeetingImporter]
)
def test_random_rows_import_exactly_or_nothing(tree, personas, importer, data):
    rows = data.draw(_rows(importer))
    with transaction.atomic():
        f.learner(tree.township, "张伟")
        f.learner(tree.township, "李娜")
        StandingMeeting.objects.create(org=tree.township, date=D(2025, 3, 1), title="法治")  # a duplicate to meet
        before = _snapshot(importer)
        audit_before = AuditEvent.objects.count()
        result = import_run(
            importer(actor=personas["township_clerk"]), make_xlsx([[c.header for c in importer.columns], *rows])
        )
        after = _snapshot(importer)
        if result.ok:
            assert sorted(set(after) - set(before)) == _expected(importer, rows)
            assert AuditEvent.objects.count() == audit_before + len(rows)
        else:
            assert after == before and result.errors
            assert AuditEvent.objects.count() == audit_before
        transaction.set_rollback(True)


def test_the_ledgers_command_imports_and_exports_study_registers(tree, personas, tmp_path):
    from django.core.management import call_command

    f.learner(tree.township, "张伟")
    path = tmp_path / "sessions.xlsx"
    path.write_bytes(make_xlsx([SESSION_HEADER, ["990101001", "讲座", D(2025, 3, 1), 2, "法治讲座", "张伟"]]))
    call_command("ledgers", "import", "study.sessions", str(path), "--as", "township_clerk")
    assert StudySession.objects.get().attendance.get().learner.name == "张伟"
    out = tmp_path / "out.xlsx"
    call_command("ledgers", "export", "study.sessions", str(out), "--as", "county_admin")
    assert read_xlsx(out.read_bytes())[1][4:] == ["法治讲座", "张伟"]


def test_an_upload_on_the_import_page_runs_as_a_job(tree, personas, client_for, django_capture_on_commit_callbacks):
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = make_xlsx([LEARNER_HEADER, ["990101001", "张伟", "镇长", "是"]])
    client = client_for("township_clerk")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("ledger_import", kwargs={"importer_key": "study.learners"}),
            {"file": SimpleUploadedFile("learners.xlsx", data), "dry_run": ""},
        )
    assert response.status_code == 302
    job = client.get(response.url)
    assert job.status_code == 200
    assert Learner.objects.get().name == "张伟"
