"""The study API: the same scope and rules as the pages (a broken rule is 400 with rule and field)."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client
from django.urls import reverse

from fazhi.core.models import AuditEvent
from fazhi.ledgers.study.models import Appointment, PublicityEvent, StudySession
from fazhi.orgs.tokens import api_token_create
from tests.ledgers.study import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(personas):
    def make(name: str) -> Client:
        key = api_token_create(actor=None, user=personas[name], name="脚本")[1]
        return Client(headers={"Authorization": f"Bearer {key}", "Accept-Language": "en"})

    return make


def send(client, method, url, data):
    return getattr(client, method)(url, json.dumps(data), content_type="application/json")


def test_learners_and_a_session_through_the_api(tree, api):
    clerk = api("township_clerk")
    url = reverse("api-1:study_learners")
    for name in ("张伟", "李娜"):
        created = send(clerk, "post", url, {"org": "990101001", "name": name, "post": "科员", "is_leader": True})
        assert created.status_code == 201, created.json()
    session = {
        "org": "990101001",
        "kind": "online_course",
        "date": "2025-04-01",
        "hours": 2,
        "topic": "民法典网上学习",
        "attendees": [{"name": "张伟", "hours": 2.5}, {"name": "李娜"}],
    }
    created = send(clerk, "post", reverse("api-1:study_sessions"), session)
    assert created.status_code == 201, created.json()
    body = created.json()
    assert body["hours"] == 2.0
    assert [(a["name"], a["hours"]) for a in body["attendees"]] == [("张伟", 2.5), ("李娜", None)]
    learners = clerk.get(url, {"year": 2025}).json()
    assert learners["count"] == 2
    assert {x["name"]: x["year_hours"] for x in learners["results"]} == {"张伟": 2.5, "李娜": 2.0}
    detail = clerk.get(reverse("api-1:study_learner", args=[learners["results"][0]["id"]]), {"year": 2025}).json()
    assert len(detail["sessions"]) == 1


def test_a_broken_rule_is_a_400_naming_rule_and_field(tree, api):
    f.learner(tree.township, "张伟")
    clerk = api("township_clerk")
    bad = {
        "org": "990101001",
        "kind": "lecture",
        "date": "2025-04-01",
        "hours": 2,
        "topic": "讲座",
        "attendees": [{"name": "张伟", "hours": 3}],
    }
    refused = send(clerk, "post", reverse("api-1:study_sessions"), bad)
    assert refused.status_code == 400
    assert refused.json()["rule"] == "study.individual_hours_online_only"
    assert refused.json()["field"] == "attendees"
    bad["kind"] = "party"
    assert send(clerk, "post", reverse("api-1:study_sessions"), bad).json()["rule"] == "study.kind_unknown"
    bad |= {"kind": "lecture", "org": "990102001001", "attendees": []}
    assert send(clerk, "post", reverse("api-1:study_sessions"), bad).json()["rule"] == "study.org_unknown"
    assert not StudySession.objects.exists()


def test_update_a_session_and_a_leader_may_only_read(tree, api):
    session = f.session(tree.township)
    url = reverse("api-1:study_session", args=[session.pk])
    change = {"kind": "seminar", "date": "2025-03-12", "hours": 4.5, "topic": "研讨", "attendees": []}
    assert send(api("leader"), "patch", url, change).status_code == 403
    assert api("leader").get(url).status_code == 200
    assert send(api("township_clerk"), "put", url, change).status_code == 405  # updates are PATCH
    saved = send(api("township_clerk"), "patch", url, change)
    assert saved.status_code == 200 and saved.json()["hours"] == 4.5
    assert api("village_clerk_elsewhere").get(url).status_code == 404


def test_appointments_meetings_publicity_and_compliance(tree, api):
    f.learner(tree.county, "张伟", is_leader=True)
    admin = api("county_admin")
    appointment = {"org": "990101", "learner": "张伟", "post": "局长", "appointed_on": "2025-06-01"}
    late = send(admin, "post", reverse("api-1:study_appointments"), appointment | {"tested_on": "2025-06-02"})
    assert late.status_code == 400 and late.json()["field"] == "tested_on"
    created = send(admin, "post", reverse("api-1:study_appointments"), appointment | {"tested_on": "2025-05-02"})
    assert created.status_code == 201 and Appointment.objects.get().tested_on == dt.date(2025, 5, 2)
    meeting = send(
        admin, "post", reverse("api-1:study_meetings"), {"org": "990101", "date": "2025-03-12", "title": "常务会"}
    )
    assert meeting.status_code == 201
    f.session(tree.county, kind="pre_meeting", date=dt.date(2025, 3, 12))
    meetings = admin.get(reverse("api-1:study_meetings")).json()
    assert meetings["results"][0]["studied"] is True
    event = {
        "org": "990101",
        "date": "2025-12-04",
        "theme": "constitution",
        "title": "宪法日",
        "place": "广场",
        "participants": 100,
    }
    assert send(admin, "post", reverse("api-1:study_publicity"), event).status_code == 201
    assert send(admin, "post", reverse("api-1:study_publicity"), event | {"theme": "x"}).status_code == 400
    compliance = admin.get(reverse("api-1:study_compliance"), {"org": "990101", "year": 2025}).json()
    county = next(r for r in compliance["results"] if r["org"] == "990101")
    assert {r["kind"]: r["held"] for r in county["requirements"]} == {
        "central_group": 0,
        "seminar": 0,
        "report_hearing": 0,
    }
    assert county["met"] is False


def test_a_partial_patch_keeps_the_other_fields(tree, api):
    zhang, li = f.learner(tree.township, "张伟"), f.learner(tree.township, "李娜")
    session = f.session(tree.township, kind="lecture", hours="2", topic="宪法", attendees=[zhang, li])
    clerk = api("township_clerk")
    saved = send(clerk, "patch", reverse("api-1:study_session", args=[session.pk]), {"topic": "民法典"})
    assert saved.status_code == 200, saved.json()
    session.refresh_from_db()
    assert (session.kind, session.hours, session.topic) == ("lecture", 2, "民法典")
    assert sorted(session.attendance.values_list("learner__name", flat=True)) == ["张伟", "李娜"]
    person = send(clerk, "patch", reverse("api-1:study_learner", args=[zhang.pk]), {"is_leader": True}).json()
    assert (person["name"], person["post"], person["is_leader"], person["is_active"]) == ("张伟", "科员", True, True)
    appointment = f.appointment(tree.township, zhang, tested_on=dt.date(2025, 5, 1), score=90)
    url = reverse("api-1:study_appointment", args=[appointment.pk])
    changed = send(clerk, "patch", url, {"post": "镇长"}).json()
    assert (changed["learner"], changed["post"], changed["score"], changed["tested_on"]) == (
        "张伟",
        "镇长",
        90,
        "2025-05-01",
    )
    cleared = send(clerk, "patch", url, {"tested_on": None, "score": None}).json()  # no test taken after all
    assert (cleared["tested_on"], cleared["score"], cleared["post"]) == (None, None, "镇长")
    meeting = f.meeting(tree.township, title="第1次常务会议")
    moved = send(clerk, "patch", reverse("api-1:study_meeting", args=[meeting.pk]), {"date": "2025-03-20"}).json()
    assert (moved["date"], moved["title"]) == ("2025-03-20", "第1次常务会议")
    event = f.publicity(tree.township)
    url = reverse("api-1:study_publicity_event", args=[event.pk])
    assert send(clerk, "patch", url, {"participants": 42}).json()["title"] == event.title
    assert PublicityEvent.objects.get().participants == 42


@pytest.mark.parametrize(
    ("record", "body", "rule", "field"),
    [
        ("session", {"hours": 0}, "study.hours_positive", "hours"),
        ("session", {"topic": None}, "study.value_required", "topic"),
        ("learner", {"name": "李娜"}, "study.learner_duplicate", "name"),
        ("appointment", {"tested_on": "2025-07-01"}, "study.test_after_appointment", "tested_on"),
        ("appointment", {"learner": "王五"}, "study.learner_unknown", "learner"),
        ("meeting", {"date": "2099-01-01"}, "study.date_in_future", "date"),
        ("publicity", {"theme": "x"}, "study.theme_unknown", "theme"),
        ("publicity", {"participants": 0}, None, "participants"),
    ],
)
def test_a_rule_broken_by_a_patch_is_a_400_and_nothing_is_written(tree, api, record, body, rule, field):
    zhang = f.learner(tree.township, "张伟")
    f.learner(tree.township, "李娜")
    records = {
        "session": lambda: f.session(tree.township, attendees=[zhang]),
        "learner": lambda: zhang,
        "appointment": lambda: f.appointment(tree.township, zhang, tested_on=dt.date(2025, 5, 1)),
        "meeting": lambda: f.meeting(tree.township),
        "publicity": lambda: f.publicity(tree.township),
    }
    obj = records[record]()
    names = {"publicity": "study_publicity_event"}
    url = reverse(f"api-1:{names.get(record, 'study_' + record)}", args=[obj.pk])
    clerk = api("township_clerk")
    before = type(obj).objects.filter(pk=obj.pk).values().get()
    audit = AuditEvent.objects.count()
    refused = send(clerk, "patch", url, body)
    assert refused.status_code == 400, refused.json()
    assert refused.json()["field"] == field
    if rule:
        assert refused.json()["rule"] == rule
    assert type(obj).objects.filter(pk=obj.pk).values().get() == before
    assert AuditEvent.objects.count() == audit


@pytest.mark.parametrize("record", ["session", "learner", "appointment"])
def test_reading_a_record_with_personal_data_through_the_api_is_audited(tree, personas, api, record):
    zhang = f.learner(tree.township, "张伟")
    obj = {
        "session": lambda: f.session(tree.township, attendees=[zhang]),
        "learner": lambda: zhang,
        "appointment": lambda: f.appointment(tree.township, zhang),
    }[record]()
    url = reverse(f"api-1:study_{record}", args=[obj.pk])
    assert api("village_clerk_elsewhere").get(url).status_code == 404
    assert not AuditEvent.objects.filter(action="ledgers.record_viewed").exists()
    assert api("leader").get(url).status_code == 200
    event = AuditEvent.objects.get(action="ledgers.record_viewed")
    assert event.actor == personas["leader"] and event.org_id == tree.township.pk and event.new == {"via": "api"}


def test_reading_a_meeting_or_an_event_through_the_api_is_not_audited(tree, api):
    client = api("leader")
    assert client.get(reverse("api-1:study_meeting", args=[f.meeting(tree.township).pk])).status_code == 200
    assert client.get(reverse("api-1:study_publicity_event", args=[f.publicity(tree.township).pk])).status_code == 200
    assert not AuditEvent.objects.filter(action="ledgers.record_viewed").exists()
