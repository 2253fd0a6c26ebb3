"""Reads of the ledger "Administrative enforcement", always scoped to what the user may see.

``status_annotation(on, pass_mark)`` is ``rules.officer_status`` as a query expression, so lists and metrics
filter and count officers by status without reading them one by one (a test holds the two to the same answers).
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Case, CharField, Exists, F, Max, OuterRef, Q, Subquery, Value, When
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.ledgers.common.registry import Deadline
from fazhi.ledgers.enforcement import rules
from fazhi.ledgers.enforcement.models import CaseFile, Certificate, Officer, OfficerYear
from fazhi.orgs import roles
from fazhi.orgs.access import has_capability, scope_q
from fazhi.orgs.models import Org, subtree_q

# --- Officer status as a query ------------------------------------------------------------------------------


def valid_certificate_q(on: dt.date, officer_ref: str = "pk") -> Exists:
    return Exists(Certificate.objects.filter(officer=OuterRef(officer_ref), issued_on__lte=on, expires_on__gte=on))


def suspending_q(pass_mark: int) -> Q:
    """An OfficerYear with a failed exam or an unexcused absence (``rules.suspends``)."""
    return (
        Q(general_absence=rules.PRESENT, general_score__lt=pass_mark)
        | Q(special_absence=rules.PRESENT, special_score__lt=pass_mark)
        | Q(general_absence=rules.UNEXCUSED)
        | Q(special_absence=rules.UNEXCUSED)
    )


def in_post_q(on: dt.date, prefix: str = "") -> Q:
    """Officers in post on ``on``: taken up on or before it (or no date recorded), not left on or before it."""
    joined = Q(**{f"{prefix}joined_on__isnull": True}) | Q(**{f"{prefix}joined_on__lte": on})
    return joined & (Q(**{f"{prefix}left_on__isnull": True}) | Q(**{f"{prefix}left_on__gt": on}))


def status_annotation(on: dt.date, pass_mark: int | None = None):
    """``rules.officer_status`` on ``on`` as an expression over Officer rows."""
    pass_mark = settings.FAZHI_EXAM_PASS_MARK if pass_mark is None else pass_mark
    suspended = Exists(OfficerYear.objects.filter(officer=OuterRef("pk"), year=on.year).filter(suspending_q(pass_mark)))
    return Case(
        When(Q(left_on__lte=on) | Q(joined_on__gt=on), then=Value(rules.LEFT)),
        When(~valid_certificate_q(on), then=Value(rules.EXPIRED)),
        When(suspended, then=Value(rules.SUSPENDED)),
        default=Value(rules.ACTIVE),
        output_field=CharField(),
    )


def passed_both_q(pass_mark: int) -> Q:
    return Q(
        general_absence=rules.PRESENT,
        general_score__gte=pass_mark,
        special_absence=rules.PRESENT,
        special_score__gte=pass_mark,
    )


# --- Scope -------------------------------------------------------------------------------------------------


def _scoped(queryset, user, field: str = "org__path"):
    return queryset.filter(scope_q(user, roles.LEDGER_VIEW, field))


def _get(queryset, user, pk, *, write: bool, org_of):
    try:
        record = queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    org = org_of(record)
    if not has_capability(user, roles.LEDGER_VIEW, org) and not has_capability(user, roles.LEDGER_EDIT, org):
        raise Http404
    if write and not has_capability(user, roles.LEDGER_EDIT, org):
        raise PermissionDenied
    return record


def officer_get_for_user(user, pk, *, write: bool = False) -> Officer:
    return _get(Officer.objects.select_related("org"), user, pk, write=write, org_of=lambda o: o.org)


def officer_get_by_id_number(user, id_number: str, *, write: bool = False) -> Officer:
    officer = Officer.objects.select_related("org").filter(id_number=id_number).first()
    if officer is None:
        raise Http404
    return officer_get_for_user(user, officer.pk, write=write)


def officer_year_get_for_user(user, pk, *, write: bool = False) -> OfficerYear:
    return _get(
        OfficerYear.objects.select_related("officer", "org"), user, pk, write=write, org_of=lambda y: y.officer.org
    )


def case_file_get_for_user(user, pk, *, write: bool = False) -> CaseFile:
    return _get(CaseFile.objects.select_related("org"), user, pk, write=write, org_of=lambda c: c.org)


# --- Lists -------------------------------------------------------------------------------------------------


def status_date(year: int | None, today: dt.date | None = None) -> dt.date:
    """The date a list's statuses are shown for: today, or the last day of a past year that was asked for."""
    today = today or timezone.localdate()
    if year and year < today.year:
        return dt.date(year, 12, 31)
    return today


def officer_list(user, *, org: Org | None = None, status: str = "", on: dt.date | None = None, query: str = ""):
    on = on or timezone.localdate()
    latest = Certificate.objects.filter(officer=OuterRef("pk")).order_by("-expires_on", "-pk")
    officers = (
        _scoped(Officer.objects.select_related("org"), user)
        .annotate(
            status=status_annotation(on),
            certificate_number=Subquery(latest.values("number")[:1]),
            certificate_expires=Subquery(latest.values("expires_on")[:1]),
        )
        .order_by("org__path", "name", "pk")
    )
    if org is not None:
        officers = officers.filter(subtree_q(org.path, "org__path"))
    if status:
        officers = officers.filter(status=status)
    if query:
        officers = officers.filter(Q(name__icontains=query) | Q(id_number__startswith=query.upper()))
    return officers


def officer_detail(officer: Officer, on: dt.date | None = None) -> dict:
    on = on or timezone.localdate()
    certificates = list(officer.certificates.order_by("-expires_on", "-pk"))
    years = list(officer.years.order_by("-year"))
    exams = [(y.general_score, y.general_absence) for y in years if y.year == on.year] + [
        (y.special_score, y.special_absence) for y in years if y.year == on.year
    ]
    status = rules.officer_status(
        on=on,
        left_on=officer.left_on,
        joined_on=officer.joined_on,
        certificates=[(c.issued_on, c.expires_on) for c in certificates],
        exams=exams,
        pass_mark=settings.FAZHI_EXAM_PASS_MARK,
    )
    return {"status": status, "certificates": certificates, "years": years, "on": on}


def exam_list(user, *, org: Org | None = None, year: int | None = None, status: str = ""):
    """Officers' years; ``status``: ``passed`` (both exams), ``suspending`` (a fail or an unexcused absence),
    ``not_recorded`` (an exam without a result)."""
    pass_mark = settings.FAZHI_EXAM_PASS_MARK
    years = _scoped(OfficerYear.objects.select_related("officer", "org"), user).order_by(
        "-year", "org__path", "officer__name", "pk"
    )
    if org is not None:
        years = years.filter(subtree_q(org.path, "org__path"))
    if year:
        years = years.filter(year=year)
    if status == "passed":
        years = years.filter(passed_both_q(pass_mark))
    elif status == "suspending":
        years = years.filter(suspending_q(pass_mark))
    elif status == "not_recorded":
        years = years.filter(
            Q(general_absence=rules.PRESENT, general_score__isnull=True)
            | Q(special_absence=rules.PRESENT, special_score__isnull=True)
        )
    return years


def grade_q(grade: str) -> Q:
    excellent, pass_mark = settings.FAZHI_CASE_FILE_EXCELLENT, settings.FAZHI_CASE_FILE_PASS
    if grade == rules.EXCELLENT:
        return Q(score__gte=excellent)
    if grade == rules.PASS:
        return Q(score__gte=pass_mark, score__lt=excellent)
    if grade == rules.FAIL:
        return Q(score__lt=pass_mark)
    return Q()


def case_file_list(user, *, org: Org | None = None, year: int | None = None, grade: str = ""):
    cases = _scoped(CaseFile.objects.select_related("org"), user).order_by("-year", "org__path", "case_number", "pk")
    if org is not None:
        cases = cases.filter(subtree_q(org.path, "org__path"))
    if year:
        cases = cases.filter(year=year)
    if grade:
        cases = cases.filter(grade_q(grade))
    return cases


def status_counts(user, *, org: Org | None = None, on: dt.date | None = None) -> dict[str, int]:
    from django.db.models import Count

    rows = officer_list(user, org=org, on=on).order_by().values("status").annotate(n=Count("pk"))
    counts = dict.fromkeys((rules.ACTIVE, rules.SUSPENDED, rules.EXPIRED, rules.LEFT), 0)
    counts.update({row["status"]: row["n"] for row in rows})
    return counts


# --- Deadlines -----------------------------------------------------------------------------------------------


def deadlines(scope: Q, start: dt.date, end: dt.date):
    """Certificates to renew: an officer in post whose latest certificate expires from ``start`` to ``end`` (an
    expired one shows as overdue until a new certificate is recorded). Exams to record: an officer in post on 31
    December with a certificate valid at some time in that year and the year's exams not both recorded; due on
    31 December of the year."""
    officers = (
        Officer.objects.filter(scope)
        .annotate(last_expiry=Max("certificates__expires_on"))
        .filter(last_expiry__gte=start, last_expiry__lte=end)
        .filter(Q(left_on__isnull=True) | Q(left_on__gt=F("last_expiry")))
        .select_related("org")
        .order_by("last_expiry", "pk")
    )
    what = _("Renew the enforcement certificate")
    for officer in officers:
        yield Deadline(
            ledger="enforcement",
            what=what,
            record=officer.name,
            url=reverse("enforcement_officer_detail", args=[officer.pk]),
            org_id=officer.org_id,
            org_name=officer.org.name,
            due=officer.last_expiry,
        )
    first = Certificate.objects.filter(officer__in=Officer.objects.filter(scope)).order_by("issued_on").first()
    if first is None:
        return
    what = _("Record the year's enforcement exams")
    for year in range(max(start.year, first.issued_on.year), end.year + 1):
        due = dt.date(year, 12, 31)
        if not start <= due <= end:
            continue
        recorded = OfficerYear.objects.filter(officer=OuterRef("pk"), year=year).exclude(
            Q(general_absence=rules.PRESENT, general_score__isnull=True)
            | Q(special_absence=rules.PRESENT, special_score__isnull=True)
        )
        held = Certificate.objects.filter(
            officer=OuterRef("pk"), issued_on__lte=due, expires_on__gte=dt.date(year, 1, 1)
        )
        missing = (
            Officer.objects.filter(scope)
            .filter(in_post_q(due), Exists(held))
            .exclude(Exists(recorded))
            .select_related("org")
            .order_by("org__path", "name", "pk")
        )
        for officer in missing:
            yield Deadline(
                ledger="enforcement",
                what=what,
                record=f"{officer.name} {year}",
                url=reverse("enforcement_officer_detail", args=[officer.pk]),
                org_id=officer.org_id,
                org_name=officer.org.name,
                due=due,
            )
