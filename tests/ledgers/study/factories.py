"""Small builders of study-ledger records (through the services, so the rules hold), for tests and the demo."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from fazhi.ledgers.study import services
from fazhi.ledgers.study.rules import AttendeeEntry


def learner(org, name: str = "张伟", *, post: str = "科员", is_leader: bool = False, actor=None):
    return services.learner_create(actor=actor, org=org, name=name, post=post, is_leader=is_leader)


def session(
    org,
    *,
    kind: str = "lecture",
    date: dt.date = dt.date(2025, 3, 12),
    hours="3",
    topic: str = "学习宪法",
    attendees=(),
    actor=None,
):
    """``attendees``: learners, or (learner, individual hours) pairs for an online course."""
    entries = []
    for item in attendees:
        if isinstance(item, tuple):
            entries.append(AttendeeEntry(item[0].name, Decimal(str(item[1]))))
        else:
            entries.append(AttendeeEntry(item.name, None))
    return services.session_create(
        actor=actor, org=org, kind=kind, date=date, hours=Decimal(str(hours)), topic=topic, attendees=entries
    )


def meeting(org, *, date: dt.date = dt.date(2025, 3, 12), title: str = "县政府第1次常务会议", actor=None):
    return services.meeting_create(actor=actor, org=org, date=date, title=title)


def appointment(org, person, *, appointed_on=dt.date(2025, 6, 1), tested_on=None, score=None, post="局长", actor=None):
    return services.appointment_create(
        actor=actor, org=org, learner=person, post=post, appointed_on=appointed_on, tested_on=tested_on, score=score
    )


def publicity(org, *, date=dt.date(2025, 12, 4), theme="constitution", title="宪法宣传", place="中心广场", actor=None):
    return services.publicity_create(
        actor=actor, org=org, date=date, theme=theme, title=title, place=place, participants=200, materials=500
    )
