"""Reads of the ledger "Law study and publicity", scoped to what the acting user may see.

Lists keep a fixed number of queries whatever the number of rows (``select_related`` and grouped subqueries).
A learner's hours in a period are the sum over their attendance of the individual hours where recorded (online
courses), else the session's hours, for sessions dated in the period.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import (
    Count,
    DecimalField,
    Exists,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext, gettext_noop

from fazhi.ledgers.common.registry import Deadline
from fazhi.ledgers.study import rules
from fazhi.ledgers.study.models import (
    Appointment,
    Attendance,
    Learner,
    PublicityEvent,
    SessionKind,
    StandingMeeting,
    StudySession,
)
from fazhi.orgs import roles
from fazhi.orgs import rules as org_rules
from fazhi.orgs.access import has_capability, scope_q
from fazhi.orgs.models import Org, subtree_q

HOURS_FIELD = DecimalField(max_digits=12, decimal_places=1)


def figures() -> rules.Figures:
    return rules.Figures(
        hours_per_year=settings.FAZHI_STUDY_HOURS_PER_YEAR,
        central_group_min=settings.FAZHI_CENTRAL_GROUP_SESSIONS_MIN,
        central_group_max=settings.FAZHI_CENTRAL_GROUP_SESSIONS_MAX,
        seminars_min=settings.FAZHI_SEMINARS_MIN,
        hearings_min=settings.FAZHI_STANDING_MEETING_HEARINGS_MIN,
    )


def year_range(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


# ---------------------------------------------------------------------------------------------
# One record, with scope


def _get_for_user(queryset: QuerySet, user, pk, *, write: bool):
    """The record if its org is in the user's LEDGER_VIEW scope (404 otherwise); for a write, LEDGER_EDIT (403)."""
    try:
        record = queryset.select_related("org").get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    can_view = has_capability(user, roles.LEDGER_VIEW, record.org)
    can_edit = has_capability(user, roles.LEDGER_EDIT, record.org)
    if not can_view and not can_edit:
        raise Http404
    if write and not can_edit:
        raise PermissionDenied
    return record


def learner_get_for_user(user, pk, *, write: bool = False) -> Learner:
    return _get_for_user(Learner.objects.all(), user, pk, write=write)


def session_get_for_user(user, pk, *, write: bool = False) -> StudySession:
    return _get_for_user(StudySession.objects.all(), user, pk, write=write)


def meeting_get_for_user(user, pk, *, write: bool = False) -> StandingMeeting:
    return _get_for_user(StandingMeeting.objects.all(), user, pk, write=write)


def appointment_get_for_user(user, pk, *, write: bool = False) -> Appointment:
    return _get_for_user(Appointment.objects.select_related("learner"), user, pk, write=write)


def publicity_get_for_user(user, pk, *, write: bool = False) -> PublicityEvent:
    return _get_for_user(PublicityEvent.objects.all(), user, pk, write=write)


def ledger_org_by_code(*, user, code: str, write: bool = True) -> Org | None:
    """The organisation with ``code`` if the user may keep (or, write=False, read) its ledger; None otherwise."""
    code = (code or "").strip().upper()
    if not code:
        return None
    org = Org.objects.filter(code=code, is_active=True).first()
    capability = roles.LEDGER_EDIT if write else roles.LEDGER_VIEW
    if org is None or not has_capability(user, capability, org):
        return None
    return org


def ledger_orgs_by_code(*, user, codes: Iterable[str]) -> dict[str, Org]:
    """Active organisations by code, among those whose ledger the user may keep (one query)."""
    codes = sorted({c for c in codes if c})
    found = {}
    for start in range(0, len(codes), 5000):
        chunk = codes[start : start + 5000]
        qs = Org.objects.filter(scope_q(user, roles.LEDGER_EDIT), code__in=chunk, is_active=True)
        found.update({org.code: org for org in qs})
    return found


def learners_of_orgs(*, org_ids, active_only: bool = False) -> dict[tuple[int, str], Learner]:
    """The learners of many organisations by (org id, name), in chunks that stay within SQLite's parameter limit."""
    ids = sorted(set(org_ids))
    found: dict[tuple[int, str], Learner] = {}
    for start in range(0, len(ids), 5000):
        qs = Learner.objects.filter(org_id__in=ids[start : start + 5000])
        if active_only:
            qs = qs.filter(is_active=True)
        found.update(((x.org_id, x.name), x) for x in qs.only("pk", "org_id", "name", "is_active"))
    return found


def session_keys(*, org_ids, start: dt.date, end: dt.date) -> set[tuple]:
    """(org id, kind, date, topic) of the sessions of these organisations dated from start to end."""
    ids = sorted(set(org_ids))
    found: set[tuple] = set()
    for first in range(0, len(ids), 5000):
        qs = StudySession.objects.filter(org_id__in=ids[first : first + 5000], date__gte=start, date__lte=end)
        found.update(qs.values_list("org_id", "kind", "date", "topic"))
    return found


def meeting_keys(*, org_ids, dates) -> set[tuple]:
    """(org id, date, title) of the standing meetings of these organisations on these dates."""
    ids, days = sorted(set(org_ids)), sorted(set(dates))
    if not ids or not days:
        return set()
    found: set[tuple] = set()
    for first in range(0, len(ids), 5000):
        qs = StandingMeeting.objects.filter(
            org_id__in=ids[first : first + 5000], date__gte=days[0], date__lte=days[-1]
        ).values_list("org_id", "date", "title")
        found.update(qs)
    return found


def learners_of_org(*, org: Org, limit: int | None = None) -> list[Learner]:
    return list(Learner.objects.filter(org=org, is_active=True).order_by("name")[:limit])


# ---------------------------------------------------------------------------------------------
# Lists


@dataclass(frozen=True)
class ListFilter:
    org: Org | None = None  # a subtree root in the user's scope
    year: int | None = None
    status: str = ""  # per list: a kind, theme or state


def _scoped(queryset: QuerySet, user, list_filter: ListFilter, date_field: str | None) -> QuerySet:
    qs = queryset.filter(scope_q(user, roles.LEDGER_VIEW, "org__path"))
    if list_filter.org is not None:
        qs = qs.filter(subtree_q(list_filter.org.path, "org__path"))
    if list_filter.year and date_field:
        start, end = year_range(list_filter.year)
        qs = qs.filter(**{f"{date_field}__gte": start, f"{date_field}__lte": end})
    return qs


def _attendance_hours() -> Coalesce:
    return Coalesce("hours", "session__hours", output_field=HOURS_FIELD)


def hours_subquery(start: dt.date, end: dt.date) -> Coalesce:
    """Each learner's hours in sessions dated from ``start`` to ``end`` (0 when none): for ``Learner`` rows."""
    per_learner = (
        Attendance.objects.filter(learner=OuterRef("pk"), session__date__gte=start, session__date__lte=end)
        .order_by()
        .values("learner")
        .annotate(total=Sum(_attendance_hours()))
        .values("total")
    )
    return Coalesce(Subquery(per_learner, output_field=HOURS_FIELD), Value(Decimal("0")), output_field=HOURS_FIELD)


def sessions_list(*, user, list_filter: ListFilter) -> QuerySet:
    qs = _scoped(StudySession.objects.all(), user, list_filter, "date")
    if list_filter.status in SessionKind.values:
        qs = qs.filter(kind=list_filter.status)
    return qs.select_related("org").annotate(attendee_count=Count("attendance")).order_by("-date", "-pk")


def session_attendance(*, session: StudySession) -> list[Attendance]:
    return list(session.attendance.select_related("learner").order_by("learner__name"))


def learners_list(*, user, list_filter: ListFilter, leaders_only: bool = False) -> QuerySet:
    """Learners with their hours in the year (``year_hours``; this year when none is chosen) and ``hours_met``.

    ``status``: "met" or "short" (of the yearly hours), "inactive" (left), "" (active ones)."""
    year = list_filter.year or dt.date.today().year
    qs = _scoped(Learner.objects.all(), user, list_filter, None)
    qs = qs.filter(is_active=list_filter.status != "inactive")
    if leaders_only:
        qs = qs.filter(is_leader=True)
    qs = qs.annotate(year_hours=hours_subquery(*year_range(year)))
    required = settings.FAZHI_STUDY_HOURS_PER_YEAR
    if list_filter.status == "met":
        qs = qs.filter(year_hours__gte=required)
    elif list_filter.status == "short":
        qs = qs.filter(year_hours__lt=required)
    return qs.select_related("org").order_by("org__path", "name")


def attendance_of_sessions(*, sessions) -> QuerySet:
    return (
        Attendance.objects.filter(session__in=[s.pk for s in sessions])
        .select_related("learner")
        .order_by("session_id", "learner__name")
    )


def learner_by_name(*, org: Org, name: str) -> Learner | None:
    return Learner.objects.filter(org=org, name=(name or "").strip()).first()


def meeting_studies(*, meeting: StandingMeeting) -> list[StudySession]:
    """The study-before-the-meeting sessions of the meeting's organisation on its day."""
    return list(StudySession.objects.filter(org=meeting.org_id, date=meeting.date, kind=rules.PRE_MEETING))


def learner_sessions(*, learner: Learner, year: int) -> list[Attendance]:
    start, end = year_range(year)
    return list(
        learner.attendance.filter(session__date__gte=start, session__date__lte=end)
        .select_related("session")
        .annotate(counted_hours=_attendance_hours())
        .order_by("session__date")
    )


def meetings_list(*, user, list_filter: ListFilter) -> QuerySet:
    """Standing meetings with ``studied``: a study-before-the-meeting session of the same org on the same day."""
    qs = _scoped(StandingMeeting.objects.all(), user, list_filter, "date").annotate(studied=studied_exists())
    if list_filter.status == "studied":
        qs = qs.filter(studied=True)
    elif list_filter.status == "not_studied":
        qs = qs.filter(studied=False)
    return qs.select_related("org").order_by("-date", "-pk")


def studied_exists() -> Exists:
    return Exists(StudySession.objects.filter(org=OuterRef("org"), date=OuterRef("date"), kind=rules.PRE_MEETING))


def appointments_list(*, user, list_filter: ListFilter) -> QuerySet:
    qs = _scoped(Appointment.objects.all(), user, list_filter, "appointed_on")
    if list_filter.status == "tested":
        qs = qs.filter(tested_on__isnull=False)
    elif list_filter.status == "untested":
        qs = qs.filter(tested_on__isnull=True)
    return qs.select_related("org", "learner").order_by("-appointed_on", "-pk")


def publicity_list(*, user, list_filter: ListFilter) -> QuerySet:
    qs = _scoped(PublicityEvent.objects.all(), user, list_filter, "date")
    if list_filter.status:
        qs = qs.filter(theme=list_filter.status)
    return qs.select_related("org").order_by("-date", "-pk")


# ---------------------------------------------------------------------------------------------
# Yearly compliance per organisation


def _kinds_for(org: Org) -> tuple[str, ...]:
    return rules.applicable_kinds(is_area=org.is_area, level=org.level, is_department=org.kind == "department")


def _owing_q() -> Q:
    """Organisations that owe a yearly session requirement (see ``rules.applicable_kinds``)."""
    areas = list(org_rules.AREA_LEVEL)
    return Q(kind__in=areas, level__lte=rules.TOWNSHIP_LEVEL) | Q(kind="department", level__lte=rules.COUNTY_LEVEL)


def compliance_orgs(*, user, root: Org | None) -> QuerySet:
    qs = Org.objects.filter(scope_q(user, roles.LEDGER_VIEW), _owing_q(), is_active=True)
    if root is not None:
        qs = qs.filter(subtree_q(root.path))
    return qs.order_by("path")


@dataclass(frozen=True)
class OrgCompliance:
    org: Org
    requirements: list[rules.Requirement]

    @property
    def met(self) -> bool:
        return all(r.met for r in self.requirements)


def compliance_rows(*, orgs: Iterable[Org], year: int) -> list[OrgCompliance]:
    """Each organisation's own sessions in the year by kind against the requirements (one grouped query)."""
    orgs = list(orgs)
    start, end = year_range(year)
    held: dict[int, dict[str, int]] = defaultdict(dict)
    ids = [org.pk for org in orgs]
    for first in range(0, len(ids), 5000):  # SQLite's limit on bound parameters
        rows = (
            StudySession.objects.filter(org_id__in=ids[first : first + 5000], date__gte=start, date__lte=end)
            .order_by()
            .values_list("org_id", "kind")
            .annotate(n=Count("pk"))
        )
        for org_id, kind, n in rows:
            held[org_id][kind] = n
    numbers = figures()
    return [OrgCompliance(org, rules.requirements(_kinds_for(org), held[org.pk], numbers)) for org in orgs]


# ---------------------------------------------------------------------------------------------
# Deadlines: requirements still short as the year's end approaches


REQUIREMENT_WHAT = {
    rules.CENTRAL_GROUP: gettext_noop("Central study group sessions: %(held)s of %(required)s held"),
    rules.SEMINAR: gettext_noop("Law seminars for leaders: %(held)s of %(required)s held"),
    rules.REPORT_HEARING: gettext_noop(
        "Standing-meeting hearings of the law-based-administration report: %(held)s of %(required)s held"
    ),
}


def _org_q(scope: Q) -> Q:
    """A Q over ``org__path`` (the board's scope) rewritten for the Org model itself (over ``path``)."""
    rewritten = Q()
    rewritten.connector, rewritten.negated = scope.connector, scope.negated
    for child in scope.children:
        if isinstance(child, Q):
            rewritten.children.append(_org_q(child))
        else:
            lookup, value = child
            rewritten.children.append((lookup.removeprefix("org__"), value))
    return rewritten


def deadlines(scope, start: dt.date, end: dt.date) -> list[Deadline]:
    """For each year whose 31 December lies in [start, end] — the year of ``end`` and the one before it only, so
    that old years do not stay on the board for ever — each organisation in ``scope`` still short of a yearly
    session requirement, due on 31 December."""
    # The board asks up to today + the "due soon" days: the year of ``end`` and the one before it.
    years = [y for y in range(max(start.year, end.year - 1), end.year + 1) if start <= dt.date(y, 12, 31) <= end]
    found = []
    orgs = list(Org.objects.filter(_org_q(scope), _owing_q(), is_active=True).order_by("path"))
    for year in years:
        for row in compliance_rows(orgs=orgs, year=year):
            for requirement in row.requirements:
                if requirement.met:
                    continue
                found.append(
                    Deadline(
                        ledger="study",
                        what=gettext(REQUIREMENT_WHAT[requirement.kind])
                        % {"held": requirement.held, "required": requirement.required},
                        record=f"{row.org.name} {year}",
                        url=reverse("study_compliance") + "?" + urlencode({"org": row.org.code, "year": year}),
                        org_id=row.org.pk,
                        org_name=row.org.name,
                        due=dt.date(year, 12, 31),
                    )
                )
    return found
