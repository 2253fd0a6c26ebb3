"""Study-ledger objects for the page tables: records of 城关镇 (inside 青山县) and of 白水村 (the other county)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fazhi.ledgers.study import models as m


def build(tree, personas, world) -> dict:
    inside = m.Learner.objects.create(org=tree.township, name="张伟", post="镇长", is_leader=True)
    outside = m.Learner.objects.create(org=tree.other_village, name="赵强", post="村主任")
    session = m.StudySession.objects.create(
        org=tree.township, kind="central_group", date=dt.date(2025, 3, 12), hours=Decimal("3"), topic="学习宪法"
    )
    m.Attendance.objects.create(session=session, learner=inside)
    other_session = m.StudySession.objects.create(
        org=tree.other_village, kind="lecture", date=dt.date(2025, 3, 12), hours=Decimal("2"), topic="民法典讲座"
    )
    m.Attendance.objects.create(session=other_session, learner=outside)
    meeting = m.StandingMeeting.objects.create(
        org=tree.township, date=dt.date(2025, 3, 12), title="镇政府第3次常务会议"
    )
    appointment = m.Appointment.objects.create(
        org=tree.township, learner=inside, post="镇长", appointed_on=dt.date(2025, 6, 1), tested_on=dt.date(2025, 5, 20)
    )
    publicity = m.PublicityEvent.objects.create(
        org=tree.township,
        date=dt.date(2025, 12, 4),
        theme="constitution",
        title="宪法日宣传",
        place="镇中心广场",
        participants=120,
        materials=300,
    )
    return {
        "study_learner": inside.pk,
        "study_learner_other": outside.pk,
        "study_session": session.pk,
        "study_session_other": other_session.pk,
        "study_meeting": meeting.pk,
        "study_appointment": appointment.pk,
        "study_publicity": publicity.pk,
        "study_township_code": tree.township.code,
        "study_other_village_code": tree.other_village.code,
    }


# URL parameter kind → world key (tests/test_air_gapped.py): ``study_session_pk``/``study_session_id`` → study_session.
SAMPLES = {
    "study_session": "study_session",
    "study_learner": "study_learner",
    "study_meeting": "study_meeting",
    "study_appointment": "study_appointment",
    "study_publicity": "study_publicity",
}
