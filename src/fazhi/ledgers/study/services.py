"""Writes of the ledger "Law study and publicity": each one transaction, rules checked, audited.

Pages, the API and the importers all write through these functions, so a rule holds everywhere. The rules are
in :mod:`fazhi.ledgers.study.rules`; the figures come from settings. Permission checks are the callers' (views
fetch the organisation through an access helper with ``LEDGER_EDIT``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from fazhi.core.audit import audit_record, audit_record_many
from fazhi.core.errors import DomainError
from fazhi.core.i18n import translate
from fazhi.core.problems import Problem, gettext_noop
from fazhi.ledgers.study import rules, selectors
from fazhi.ledgers.study.models import (
    Appointment,
    Attendance,
    Learner,
    PublicityEvent,
    StandingMeeting,
    StudySession,
)
from fazhi.ledgers.study.rules import AttendeeEntry, FieldProblem


def _today() -> dt.date:
    return timezone.localdate()


def _max_hours() -> int:
    return settings.FAZHI_STUDY_SESSION_HOURS_MAX


def _raise_first(problems: Sequence[FieldProblem]) -> None:
    if problems:
        first = problems[0]
        raise DomainError(translate(first.problem), rule=first.rule, field=first.field)


def _refuse(field: str, rule: str, message: str, **params) -> DomainError:
    return DomainError(translate(Problem(message, params)), rule=f"study.{rule}", field=field)


# ---------------------------------------------------------------------------------------------
# Learners


def _learner_snapshot(learner: Learner) -> dict:
    return {
        "org": learner.org_id,
        "name": learner.name,
        "post": learner.post,
        "is_leader": learner.is_leader,
        "is_active": learner.is_active,
    }


def _check_learner_name(*, org, name: str, exclude_pk=None) -> None:
    name = name.strip()
    if not name:
        raise _refuse("name", "name_required", gettext_noop("the name is required"))
    taken = Learner.objects.filter(org=org, name=name).exclude(pk=exclude_pk).exists()
    if taken:
        raise _refuse(
            "name",
            "learner_duplicate",
            gettext_noop(
                "%(org)s already has a learner named %(name)s; add something that tells them apart, e.g. 张伟（办公室）"
            ),
            org=org.name,
            name=name,
        )


@transaction.atomic
def learner_create(*, actor, org, name: str, post: str = "", is_leader: bool = False) -> Learner:
    _check_learner_name(org=org, name=name)
    learner = Learner.objects.create(org=org, name=name.strip(), post=post.strip(), is_leader=is_leader)
    audit_record(actor=actor, action="study.learner.created", obj=learner, new=_learner_snapshot(learner))
    return learner


@transaction.atomic
def learner_update(
    *, actor, learner: Learner, name: str, post: str = "", is_leader: bool = False, is_active: bool = True
) -> Learner:
    learner = Learner.objects.select_for_update().select_related("org").get(pk=learner.pk)
    old = _learner_snapshot(learner)
    _check_learner_name(org=learner.org, name=name, exclude_pk=learner.pk)
    learner.name, learner.post = name.strip(), post.strip()
    learner.is_leader, learner.is_active = is_leader, is_active
    learner.save()
    audit_record(actor=actor, action="study.learner.updated", obj=learner, old=old, new=_learner_snapshot(learner))
    return learner


@dataclass(frozen=True)
class LearnerDraft:
    org: object
    name: str
    post: str = ""
    is_leader: bool = False


@transaction.atomic
def learner_bulk_create(*, actor, drafts: Sequence[LearnerDraft]) -> list[Learner]:
    """Create many learners (the import): names unique per organisation, one audit event each."""
    keys = [(d.org.pk, d.name.strip()) for d in drafts]
    if len(set(keys)) != len(keys):
        raise _refuse("name", "learner_duplicate", gettext_noop("a learner is listed twice"))
    org_ids = {d.org.pk for d in drafts}
    taken = set(selectors.learners_of_orgs(org_ids=org_ids))
    if taken & set(keys):
        raise _refuse("name", "learner_duplicate", gettext_noop("a learner of the file exists already"))
    learners = [Learner(org=d.org, name=d.name.strip(), post=d.post.strip(), is_leader=d.is_leader) for d in drafts]
    try:
        with transaction.atomic():
            Learner.objects.bulk_create(learners, batch_size=2000)
    except IntegrityError:
        raise _refuse("name", "learner_duplicate", gettext_noop("a learner of the file exists already")) from None
    if any(learner.pk is None for learner in learners):  # a backend that does not return ids
        found = selectors.learners_of_orgs(org_ids=org_ids)
        learners = [found[(x.org.pk, x.name)] for x in learners]
    audit_record_many(
        actor=actor,
        action="study.learner.created",
        entries=((learner, None, _learner_snapshot(learner)) for learner in learners),
    )
    return learners


# The lists whose export holds personal data (names of learners), each with its audit action.
EXPORT_ACTIONS = {
    "learner": "study.learners.exported",
    "session": "study.sessions.exported",
    "appointment": "study.appointments.exported",
}


@transaction.atomic
def records_exported(*, actor, register: str, org, count: int) -> None:
    """Record who exported a list holding personal data (PIPL) in the audit log; other lists are not recorded."""
    action = EXPORT_ACTIONS.get(register)
    if action is None:
        return
    audit_record(
        actor=actor,
        action=action,
        object_type=f"study.{register}",
        object_repr=org.name if org is not None else "",
        org=org if org is not None else getattr(actor, "org", None),
        new={"count": count, "org": org.pk if org is not None else None},
    )


def learners_exported(*, actor, org, count: int) -> None:
    records_exported(actor=actor, register="learner", org=org, count=count)


# ---------------------------------------------------------------------------------------------
# Sessions and attendance


def _session_snapshot(session: StudySession, attendance: list[tuple[int, Decimal | None]]) -> dict:
    return {
        "org": session.org_id,
        "kind": session.kind,
        "date": session.date,
        "hours": session.hours,
        "topic": session.topic,
        "attendees": [[learner_id, hours] for learner_id, hours in attendance],
    }


def _resolve_attendees(
    *, org, kind: str, attendees: Sequence[AttendeeEntry], session: StudySession | None = None
) -> list[tuple[Learner, Decimal | None]]:
    """The attendees' learners: active learners of ``org`` and, when a session is edited, those already on it
    (a person who has left stays on the sessions they attended)."""
    names = {entry.name for entry in attendees}
    attending = Q(is_active=True)
    if session is not None:
        attending |= Q(attendance__session=session)
    learners = {x.name: x for x in Learner.objects.filter(attending, org=org, name__in=names).distinct()}
    _raise_first(
        rules.attendance_problems(kind=kind, entries=list(attendees), known_names=set(learners), max_hours=_max_hours())
    )
    return [(learners[entry.name], entry.hours) for entry in attendees]


def _check_session(*, kind: str, date: dt.date, hours: Decimal, topic: str) -> None:
    if not (topic or "").strip():
        raise _refuse("topic", "topic_required", gettext_noop("the topic is required"))
    _raise_first(rules.session_problems(kind=kind, date=date, hours=hours, today=_today(), max_hours=_max_hours()))


def _check_session_unique(*, org, kind: str, date: dt.date, topic: str, exclude_pk=None) -> None:
    """One session a key (organisation, kind, date, topic), as the import checks."""
    same = StudySession.objects.filter(org=org, kind=kind, date=date, topic=topic.strip()).exclude(pk=exclude_pk)
    if same.exists():
        raise _refuse(
            "topic",
            "session_duplicate",
            gettext_noop("this session is already on the ledger (same organisation, kind, date and topic)"),
        )


@transaction.atomic
def session_create(
    *, actor, org, kind: str, date: dt.date, hours: Decimal, topic: str, attendees: Sequence[AttendeeEntry] = ()
) -> StudySession:
    _check_session(kind=kind, date=date, hours=hours, topic=topic)
    _check_session_unique(org=org, kind=kind, date=date, topic=topic)
    resolved = _resolve_attendees(org=org, kind=kind, attendees=attendees)
    session = StudySession.objects.create(org=org, kind=kind, date=date, hours=hours, topic=topic.strip())
    Attendance.objects.bulk_create(Attendance(session=session, learner=x, hours=h) for x, h in resolved)
    pairs = [(x.pk, h) for x, h in resolved]
    audit_record(actor=actor, action="study.session.created", obj=session, new=_session_snapshot(session, pairs))
    return session


@transaction.atomic
def session_update(
    *,
    actor,
    session: StudySession,
    kind: str,
    date: dt.date,
    hours: Decimal,
    topic: str,
    attendees: Sequence[AttendeeEntry] = (),
) -> StudySession:
    session = StudySession.objects.select_for_update().select_related("org").get(pk=session.pk)
    old_pairs = list(session.attendance.order_by("pk").values_list("learner_id", "hours"))
    old = _session_snapshot(session, old_pairs)
    _check_session(kind=kind, date=date, hours=hours, topic=topic)
    _check_session_unique(org=session.org, kind=kind, date=date, topic=topic, exclude_pk=session.pk)
    resolved = _resolve_attendees(org=session.org, kind=kind, attendees=attendees, session=session)
    session.kind, session.date, session.hours, session.topic = kind, date, hours, topic.strip()
    session.save()
    session.attendance.all().delete()
    Attendance.objects.bulk_create(Attendance(session=session, learner=x, hours=h) for x, h in resolved)
    pairs = [(x.pk, h) for x, h in resolved]
    audit_record(
        actor=actor, action="study.session.updated", obj=session, old=old, new=_session_snapshot(session, pairs)
    )
    return session


@dataclass(frozen=True)
class SessionDraft:
    org: object
    kind: str
    date: dt.date
    hours: Decimal
    topic: str
    attendees: tuple[AttendeeEntry, ...] = ()


@transaction.atomic
def session_bulk_create(*, actor, drafts: Sequence[SessionDraft]) -> list[StudySession]:
    """Create many sessions with their attendance (the import): every rule of ``session_create``, checked for
    the batch in a few queries; one audit event per session."""
    learners = selectors.learners_of_orgs(org_ids={d.org.pk for d in drafts}, active_only=True)
    names_by_org: dict[int, set[str]] = {}
    for org_id, name in learners:
        names_by_org.setdefault(org_id, set()).add(name)
    keys = [(d.org.pk, d.kind, d.date, d.topic.strip()) for d in drafts]
    duplicate = len(set(keys)) != len(keys)
    if keys and not duplicate:
        dates = [d.date for d in drafts]
        existing = selectors.session_keys(org_ids={k[0] for k in keys}, start=min(dates), end=max(dates))
        duplicate = bool(existing & set(keys))
    if duplicate:
        raise _refuse(
            "topic", "session_duplicate", gettext_noop("a session of the file is on the ledger or listed twice")
        )
    for draft in drafts:
        _check_session(kind=draft.kind, date=draft.date, hours=draft.hours, topic=draft.topic)
        known = names_by_org.get(draft.org.pk, set())
        _raise_first(
            rules.attendance_problems(
                kind=draft.kind, entries=list(draft.attendees), known_names=known, max_hours=_max_hours()
            )
        )
    sessions = [StudySession(org=d.org, kind=d.kind, date=d.date, hours=d.hours, topic=d.topic.strip()) for d in drafts]
    StudySession.objects.bulk_create(sessions, batch_size=2000)
    rows, snapshots = [], []
    for session, draft in zip(sessions, drafts, strict=True):
        pairs = []
        for entry in draft.attendees:
            learner = learners[(draft.org.pk, entry.name)]
            rows.append(Attendance(session=session, learner=learner, hours=entry.hours))
            pairs.append((learner.pk, entry.hours))
        snapshots.append((session, None, _session_snapshot(session, pairs)))
    Attendance.objects.bulk_create(rows, batch_size=5000)
    audit_record_many(actor=actor, action="study.session.created", entries=snapshots)
    return sessions


# ---------------------------------------------------------------------------------------------
# Standing meetings


def _meeting_snapshot(meeting: StandingMeeting) -> dict:
    return {"org": meeting.org_id, "date": meeting.date, "title": meeting.title}


def _check_meeting(*, org, date: dt.date, title: str, exclude_pk=None) -> None:
    if not (title or "").strip():
        raise _refuse("title", "title_required", gettext_noop("the title is required"))
    _raise_first(rules.meeting_problems(date=date, today=_today()))
    taken = StandingMeeting.objects.filter(org=org, date=date, title=title.strip()).exclude(pk=exclude_pk).exists()
    if taken:
        raise _refuse(
            "title",
            "meeting_duplicate",
            gettext_noop("%(org)s already recorded the standing meeting %(title)s on this day"),
            org=org.name,
            title=title.strip(),
        )


@transaction.atomic
def meeting_create(*, actor, org, date: dt.date, title: str) -> StandingMeeting:
    _check_meeting(org=org, date=date, title=title)
    meeting = StandingMeeting.objects.create(org=org, date=date, title=title.strip())
    audit_record(actor=actor, action="study.meeting.created", obj=meeting, new=_meeting_snapshot(meeting))
    return meeting


@transaction.atomic
def meeting_update(*, actor, meeting: StandingMeeting, date: dt.date, title: str) -> StandingMeeting:
    meeting = StandingMeeting.objects.select_for_update().select_related("org").get(pk=meeting.pk)
    old = _meeting_snapshot(meeting)
    _check_meeting(org=meeting.org, date=date, title=title, exclude_pk=meeting.pk)
    meeting.date, meeting.title = date, title.strip()
    meeting.save()
    audit_record(actor=actor, action="study.meeting.updated", obj=meeting, old=old, new=_meeting_snapshot(meeting))
    return meeting


@dataclass(frozen=True)
class MeetingDraft:
    org: object
    date: dt.date
    title: str


@transaction.atomic
def meeting_bulk_create(*, actor, drafts: Sequence[MeetingDraft]) -> list[StandingMeeting]:
    """Create many standing meetings (the import): the rules of :func:`meeting_create`, one audit event each."""
    today = _today()
    keys = set()
    for d in drafts:
        if not (d.title or "").strip():
            raise _refuse("title", "title_required", gettext_noop("the title is required"))
        _raise_first(rules.meeting_problems(date=d.date, today=today))
        key = (d.org.pk, d.date, d.title.strip())
        if key in keys:
            raise _refuse("title", "meeting_duplicate", gettext_noop("a standing meeting is listed twice"))
        keys.add(key)
    if keys & selectors.meeting_keys(org_ids={k[0] for k in keys}, dates={k[1] for k in keys}):
        raise _refuse("title", "meeting_duplicate", gettext_noop("a standing meeting of the file exists already"))
    meetings = [StandingMeeting(org=d.org, date=d.date, title=d.title.strip()) for d in drafts]
    StandingMeeting.objects.bulk_create(meetings, batch_size=2000)
    audit_record_many(
        actor=actor,
        action="study.meeting.created",
        entries=((meeting, None, _meeting_snapshot(meeting)) for meeting in meetings),
    )
    return meetings


# ---------------------------------------------------------------------------------------------
# Appointments and the pre-appointment law test


def learner_named(*, org, name: str) -> Learner:
    """The learner of ``org`` with this name (an appointment names its learner), or a refusal on ``learner``."""
    learner = selectors.learner_by_name(org=org, name=(name or "").strip())
    if learner is None:
        raise _refuse("learner", "learner_unknown", gettext_noop("No learner of %(org)s has this name."), org=org.name)
    return learner


def _appointment_snapshot(appointment: Appointment) -> dict:
    return {
        "org": appointment.org_id,
        "learner": appointment.learner_id,
        "post": appointment.post,
        "appointed_on": appointment.appointed_on,
        "tested_on": appointment.tested_on,
        "score": appointment.score,
    }


def _check_appointment(*, org, learner: Learner, post: str, appointed_on, tested_on, score) -> None:
    if learner.org_id != org.pk:
        raise _refuse("learner", "learner_other_org", gettext_noop("the learner belongs to another organisation"))
    if not post.strip():
        raise _refuse("post", "post_required", gettext_noop("the post is required"))
    _raise_first(
        rules.appointment_problems(appointed_on=appointed_on, tested_on=tested_on, score=score, today=_today())
    )


@transaction.atomic
def appointment_create(
    *, actor, org, learner: Learner, post: str, appointed_on: dt.date, tested_on=None, score=None
) -> Appointment:
    _check_appointment(org=org, learner=learner, post=post, appointed_on=appointed_on, tested_on=tested_on, score=score)
    appointment = Appointment.objects.create(
        org=org, learner=learner, post=post.strip(), appointed_on=appointed_on, tested_on=tested_on, score=score
    )
    audit_record(
        actor=actor, action="study.appointment.created", obj=appointment, new=_appointment_snapshot(appointment)
    )
    return appointment


@transaction.atomic
def appointment_update(
    *, actor, appointment: Appointment, learner: Learner, post: str, appointed_on: dt.date, tested_on=None, score=None
) -> Appointment:
    appointment = Appointment.objects.select_for_update().select_related("org", "learner").get(pk=appointment.pk)
    old = _appointment_snapshot(appointment)
    _check_appointment(
        org=appointment.org, learner=learner, post=post, appointed_on=appointed_on, tested_on=tested_on, score=score
    )
    appointment.learner, appointment.post, appointment.appointed_on = learner, post.strip(), appointed_on
    appointment.tested_on, appointment.score = tested_on, score
    appointment.save()
    audit_record(
        actor=actor,
        action="study.appointment.updated",
        obj=appointment,
        old=old,
        new=_appointment_snapshot(appointment),
    )
    return appointment


@dataclass(frozen=True)
class AppointmentDraft:
    org: object
    learner: Learner
    post: str
    appointed_on: dt.date
    tested_on: dt.date | None = None
    score: int | None = None


@transaction.atomic
def appointment_bulk_create(*, actor, drafts: Sequence[AppointmentDraft]) -> list[Appointment]:
    """Create many appointments (the import): every rule of ``appointment_create``; one audit event each."""
    for d in drafts:
        _check_appointment(
            org=d.org, learner=d.learner, post=d.post, appointed_on=d.appointed_on, tested_on=d.tested_on, score=d.score
        )
    appointments = [
        Appointment(
            org=d.org,
            learner=d.learner,
            post=d.post.strip(),
            appointed_on=d.appointed_on,
            tested_on=d.tested_on,
            score=d.score,
        )
        for d in drafts
    ]
    Appointment.objects.bulk_create(appointments, batch_size=2000)
    audit_record_many(
        actor=actor,
        action="study.appointment.created",
        entries=((a, None, _appointment_snapshot(a)) for a in appointments),
    )
    return appointments


# ---------------------------------------------------------------------------------------------
# Publicity events


def _publicity_snapshot(event: PublicityEvent) -> dict:
    return {
        "org": event.org_id,
        "date": event.date,
        "theme": event.theme,
        "title": event.title,
        "place": event.place,
        "participants": event.participants,
        "materials": event.materials,
    }


def _check_publicity(*, date, title: str, place: str, participants: int, materials: int) -> None:
    if not title.strip():
        raise _refuse("title", "title_required", gettext_noop("the title is required"))
    if not place.strip():
        raise _refuse("place", "place_required", gettext_noop("the place is required"))
    _raise_first(rules.publicity_problems(date=date, participants=participants, materials=materials, today=_today()))


@transaction.atomic
def publicity_create(
    *, actor, org, date: dt.date, theme: str, title: str, place: str, participants: int, materials: int = 0
) -> PublicityEvent:
    _check_publicity(date=date, title=title, place=place, participants=participants, materials=materials)
    event = PublicityEvent.objects.create(
        org=org,
        date=date,
        theme=theme,
        title=title.strip(),
        place=place.strip(),
        participants=participants,
        materials=materials,
    )
    audit_record(actor=actor, action="study.publicity.created", obj=event, new=_publicity_snapshot(event))
    return event


@transaction.atomic
def publicity_update(
    *,
    actor,
    event: PublicityEvent,
    date: dt.date,
    theme: str,
    title: str,
    place: str,
    participants: int,
    materials: int = 0,
) -> PublicityEvent:
    event = PublicityEvent.objects.select_for_update().get(pk=event.pk)
    old = _publicity_snapshot(event)
    _check_publicity(date=date, title=title, place=place, participants=participants, materials=materials)
    event.date, event.theme, event.title, event.place = date, theme, title.strip(), place.strip()
    event.participants, event.materials = participants, materials
    event.save()
    audit_record(actor=actor, action="study.publicity.updated", obj=event, old=old, new=_publicity_snapshot(event))
    return event


@dataclass(frozen=True)
class PublicityDraft:
    org: object
    date: dt.date
    theme: str
    title: str
    place: str
    participants: int
    materials: int = 0


@transaction.atomic
def publicity_bulk_create(*, actor, drafts: Sequence[PublicityDraft]) -> list[PublicityEvent]:
    for d in drafts:
        _check_publicity(date=d.date, title=d.title, place=d.place, participants=d.participants, materials=d.materials)
    events = [
        PublicityEvent(
            org=d.org,
            date=d.date,
            theme=d.theme,
            title=d.title.strip(),
            place=d.place.strip(),
            participants=d.participants,
            materials=d.materials,
        )
        for d in drafts
    ]
    PublicityEvent.objects.bulk_create(events, batch_size=2000)
    audit_record_many(
        actor=actor,
        action="study.publicity.created",
        entries=((event, None, _publicity_snapshot(event)) for event in events),
    )
    return events
