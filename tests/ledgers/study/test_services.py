"""The study ledger's services: rules refuse with the rule named and nothing written; every change audited."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from fazhi.core.errors import DomainError
from fazhi.core.models import AuditEvent
from fazhi.ledgers.study import services
from fazhi.ledgers.study.models import Appointment, Attendance, Learner, PublicityEvent, StudySession
from fazhi.ledgers.study.rules import AttendeeEntry
from tests.ledgers.study import factories as f

pytestmark = pytest.mark.django_db


def test_a_session_with_its_attendees_is_recorded_and_audited(tree, personas):
    clerk = personas["township_clerk"]
    a, b = f.learner(tree.township, "张伟"), f.learner(tree.township, "李娜")
    session = f.session(tree.township, attendees=[a, b], actor=clerk)
    assert sorted(session.attendance.values_list("learner__name", flat=True)) == ["张伟", "李娜"]
    event = AuditEvent.objects.get(action="study.session.created")
    assert event.actor == clerk
    assert event.org_id == tree.township.pk
    assert event.new["hours"] == "3" and len(event.new["attendees"]) == 2


@pytest.mark.parametrize(
    ("changes", "rule", "field"),
    [
        ({"hours": Decimal("0")}, "study.hours_positive", "hours"),
        ({"hours": Decimal("41")}, "study.hours_too_many", "hours"),
        ({"hours": Decimal("1.25")}, "study.hours_precision", "hours"),
        ({"date": dt.date.today() + dt.timedelta(days=1)}, "study.date_in_future", "date"),
        ({"topic": " "}, "study.topic_required", "topic"),
        ({"attendees": [AttendeeEntry("无名氏", None)]}, "study.attendee_unknown", "attendees"),
        ({"attendees": [AttendeeEntry("张伟", Decimal(2))]}, "study.individual_hours_online_only", "attendees"),
    ],
)
def test_a_broken_session_is_refused_and_nothing_is_written(tree, changes, rule, field):
    f.learner(tree.township, "张伟")
    values = {
        "kind": "lecture",
        "date": dt.date(2025, 3, 1),
        "hours": Decimal("2"),
        "topic": "民法典",
        "attendees": [AttendeeEntry("张伟", None)],
    } | changes
    with pytest.raises(DomainError) as refused:
        services.session_create(actor=None, org=tree.township, **values)
    assert (refused.value.rule, refused.value.field) == (rule, field)
    assert not StudySession.objects.exists()
    assert not Attendance.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="study.session").exists()


def test_the_most_hours_of_a_session_comes_from_settings(tree, settings):
    settings.FAZHI_STUDY_SESSION_HOURS_MAX = 8
    with pytest.raises(DomainError) as refused:
        f.session(tree.township, hours="8.5")
    assert refused.value.rule == "study.hours_too_many"
    assert f.session(tree.township, hours="8").hours == Decimal("8")


def test_attendees_of_another_organisation_or_who_left_are_refused(tree):
    elsewhere = f.learner(tree.township2, "王芳")
    gone = f.learner(tree.township, "赵强")
    services.learner_update(actor=None, learner=gone, name="赵强", is_active=False)
    for person in (elsewhere, gone):
        with pytest.raises(DomainError) as refused:
            f.session(tree.township, attendees=[person])
        assert refused.value.rule == "study.attendee_unknown"


def test_updating_a_session_replaces_its_attendees_and_audits_old_and_new(tree):
    a, b = f.learner(tree.township, "张伟"), f.learner(tree.township, "李娜")
    session = f.session(tree.township, attendees=[a])
    services.session_update(
        actor=None,
        session=session,
        kind="online_course",
        date=session.date,
        hours=Decimal("2"),
        topic="网上学法",
        attendees=[AttendeeEntry("李娜", Decimal("3.5"))],
    )
    assert list(session.attendance.values_list("learner__name", "hours")) == [("李娜", Decimal("3.5"))]
    event = AuditEvent.objects.get(action="study.session.updated")
    assert event.old["attendees"] == [[a.pk, None]]
    assert event.new["attendees"] == [[b.pk, "3.5"]]


def test_learner_names_are_unique_within_an_organisation(tree):
    f.learner(tree.township, "张伟")
    with pytest.raises(DomainError) as refused:
        f.learner(tree.township, " 张伟 ")
    assert refused.value.rule == "study.learner_duplicate"
    assert f.learner(tree.township2, "张伟").org == tree.township2
    assert Learner.objects.count() == 2


def test_an_appointment_test_after_the_appointment_is_refused(tree):
    person = f.learner(tree.county, "张伟", is_leader=True)
    with pytest.raises(DomainError) as refused:
        f.appointment(tree.county, person, appointed_on=dt.date(2025, 6, 1), tested_on=dt.date(2025, 6, 2))
    assert (refused.value.rule, refused.value.field) == ("study.test_after_appointment", "tested_on")
    assert not Appointment.objects.exists()
    other = f.learner(tree.township, "李娜")
    with pytest.raises(DomainError) as refused:
        f.appointment(tree.county, other)
    assert refused.value.rule == "study.learner_other_org"


def test_publicity_needs_participants(tree):
    with pytest.raises(DomainError) as refused:
        services.publicity_create(
            actor=None,
            org=tree.county,
            date=dt.date(2025, 3, 15),
            theme="consumer_rights",
            title="3·15宣传",
            place="广场",
            participants=0,
        )
    assert refused.value.rule == "study.participants_positive"
    assert not PublicityEvent.objects.exists()
    event = f.publicity(tree.county)
    assert AuditEvent.objects.get(action="study.publicity.created").object_id == str(event.pk)


def test_exporting_learners_is_recorded(tree, personas):
    services.learners_exported(actor=personas["county_admin"], org=None, count=3)
    event = AuditEvent.objects.get(action="study.learners.exported")
    assert event.new == {"count": 3, "org": None}
    assert event.org_id == tree.county.pk  # the exporter's home organisation


def test_every_action_the_ledger_records_has_a_label(tree, personas):
    from fazhi.core.audit import action_label

    person = f.learner(tree.county, "张伟", is_leader=True)
    services.learner_update(actor=None, learner=person, name="张伟", post="局长", is_leader=True)
    session = f.session(tree.county, attendees=[person])
    services.session_update(
        actor=None, session=session, kind="seminar", date=session.date, hours=Decimal(2), topic="研讨", attendees=[]
    )
    meeting = f.meeting(tree.county)
    services.meeting_update(actor=None, meeting=meeting, date=meeting.date, title="第2次常务会议")
    appointment = f.appointment(tree.county, person)
    services.appointment_update(
        actor=None, appointment=appointment, learner=person, post="局长", appointed_on=dt.date(2025, 6, 1)
    )
    event = f.publicity(tree.county)
    services.publicity_update(
        actor=None, event=event, date=event.date, theme="other", title="法治宣传", place="广场", participants=5
    )
    services.learners_exported(actor=personas["county_admin"], org=tree.county, count=1)
    actions = set(AuditEvent.objects.filter(action__startswith="study.").values_list("action", flat=True))
    assert len(actions) == 11
    assert all(action_label(action) for action in actions)


def test_the_same_session_twice_is_refused_on_entry_as_the_import_refuses_it(tree, personas):
    """The import refused a session already on the ledger (organisation, kind, date, topic); the page and the
    API let it in twice."""
    clerk = personas["township_clerk"]
    first = f.session(tree.township, kind="lecture", date=dt.date(2025, 3, 1), topic="宪法")
    with pytest.raises(DomainError) as refused:
        services.session_create(
            actor=clerk, org=tree.township, kind="lecture", date=dt.date(2025, 3, 1), hours=Decimal(2), topic=" 宪法 "
        )
    assert (refused.value.rule, refused.value.field) == ("study.session_duplicate", "topic")
    other = f.session(tree.township, kind="lecture", date=dt.date(2025, 3, 2), topic="宪法")
    with pytest.raises(DomainError) as refused:
        services.session_update(
            actor=clerk, session=other, kind="lecture", date=dt.date(2025, 3, 1), hours=Decimal(2), topic="宪法"
        )
    assert refused.value.rule == "study.session_duplicate"
    assert StudySession.objects.count() == 2
    other.refresh_from_db()
    assert other.date == dt.date(2025, 3, 2)
    saved = services.session_update(
        actor=clerk, session=first, kind="lecture", date=dt.date(2025, 3, 1), hours=Decimal(3), topic="宪法"
    )
    assert saved.hours == Decimal(3)  # the session itself is no duplicate of itself


def test_a_session_keeps_an_attendee_who_has_left_when_it_is_edited(tree, personas):
    """A learner who left (inactive) stays on the sessions they attended: editing such a session must not refuse
    them; adding someone who has left to a session is still refused."""
    clerk = personas["township_clerk"]
    gone, other_gone = f.learner(tree.township, "张伟"), f.learner(tree.township, "王五")
    session = f.session(tree.township, attendees=[gone], topic="宪法")
    services.learner_update(actor=clerk, learner=gone, name="张伟", post="科员", is_active=False)
    services.learner_update(actor=clerk, learner=other_gone, name="王五", post="科员", is_active=False)
    saved = services.session_update(
        actor=clerk,
        session=session,
        kind=session.kind,
        date=session.date,
        hours=session.hours,
        topic="宪法学习",
        attendees=[AttendeeEntry("张伟", None)],
    )
    assert saved.topic == "宪法学习" and saved.attendance.get().learner == gone
    with pytest.raises(DomainError) as refused:
        services.session_update(
            actor=clerk,
            session=session,
            kind=session.kind,
            date=session.date,
            hours=session.hours,
            topic="宪法学习",
            attendees=[AttendeeEntry("张伟", None), AttendeeEntry("王五", None)],
        )
    assert refused.value.rule == "study.attendee_unknown"
