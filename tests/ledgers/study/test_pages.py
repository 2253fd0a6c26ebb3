"""The study ledger's pages: lists in a constant number of queries, filters, forms with rule errors inline."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import translation

from fazhi.ledgers.study.models import Learner, PublicityEvent, StandingMeeting, StudySession
from tests.ledgers.study import factories as f

pytestmark = pytest.mark.django_db


def _fill(tree, n: int, start: int = 0):
    for i in range(start, start + n):
        person = f.learner(tree.township, f"学员{i}", is_leader=i % 2 == 0)
        f.session(tree.township, kind="lecture", topic=f"讲座{i}", attendees=[person], date=dt.date(2025, 3, 1))
        f.meeting(tree.township, date=dt.date(2025, 3, 1), title=f"第{i}次常务会议")
        f.appointment(tree.township, person, appointed_on=dt.date(2025, 6, 1), tested_on=dt.date(2025, 5, 1))
        f.publicity(tree.township, title=f"宣传{i}")


LISTS = [
    "study_session_list",
    "study_learner_list",
    "study_meeting_list",
    "study_appointment_list",
    "study_publicity_list",
    "study_compliance",
]


@pytest.mark.parametrize("name", LISTS)
def test_lists_take_the_same_number_of_queries_for_2_and_20_records(tree, client_for, name, django_assert_num_queries):
    client = client_for("county_admin")
    url = reverse(name) + "?year=2025"
    _fill(tree, 2)
    client.get(url)  # warm the session and the user's grants
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _fill(tree, 18, start=2)
    with django_assert_num_queries(len(small.captured_queries)):
        response = client.get(url)
    assert response.status_code == 200


def test_session_list_filters_by_subtree_year_and_kind(tree, client_for):
    f.session(tree.township, kind="seminar", topic="城关镇研讨班", date=dt.date(2025, 3, 1))
    f.session(tree.township2, kind="lecture", topic="河口镇讲座", date=dt.date(2025, 3, 1))
    f.session(tree.township, kind="lecture", topic="去年的讲座", date=dt.date(2024, 3, 1))
    client = client_for("county_admin")
    page = client.get(reverse("study_session_list"), {"org": tree.township.code, "year": 2025}).content.decode()
    assert "城关镇研讨班" in page and "河口镇讲座" not in page and "去年的讲座" not in page
    page = client.get(reverse("study_session_list"), {"status": "lecture"}).content.decode()
    assert "城关镇研讨班" not in page and "河口镇讲座" in page and "去年的讲座" in page
    rows = client.get(reverse("study_session_list"), {"partial": "rows"}, headers={"HX-Request": "true"})
    assert "<html" not in rows.content.decode() and "河口镇讲座" in rows.content.decode()


def test_a_clerk_records_a_session_and_sees_a_rule_error_on_its_field(tree, client_for):
    f.learner(tree.township, "张伟")
    client = client_for("township_clerk")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"  # the rule error read in English (the msgid)
    data = {
        "org": tree.township.code,
        "kind": "lecture",
        "date": "2025-03-01",
        "hours": "2",
        "topic": "民法典",
        "attendees": "张伟、王五",
    }
    refused = client.post(reverse("study_session_create"), data)
    assert refused.status_code == 400
    assert "王五 is not an active learner" in refused.content.decode()
    assert not StudySession.objects.exists()
    data["attendees"] = "张伟"
    response = client.post(reverse("study_session_create"), data)
    session = StudySession.objects.get()
    assert response.status_code == 302 and response.url == session.get_absolute_url()
    assert session.hours == Decimal("2") and session.attendance.get().learner.name == "张伟"
    edit = client.get(reverse("study_session_edit", args=[session.pk])).content.decode()
    assert "张伟" in edit


def test_a_clerk_cannot_record_for_an_organisation_outside_their_subtree(tree, client_for):
    client = client_for("township_clerk")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    data = {"org": tree.county.code, "name": "张伟", "post": "", "is_leader": ""}
    response = client.post(reverse("study_learner_create"), data)
    assert response.status_code == 400  # the county is not among the organisations the clerk may pick
    assert f"No organisation with the code {tree.county.code} is among those you may pick" in response.content.decode()
    assert not Learner.objects.exists()


def test_the_learner_page_shows_the_hours_of_the_year_against_the_requirement(tree, client_for, settings):
    settings.FAZHI_STUDY_HOURS_PER_YEAR = 5
    person = f.learner(tree.township, "张伟")
    f.session(tree.township, hours="3", attendees=[person], date=dt.date(2025, 3, 1))
    f.session(tree.township, hours="2.5", attendees=[person], date=dt.date(2025, 4, 1), topic="第二次")
    f.session(tree.township, hours="9", attendees=[person], date=dt.date(2024, 4, 1), topic="去年")
    client = client_for("leader")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get(reverse("study_learner_detail", args=[person.pk]), {"year": 2025}).content.decode()
    assert "<strong>5.5</strong> of 5 required" in page
    assert "去年" not in page
    listing = client.get(reverse("study_learner_list"), {"year": 2025, "status": "met"}).content.decode()
    assert "张伟" in listing
    listing = client.get(reverse("study_learner_list"), {"year": 2024, "status": "met"}).content.decode()
    assert "张伟" in listing
    settings.FAZHI_STUDY_HOURS_PER_YEAR = 10
    listing = client.get(reverse("study_learner_list"), {"year": 2025, "status": "short"}).content.decode()
    assert "张伟" in listing


def test_the_compliance_page_shows_what_each_organisation_is_short_of(tree, client_for):
    f.session(tree.county, kind="central_group", date=dt.date(2025, 3, 1))
    f.session(tree.county, kind="seminar", date=dt.date(2025, 3, 2))
    client = client_for("county_admin")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = client.get(reverse("study_compliance"), {"org": tree.county.code, "year": 2025}).content.decode()
    page = page.split("<table", 1)[1]  # the table, not the organisation picker
    assert "青山县" in page and "城关镇" in page and "青山县司法局" in page
    assert "东门村" not in page and "青山县第一中学" not in page  # villages and schools owe no sessions
    assert "1 missing" in page and "2 missing" in page


def test_publicity_form_and_export(tree, client_for):
    client = client_for("township_clerk")
    data = {
        "org": tree.township.code,
        "date": "2025-06-26",
        "theme": "anti_drug",
        "title": "禁毒宣传",
        "place": "镇文化广场",
        "participants": "150",
        "materials": "600",
    }
    response = client.post(reverse("study_publicity_create"), data)
    assert response.status_code == 302
    with translation.override("en"):
        assert PublicityEvent.objects.get().get_theme_display().startswith("6.26")
    export = client.get(reverse("study_publicity_export"))
    assert export["Content-Type"].startswith("application/vnd.openxmlformats")


def test_the_session_form_lists_the_organisations_learners(tree, client_for):
    f.learner(tree.township, "张伟")
    f.learner(tree.township2, "王芳")
    session = f.session(tree.township)
    page = client_for("township_clerk").get(reverse("study_session_edit", args=[session.pk])).content.decode()
    hint = page.split('id="org-learners">', 1)[1].split("</p>", 1)[0]
    assert hint == "张伟"


def test_changing_a_filter_swaps_only_the_rows(tree, client_for):
    f.session(tree.township, topic="城关镇讲座")
    client = client_for("county_admin")
    page = client.get(reverse("study_session_list")).content.decode()
    assert 'hx-target="#rows"' in page
    rows = client.get(reverse("study_session_list"), {"partial": "rows", "year": 2025}, headers={"HX-Request": "true"})
    assert "<form" not in rows.content.decode() and "城关镇讲座" in rows.content.decode()


def test_an_organisation_beyond_the_suggestions_is_reachable_by_its_code(tree, client_for, monkeypatch):
    from fazhi.ledgers.common import forms as common_forms

    monkeypatch.setattr(common_forms, "SUGGESTIONS", 1)  # only the first organisation of the scope is suggested
    f.session(tree.township2, topic="河口镇讲座", date=dt.date(2025, 3, 1))
    f.session(tree.township, topic="城关镇讲座", date=dt.date(2025, 3, 1))
    client = client_for("county_admin")
    page = client.get(reverse("study_session_list"), {"org": tree.township2.code}).content.decode()
    datalist = page.split("<datalist", 1)[1].split("</datalist>", 1)[0]
    assert tree.township2.code not in datalist
    assert "河口镇讲座" in page and "城关镇讲座" not in page
    response = client.post(
        reverse("study_learner_create"), {"org": tree.township2.code, "name": "王芳", "post": "", "is_leader": ""}
    )
    assert response.status_code == 302
    assert Learner.objects.get().org == tree.township2


def test_a_filter_on_an_organisation_outside_the_scope_is_refused_naming_its_code(tree, client_for):
    f.session(tree.township, topic="城关镇讲座", date=dt.date(2025, 3, 1))
    client = client_for("township_clerk")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    response = client.get(reverse("study_session_list"), {"org": tree.other_village.code})
    assert response.status_code == 400
    page = response.content.decode()
    assert f"No organisation with the code {tree.other_village.code}" in page
    assert "城关镇讲座" not in page


def test_the_import_buttons_open_the_shared_import_page(tree, client_for):
    client = client_for("township_clerk")
    index = client.get(reverse("study_index")).content.decode()
    for key in ("study.sessions", "study.learners", "study.meetings", "study.appointments", "study.publicity"):
        assert reverse("ledger_import", kwargs={"importer_key": key}) in index
    listing = client.get(reverse("study_meeting_list")).content.decode()
    assert reverse("ledger_import", kwargs={"importer_key": "study.meetings"}) + "?back=" in listing
    page = client.get(reverse("ledger_import", kwargs={"importer_key": "study.meetings"}))
    assert page.status_code == 200 and "会议名称" in page.content.decode()


@pytest.mark.parametrize("register", ["session", "learner", "appointment"])
def test_opening_a_record_with_personal_data_is_audited(tree, personas, client_for, register):
    from fazhi.core.models import AuditEvent

    person = f.learner(tree.township, "张伟")
    records = {
        "session": lambda: f.session(tree.township, attendees=[person]),
        "learner": lambda: person,
        "appointment": lambda: f.appointment(tree.township, person),
    }
    record = records[register]()
    url = reverse(f"study_{register}_detail", args=[record.pk])
    assert client_for("village_clerk_elsewhere").get(url).status_code == 404
    assert not AuditEvent.objects.filter(action="ledgers.record_viewed").exists()
    assert client_for("leader").get(url).status_code == 200
    event = AuditEvent.objects.get(action="ledgers.record_viewed")
    assert event.actor == personas["leader"] and event.org_id == tree.township.pk
    assert event.object_id == str(record.pk)


def test_opening_a_record_without_personal_data_is_not_audited(tree, client_for):
    from fazhi.core.models import AuditEvent

    event = f.publicity(tree.township)
    meeting = f.meeting(tree.township)
    client = client_for("leader")
    assert client.get(reverse("study_meeting_detail", args=[meeting.pk])).status_code == 200
    assert client.get(reverse("study_publicity_detail", args=[event.pk])).status_code == 200
    assert not AuditEvent.objects.filter(action="ledgers.record_viewed").exists()


def test_exporting_sessions_records_who_exported_them(tree, personas, client_for):
    from fazhi.core.models import AuditEvent

    f.session(tree.township, attendees=[f.learner(tree.township, "张伟")])
    response = client_for("township_clerk").get(reverse("study_session_export"), {"org": tree.township.code})
    assert response.status_code == 200
    event = AuditEvent.objects.get(action="study.sessions.exported")
    assert event.actor == personas["township_clerk"] and event.new["count"] == 1


def test_a_standing_meeting_recorded_twice_is_refused_on_the_page(tree, client_for):
    client = client_for("township_clerk")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    data = {"org": tree.township.code, "date": "2025-03-12", "title": "镇政府第3次常务会议"}
    assert client.post(reverse("study_meeting_create"), data).status_code == 302
    again = client.post(reverse("study_meeting_create"), data)
    assert again.status_code == 400
    assert "already recorded the standing meeting" in again.content.decode()
    assert StandingMeeting.objects.count() == 1


def test_a_form_refuses_an_inactive_organisation_but_a_filter_finds_its_records(tree, client_for):
    from fazhi.orgs.models import Org

    f.session(tree.township2, topic="河口镇讲座", date=dt.date(2025, 3, 1))
    Org.objects.filter(pk=tree.township2.pk).update(is_active=False)
    client = client_for("county_admin")
    data = {"org": tree.township2.code, "name": "王芳", "post": "", "is_leader": ""}
    assert client.post(reverse("study_learner_create"), data).status_code == 400
    assert not Learner.objects.exists()
    page = client.get(reverse("study_session_list"), {"org": tree.township2.code})
    assert page.status_code == 200 and "河口镇讲座" in page.content.decode()
