"""JSON API of the ledger "Law study and publicity": every path starts with /ledgers/study.

Lists filter by ``org`` (an organisation code: it and everything under it), ``year`` and ``status`` (sessions:
the kind; learners: met, short or inactive; meetings: studied or not_studied; appointments: tested or untested;
publicity: the theme day) and come a page of 100 at a time. Writes go through the ledger's services, so a
broken rule is a 400 ``{rule, field, message}``; hours are decimal numbers (one decimal place).
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from fazhi.core.errors import DomainError
from fazhi.ledgers.common.viewing import record_viewed
from fazhi.ledgers.study import selectors, services
from fazhi.ledgers.study.models import SessionKind, ThemeDay
from fazhi.ledgers.study.rules import AttendeeEntry
from fazhi.ledgers.study.selectors import ListFilter
from fazhi.orgs import roles
from fazhi.orgs.access import require_capability

router = Router()
PER_PAGE = 100
PREFIX = "/ledgers/study"


# ---------------------------------------------------------------------------------------------
# Helpers


def _filter(user, org: str, year: int | None, status: str) -> ListFilter:
    require_capability(user, roles.LEDGER_VIEW)
    root = None
    if org:
        root = selectors.ledger_org_by_code(user=user, code=org, write=False)
        if root is None:
            raise Http404
    return ListFilter(org=root, year=year, status=status)


def _page(queryset, page: int, convert) -> dict:
    paginator = Paginator(queryset, PER_PAGE)
    current = paginator.get_page(page)
    return {
        "count": paginator.count,
        "page": current.number,
        "pages": paginator.num_pages,
        "results": [convert(item) for item in current.object_list],
    }


def _org_for_write(user, code: str):
    require_capability(user, roles.LEDGER_EDIT)
    org = selectors.ledger_org_by_code(user=user, code=code, write=True)
    if org is None:
        raise DomainError(
            _("No active organisation with this code whose ledger you may keep."), rule="study.org_unknown", field="org"
        )
    return org


def _patched(payload: Schema, record, *, nullable: tuple[str, ...] = (), derived: tuple[str, ...] = ()) -> dict:
    """A PATCH: the record's values of the body's fields, replaced by those the body gives (fields left out stay
    as they are). ``derived`` fields are not attributes of the record: present only when given. A field that
    cannot be empty given as null is refused, naming it."""
    given = payload.dict(exclude_unset=True)
    for name, value in given.items():
        if value is None and name not in nullable:
            raise DomainError(_("This field cannot be empty."), rule="study.value_required", field=name)
    current = {name: getattr(record, name) for name in type(payload).model_fields if name not in derived}
    return {**current, **given}


def _listed(request, rows, convert, *, org: str, year: int | None, status: str, page: int) -> dict:
    """A list endpoint: ``rows(user=, list_filter=)`` filtered, a page at a time, each record through ``convert``."""
    return _page(rows(user=request.auth, list_filter=_filter(request.auth, org, year, status)), page, convert)


def _hours(value) -> float | None:
    return None if value is None else float(value)


class PageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[dict]


# ---------------------------------------------------------------------------------------------
# Learners


class LearnerIn(Schema):
    org: str
    name: str
    post: str = ""
    is_leader: bool = False


class LearnerPatch(Schema):
    name: str | None = None
    post: str | None = None
    is_leader: bool | None = None
    is_active: bool | None = None


def _learner(learner, year_hours=None) -> dict:
    data = {
        "id": learner.pk,
        "org": learner.org.code,
        "name": learner.name,
        "post": learner.post,
        "is_leader": learner.is_leader,
        "is_active": learner.is_active,
    }
    if year_hours is not None:
        data["year_hours"] = float(year_hours)
        data["hours_met"] = year_hours >= settings.FAZHI_STUDY_HOURS_PER_YEAR
    return data


def _learner_row(learner) -> dict:
    return _learner(learner, learner.year_hours)


@router.get(f"{PREFIX}/learners", response=PageOut, url_name="study_learners")
def learner_list(request, org: str = "", year: int | None = None, status: str = "", page: int = 1):
    """Learners with their hours in ``year`` (this year when not given) and whether they reach the yearly hours."""
    return _listed(request, selectors.learners_list, _learner_row, org=org, year=year, status=status, page=page)


@router.post(f"{PREFIX}/learners", response={201: dict}, url_name="study_learners")
def learner_create(request, payload: LearnerIn):
    org = _org_for_write(request.auth, payload.org)
    learner = services.learner_create(
        actor=request.auth, org=org, name=payload.name, post=payload.post, is_leader=payload.is_leader
    )
    return Status(201, _learner(learner))


@router.get(f"{PREFIX}/learners/{{int:study_learner_id}}", response=dict, url_name="study_learner")
def learner_get(request, study_learner_id: int, year: int | None = None):
    """A learner and their sessions in ``year`` (this year when not given)."""
    learner = selectors.learner_get_for_user(request.auth, study_learner_id)
    record_viewed(actor=request.auth, record=learner, via="api")
    year = year or dt.date.today().year
    attendance = selectors.learner_sessions(learner=learner, year=year)
    total = sum((a.counted_hours for a in attendance), start=Decimal(0))
    data = _learner(learner, total)
    data["year"] = year
    data["sessions"] = [
        {"id": a.session_id, "date": a.session.date, "kind": a.session.kind, "hours": float(a.counted_hours)}
        for a in attendance
    ]
    return data


@router.patch(f"{PREFIX}/learners/{{int:study_learner_id}}", response=dict, url_name="study_learner")
def learner_update(request, study_learner_id: int, payload: LearnerPatch):
    """Change the fields given (name, post, is_leader, is_active); the others stay as they are."""
    learner = selectors.learner_get_for_user(request.auth, study_learner_id, write=True)
    learner = services.learner_update(actor=request.auth, learner=learner, **_patched(payload, learner))
    return _learner(learner)


# ---------------------------------------------------------------------------------------------
# Sessions


class AttendeeIn(Schema):
    name: str
    hours: Decimal | None = None


class SessionIn(Schema):
    org: str
    kind: str
    date: dt.date
    hours: Decimal
    topic: str
    attendees: list[AttendeeIn] = []


class SessionPatch(Schema):
    kind: str | None = None
    date: dt.date | None = None
    hours: Decimal | None = None
    topic: str | None = None
    attendees: list[AttendeeIn] | None = None


def _session(session, attendance=None) -> dict:
    data = {
        "id": session.pk,
        "org": session.org.code,
        "kind": session.kind,
        "date": session.date,
        "hours": float(session.hours),
        "topic": session.topic,
    }
    if attendance is not None:
        data["attendees"] = [
            {"learner": a.learner_id, "name": a.learner.name, "hours": _hours(a.hours)} for a in attendance
        ]
    else:
        data["attendee_count"] = getattr(session, "attendee_count", None)
    return data


def _kind(kind: str) -> str:
    if kind not in SessionKind.values:
        raise DomainError(
            _("Unknown kind; one of: %(kinds)s.") % {"kinds": ", ".join(SessionKind.values)},
            rule="study.kind_unknown",
            field="kind",
        )
    return kind


def _entries(attendees) -> list[AttendeeEntry]:
    return [AttendeeEntry(a.name.strip(), a.hours) for a in attendees]


@router.get(f"{PREFIX}/sessions", response=PageOut, url_name="study_sessions")
def session_list(request, org: str = "", year: int | None = None, status: str = "", page: int = 1):
    """Study sessions (``status``: a kind such as ``seminar``), newest first."""
    return _listed(request, selectors.sessions_list, _session, org=org, year=year, status=status, page=page)


@router.post(f"{PREFIX}/sessions", response={201: dict}, url_name="study_sessions")
def session_create(request, payload: SessionIn):
    """Record a session with its attendees (learners of the organisation, by name; ``hours`` per attendee for an
    online course only)."""
    org = _org_for_write(request.auth, payload.org)
    session = services.session_create(
        actor=request.auth,
        org=org,
        kind=_kind(payload.kind),
        date=payload.date,
        hours=payload.hours,
        topic=payload.topic,
        attendees=_entries(payload.attendees),
    )
    return Status(201, _session(session, selectors.session_attendance(session=session)))


@router.get(f"{PREFIX}/sessions/{{int:study_session_id}}", response=dict, url_name="study_session")
def session_get(request, study_session_id: int):
    session = selectors.session_get_for_user(request.auth, study_session_id)
    record_viewed(actor=request.auth, record=session, via="api")  # the attendees' names and hours
    return _session(session, selectors.session_attendance(session=session))


@router.patch(f"{PREFIX}/sessions/{{int:study_session_id}}", response=dict, url_name="study_session")
def session_update(request, study_session_id: int, payload: SessionPatch):
    """Change the fields given; ``attendees``, when given, replaces the list of attendees."""
    session = selectors.session_get_for_user(request.auth, study_session_id, write=True)
    values = _patched(payload, session, derived=("attendees",))
    if "attendees" in values:
        values["attendees"] = _entries(payload.attendees)
    else:
        attendance = selectors.session_attendance(session=session)
        values["attendees"] = [AttendeeEntry(a.learner.name, a.hours) for a in attendance]
    values["kind"] = _kind(values["kind"])
    session = services.session_update(actor=request.auth, session=session, **values)
    return _session(session, selectors.session_attendance(session=session))


# ---------------------------------------------------------------------------------------------
# Yearly requirements


@router.get(f"{PREFIX}/compliance", response=PageOut, url_name="study_compliance")
def compliance(request, org: str = "", year: int | None = None, page: int = 1):
    """Each organisation owing yearly sessions: its own sessions in ``year`` (this year by default) against the
    requirements."""
    list_filter = _filter(request.auth, org, year, "")
    year = year or dt.date.today().year
    paginator = Paginator(selectors.compliance_orgs(user=request.auth, root=list_filter.org), PER_PAGE)
    current = paginator.get_page(page)
    rows = selectors.compliance_rows(orgs=current.object_list, year=year)
    results = [
        {
            "org": row.org.code,
            "name": row.org.name,
            "year": year,
            "met": row.met,
            "requirements": [
                {"kind": r.kind, "held": r.held, "required": r.required, "maximum": r.maximum, "met": r.met}
                for r in row.requirements
            ],
        }
        for row in rows
    ]
    return {"count": paginator.count, "page": current.number, "pages": paginator.num_pages, "results": results}


# ---------------------------------------------------------------------------------------------
# Standing meetings


class MeetingIn(Schema):
    org: str
    date: dt.date
    title: str


class MeetingPatch(Schema):
    date: dt.date | None = None
    title: str | None = None


def _meeting(meeting) -> dict:
    data = {"id": meeting.pk, "org": meeting.org.code, "date": meeting.date, "title": meeting.title}
    if hasattr(meeting, "studied"):
        data["studied"] = meeting.studied
    return data


@router.get(f"{PREFIX}/meetings", response=PageOut, url_name="study_meetings")
def meeting_list(request, org: str = "", year: int | None = None, status: str = "", page: int = 1):
    """Standing meetings, each with ``studied``: a study-before-the-meeting session of the org on that day."""
    return _listed(request, selectors.meetings_list, _meeting, org=org, year=year, status=status, page=page)


@router.post(f"{PREFIX}/meetings", response={201: dict}, url_name="study_meetings")
def meeting_create(request, payload: MeetingIn):
    org = _org_for_write(request.auth, payload.org)
    meeting = services.meeting_create(actor=request.auth, org=org, date=payload.date, title=payload.title)
    return Status(201, _meeting(meeting))


@router.get(f"{PREFIX}/meetings/{{int:study_meeting_id}}", response=dict, url_name="study_meeting")
def meeting_get(request, study_meeting_id: int):
    meeting = selectors.meeting_get_for_user(request.auth, study_meeting_id)
    data = _meeting(meeting)
    data["studied"] = bool(selectors.meeting_studies(meeting=meeting))
    return data


@router.patch(f"{PREFIX}/meetings/{{int:study_meeting_id}}", response=dict, url_name="study_meeting")
def meeting_update(request, study_meeting_id: int, payload: MeetingPatch):
    """Change the fields given (date, title); the others stay as they are."""
    meeting = selectors.meeting_get_for_user(request.auth, study_meeting_id, write=True)
    values = _patched(payload, meeting)
    return _meeting(services.meeting_update(actor=request.auth, meeting=meeting, **values))


# ---------------------------------------------------------------------------------------------
# Appointments


class AppointmentIn(Schema):
    org: str
    learner: str  # the learner's name in the organisation
    post: str
    appointed_on: dt.date
    tested_on: dt.date | None = None
    score: int | None = None


class AppointmentPatch(Schema):
    learner: str | None = None
    post: str | None = None
    appointed_on: dt.date | None = None
    tested_on: dt.date | None = None
    score: int | None = None


def _appointment(a) -> dict:
    return {
        "id": a.pk,
        "org": a.org.code,
        "learner": a.learner.name,
        "post": a.post,
        "appointed_on": a.appointed_on,
        "tested_on": a.tested_on,
        "score": a.score,
    }


@router.get(f"{PREFIX}/appointments", response=PageOut, url_name="study_appointments")
def appointment_list(request, org: str = "", year: int | None = None, status: str = "", page: int = 1):
    return _listed(request, selectors.appointments_list, _appointment, org=org, year=year, status=status, page=page)


@router.post(f"{PREFIX}/appointments", response={201: dict}, url_name="study_appointments")
def appointment_create(request, payload: AppointmentIn):
    """Record a leader's appointment and the pre-appointment law test (``tested_on`` empty: not tested)."""
    org = _org_for_write(request.auth, payload.org)
    data = payload.dict()
    data.pop("org")
    learner = services.learner_named(org=org, name=data.pop("learner"))
    appointment = services.appointment_create(actor=request.auth, org=org, learner=learner, **data)
    return Status(201, _appointment(appointment))


@router.get(f"{PREFIX}/appointments/{{int:study_appointment_id}}", response=dict, url_name="study_appointment")
def appointment_get(request, study_appointment_id: int):
    appointment = selectors.appointment_get_for_user(request.auth, study_appointment_id)
    record_viewed(actor=request.auth, record=appointment, via="api")
    return _appointment(appointment)


@router.patch(f"{PREFIX}/appointments/{{int:study_appointment_id}}", response=dict, url_name="study_appointment")
def appointment_update(request, study_appointment_id: int, payload: AppointmentPatch):
    """Change the fields given; ``tested_on`` and ``score`` may be set to null (no test taken)."""
    appointment = selectors.appointment_get_for_user(request.auth, study_appointment_id, write=True)
    data = _patched(payload, appointment, nullable=("tested_on", "score"), derived=("learner",))
    name = data.pop("learner", None)
    learner = appointment.learner if name is None else services.learner_named(org=appointment.org, name=name)
    return _appointment(
        services.appointment_update(actor=request.auth, appointment=appointment, learner=learner, **data)
    )


# ---------------------------------------------------------------------------------------------
# Publicity events


class PublicityIn(Schema):
    org: str
    date: dt.date
    theme: str
    title: str
    place: str
    participants: int
    materials: int = 0


class PublicityPatch(Schema):
    date: dt.date | None = None
    theme: str | None = None
    title: str | None = None
    place: str | None = None
    participants: int | None = None
    materials: int | None = None


def _publicity(e) -> dict:
    return {
        "id": e.pk,
        "org": e.org.code,
        "date": e.date,
        "theme": e.theme,
        "title": e.title,
        "place": e.place,
        "participants": e.participants,
        "materials": e.materials,
    }


def _theme(theme: str) -> str:
    if theme not in ThemeDay.values:
        raise DomainError(
            _("Unknown theme day; one of: %(themes)s.") % {"themes": ", ".join(ThemeDay.values)},
            rule="study.theme_unknown",
            field="theme",
        )
    return theme


@router.get(f"{PREFIX}/publicity", response=PageOut, url_name="study_publicity")
def publicity_list(request, org: str = "", year: int | None = None, status: str = "", page: int = 1):
    return _listed(request, selectors.publicity_list, _publicity, org=org, year=year, status=status, page=page)


@router.post(f"{PREFIX}/publicity", response={201: dict}, url_name="study_publicity")
def publicity_create(request, payload: PublicityIn):
    org = _org_for_write(request.auth, payload.org)
    data = payload.dict()
    data.pop("org")
    data["theme"] = _theme(data["theme"])
    return Status(201, _publicity(services.publicity_create(actor=request.auth, org=org, **data)))


@router.get(f"{PREFIX}/publicity/{{int:study_publicity_id}}", response=dict, url_name="study_publicity_event")
def publicity_get(request, study_publicity_id: int):
    return _publicity(selectors.publicity_get_for_user(request.auth, study_publicity_id))


@router.patch(f"{PREFIX}/publicity/{{int:study_publicity_id}}", response=dict, url_name="study_publicity_event")
def publicity_update(request, study_publicity_id: int, payload: PublicityPatch):
    """Change the fields given; the others stay as they are."""
    event = selectors.publicity_get_for_user(request.auth, study_publicity_id, write=True)
    data = _patched(payload, event)
    data["theme"] = _theme(data["theme"])
    return _publicity(services.publicity_update(actor=request.auth, event=event, **data))
