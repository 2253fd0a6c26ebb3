"""The one import page of every registered importer (/ledgers/import/<key>/): who may open it, the template, the
trip through the background job, and the export in the same columns."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db.models import Q
from django.urls import reverse

from fazhi.core.models import AuditEvent, CalendarDay, Job
from tests.factories import make_user
from tests.ledgers.common.fakes import fake_item, fake_items
from tests.spreadsheets import make_xlsx, read_xlsx

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
pytestmark = pytest.mark.django_db


def upload(data: bytes, name: str = "fake.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=XLSX)


def test_who_may_open_a_ledger_import(fake_ledger, client_for):
    url = reverse("ledger_import", kwargs={"importer_key": "fake"})
    statuses = {name: client_for(name).get(url).status_code for name in ("county_admin", "township_clerk", "leader")}
    assert statuses == {"county_admin": 200, "township_clerk": 200, "leader": 403}
    assert client_for("anonymous").get(url).status_code == 302
    assert (
        client_for("county_admin").get(reverse("ledger_import", kwargs={"importer_key": "nothing"})).status_code == 404
    )


def test_the_page_explains_the_columns_and_links_template_and_export(fake_ledger, client_for):
    page = client_for("township_clerk").get(reverse("ledger_import", kwargs={"importer_key": "fake"})).content.decode()
    assert "导入测试台账" in page and "单位代码" in page and "<code>org_code</code>" in page
    assert reverse("ledger_import_template", kwargs={"importer_key": "fake"}) in page
    assert reverse("ledger_export", kwargs={"importer_key": "fake"}) in page


def test_the_template_has_the_importers_headers(fake_ledger, client_for):
    response = client_for("township_clerk").get(reverse("ledger_import_template", kwargs={"importer_key": "fake"}))
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    assert "fake-template.xlsx" in response["Content-Disposition"]
    assert read_xlsx(response.content)[0] == ["单位代码", "事项", "期限"]


def test_an_upload_runs_as_a_job_and_writes(fake_ledger, tree, client_for, django_capture_on_commit_callbacks):
    client = client_for("township_clerk")
    data = make_xlsx([["单位代码", "事项", "期限"], [tree.village.code, "报送备案", dt.date(2026, 12, 20)]])
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("ledger_import", kwargs={"importer_key": "fake"}), {"file": upload(data)})
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("job_detail", args=[job.pk])
    assert job.status == Job.Status.SUCCEEDED
    assert [e.new["title"] for e in fake_items(Q())] == ["报送备案"]


def test_a_refused_upload_writes_nothing(fake_ledger, tree, client_for, django_capture_on_commit_callbacks):
    client = client_for("township_clerk")
    data = make_xlsx(
        [
            ["单位代码", "事项", "期限"],
            [tree.village.code, "报送备案", dt.date(2026, 12, 20)],
            [tree.other_village.code, "越权", dt.date(2026, 12, 20)],  # outside the clerk's scope
        ]
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("ledger_import", kwargs={"importer_key": "fake"}), {"file": upload(data)})
    job = Job.objects.get()
    assert job.status == Job.Status.REFUSED
    assert [(e["row"], e["column"]) for e in job.errors] == [(3, "单位代码")]
    assert not fake_items(Q()).exists()


def test_a_dry_run_writes_nothing(fake_ledger, tree, client_for, django_capture_on_commit_callbacks):
    data = make_xlsx([["单位代码", "事项", "期限"], [tree.village.code, "报送备案", dt.date(2026, 12, 20)]])
    with django_capture_on_commit_callbacks(execute=True):
        client_for("township_clerk").post(
            reverse("ledger_import", kwargs={"importer_key": "fake"}), {"file": upload(data), "dry_run": "on"}
        )
    assert Job.objects.get().status == Job.Status.SUCCEEDED
    assert not fake_items(Q()).exists()


def test_the_export_holds_the_users_scope_and_imports_again(fake_ledger, tree, client_for):
    fake_item(org=tree.village, title="东门村事项", due=dt.date(2026, 12, 1))
    fake_item(org=tree.other_village, title="白水村事项", due=dt.date(2026, 12, 2))
    url = reverse("ledger_export", kwargs={"importer_key": "fake"})
    rows = read_xlsx(client_for("township_clerk").get(url).content)
    assert rows[0] == ["单位代码", "事项", "期限"]
    assert [r[:2] for r in rows[1:]] == [[tree.village.code, "东门村事项"]]
    assert client_for("township_clerk").get(url + f"?org={tree.other_village.code}").status_code == 404
    rows = read_xlsx(client_for("county_admin").get(url + f"?org={tree.township.code}").content)
    assert len(rows) == 2
    assert client_for("reviewer").get(url).status_code == 403
    # ledgers hold personal data: who exported what is in the audit log, filed under the org exported
    events = AuditEvent.objects.filter(action="ledgers.exported").order_by("pk")
    assert [(e.actor_label, e.new["importer"], e.new["org"], e.new["rows"]) for e in events] == [
        ("township_clerk", "fake", None, 1),
        ("county_admin", "fake", tree.township.code, 1),
    ]
    assert events.last().org == tree.township


def test_the_calendar_import_is_for_top_level_administrators(tree, client_for, django_capture_on_commit_callbacks):
    url = reverse("ledger_import", kwargs={"importer_key": "calendar"})
    assert client_for("county_admin").get(url).status_code == 403  # 青山县 is not a top-level organisation
    root_admin = make_user("province_admin", org=tree.province, role="administrator")
    client = client_for("anonymous")
    client.force_login(root_admin)
    assert client.get(url).status_code == 200
    template = read_xlsx(client.get(reverse("ledger_import_template", kwargs={"importer_key": "calendar"})).content)
    assert template[0] == ["日期", "类型", "名称"]
    data = make_xlsx(
        [
            ["日期", "类型", "名称"],
            [dt.date(2027, 1, 1), "放假", "元旦"],
            [dt.date(2027, 1, 2), "放假", "元旦"],
            [dt.date(2027, 1, 3), "放假", "元旦"],
        ]
    )
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"file": upload(data, "2027.xlsx")})
    assert Job.objects.get().status == Job.Status.SUCCEEDED
    assert set(AuditEvent.objects.filter(action="core.calendar_day.added").values_list("org__name", flat=True)) == {
        "东川省"
    }
    assert list(CalendarDay.objects.values_list("date", "is_working_day")) == [
        (dt.date(2027, 1, 1), False),
        (dt.date(2027, 1, 2), False),
        (dt.date(2027, 1, 3), False),
    ]


def test_a_calendar_file_with_bad_rows_is_refused_with_row_and_column(tree, django_capture_on_commit_callbacks):
    from fazhi.core.imports import import_run
    from fazhi.ledgers.common.calendar import CalendarDayImporter

    CalendarDay.objects.create(year=2027, date=dt.date(2027, 2, 6), is_working_day=True, name="春节调休")
    data = make_xlsx(
        [
            ["日期", "类型", "名称"],
            [dt.date(2026, 10, 1), "放假", "国庆节"],  # a year the official data covers
            [dt.date(2027, 1, 4), "上班", ""],  # a Monday is a working day already
            [dt.date(2027, 2, 6), "上班", "春节调休"],  # entered already
            [dt.date(2027, 1, 1), "放假", "元旦"],
            [dt.date(2027, 1, 1), "放假", "元旦"],  # twice in the file
            ["明天", "放假", ""],  # not a date
            [dt.date(2027, 1, 2), "请假", ""],  # not a kind
        ]
    )
    result = import_run(CalendarDayImporter(actor=None), data)
    assert not result.ok
    found = [(e.row, e.column) for e in result.errors]
    assert found == [(2, "日期"), (3, "日期"), (4, "日期"), (6, "日期"), (7, "日期"), (8, "类型")]
    assert "calendar.year_official" in result.errors[0].message
    assert "calendar.weekday_working" in result.errors[1].message
    assert "calendar.day_exists" in result.errors[2].message
    assert CalendarDay.objects.count() == 1


def test_every_registered_importer_has_a_working_page_template_and_export(tree, client_for):
    """Whatever the ledgers register: the page opens, the template reads back as the importer's headers, and an
    importer with an export gives a file with the same headers."""
    from fazhi.ledgers.common.importing import importer_exports
    from fazhi.ledgers.common.registry import importers

    client = client_for("anonymous")
    client.force_login(make_user("root", is_superuser=True))
    for key, importer in importers().items():
        assert client.get(reverse("ledger_import", kwargs={"importer_key": key})).status_code == 200, key
        template = client.get(reverse("ledger_import_template", kwargs={"importer_key": key}))
        headers = [column.header for column in importer.columns]
        assert read_xlsx(template.content)[0] == headers, key
        if importer_exports(importer):
            exported = client.get(reverse("ledger_export", kwargs={"importer_key": key}))
            assert read_xlsx(exported.content)[0] == headers, key
