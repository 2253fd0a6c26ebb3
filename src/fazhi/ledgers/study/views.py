"""Pages of the ledger "Law study and publicity" (mounted at /ledgers/study/).

Registers: study sessions, learners (with their hours a year), standing meetings (preceded by study or not),
appointments with the pre-appointment law test, publicity events; and the yearly compliance table per
organisation. Each view fetches through the selectors (scope: ``ledger.view``; writes: ``ledger.edit``) and
writes through the services; lists filter by org subtree, year and status and paginate.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from fazhi.core.errors import DomainError
from fazhi.core.imports import Importer, import_start
from fazhi.core.middleware import client_ip
from fazhi.core.uploads import SpreadsheetUploadForm
from fazhi.core.xlsx import export_rows, import_template, xlsx_response
from fazhi.ledgers.study import forms, importers, selectors, services
from fazhi.ledgers.study.models import SessionKind, ThemeDay
from fazhi.ledgers.study.selectors import ListFilter
from fazhi.orgs import roles
from fazhi.orgs.access import has_any_capability, has_capability, org_get_for_user, require_capability, scope_q
from fazhi.orgs.models import Org

PER_PAGE = 50
# The org pickers list at most this many organisations (the user's scope, from the top of the tree).
ORG_CHOICES_LIMIT = 500
EXPORT_LIMIT = 100_000
LEARNER_HINT_LIMIT = 300


def _context(**context) -> dict:
    return {"section": "ledgers", **context}


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


def _org_options(user, capability: str) -> list[Org]:
    """Organisations for a picker: the user's scope from the top of the tree, at most ORG_CHOICES_LIMIT."""
    return list(
        Org.objects.filter(scope_q(user, capability), is_active=True)
        .order_by("path")
        .only("pk", "name", "code")[:ORG_CHOICES_LIMIT]
    )


@dataclass
class Filters:
    list_filter: ListFilter
    org_options: list
    years: list[int]
    querystring: str


def _filters(request, *, default_year: int | None = None) -> Filters:
    org = None
    org_pk = _int(request.GET.get("org"))
    if org_pk is not None:
        org = org_get_for_user(request.user, org_pk)
    year = _int(request.GET.get("year"), default_year)
    status = request.GET.get("status", "")[:32]
    params = {k: v for k, v in (("org", org_pk), ("year", year), ("status", status)) if v}
    querystring = "&".join(f"{k}={v}" for k, v in params.items())
    return Filters(
        ListFilter(org=org, year=year, status=status),
        _org_options(request.user, roles.LEDGER_VIEW),
        forms.year_choices(),
        querystring,
    )


def _page(request, queryset):
    return Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))


def _can_edit(user) -> bool:
    return has_any_capability(user, roles.LEDGER_EDIT)


def _list_page(request, template: str, queryset, filters: Filters, **extra):
    page = _page(request, queryset)
    name = f"{template}#rows" if request.htmx and request.GET.get("partial") == "rows" else template
    return render(
        request,
        name,
        _context(page=page, filters=filters, can_edit=_can_edit(request.user), **extra),
    )


def _require_ledger_org(user, pk) -> Org:
    """The organisation picked on a form: the user must keep its ledger (403) and see it (404)."""
    org = org_get_for_user(user, pk)
    if not has_capability(user, roles.LEDGER_EDIT, org):
        raise PermissionDenied
    return org


def _form_page(request, template_name, form, *, title, record=None, cancel_url, learners_of=None):
    """The form; ``learners_of`` (an organisation) lists its active learners beside the form, as a typing aid."""
    learners = selectors.learners_of_org(org=learners_of, limit=LEARNER_HINT_LIMIT) if learners_of is not None else None
    return render(
        request,
        "ledgers/study/form.html",
        _context(
            form=form,
            title=title,
            record=record,
            cancel_url=cancel_url,
            template_name=template_name,
            learners_of=learners_of,
            learners=learners,
        ),
        status=400 if form.is_bound and form.errors else 200,
    )


# ---------------------------------------------------------------------------------------------
# Index and compliance


@login_required
@require_GET
def study_index(request):
    require_capability(request.user, roles.LEDGER_VIEW)
    year = dt.date.today().year
    return render(
        request,
        "ledgers/study/index.html",
        _context(year=year, can_edit=_can_edit(request.user), hours_required=settings.FAZHI_STUDY_HOURS_PER_YEAR),
    )


@login_required
@require_GET
def study_compliance(request):
    """Each organisation that owes yearly sessions, its own sessions in the year against the requirements."""
    require_capability(request.user, roles.LEDGER_VIEW)
    filters = _filters(request, default_year=dt.date.today().year)
    page = _page(request, selectors.compliance_orgs(user=request.user, root=filters.list_filter.org))
    rows = selectors.compliance_rows(orgs=page.object_list, year=filters.list_filter.year)
    if filters.list_filter.status == "short":
        rows = [row for row in rows if not row.met]
    return render(
        request,
        "ledgers/study/compliance.html",
        _context(page=page, rows=rows, filters=filters, figures=selectors.figures(), kinds=dict(SessionKind.choices)),
    )


# ---------------------------------------------------------------------------------------------
# Sessions


@login_required
@require_GET
def study_session_list(request):
    require_capability(request.user, roles.LEDGER_VIEW)
    filters = _filters(request)
    qs = selectors.sessions_list(user=request.user, list_filter=filters.list_filter)
    return _list_page(request, "ledgers/study/session_list.html", qs, filters, statuses=SessionKind.choices)


@login_required
@require_GET
def study_session_detail(request, study_session_pk: int):
    session = selectors.session_get_for_user(request.user, study_session_pk)
    return render(
        request,
        "ledgers/study/session_detail.html",
        _context(
            session=session,
            attendance=selectors.session_attendance(session=session),
            can_edit=has_capability(request.user, roles.LEDGER_EDIT, session.org),
        ),
    )


def _attendees_text(attendance) -> str:
    return "、".join(
        f"{a.learner.name}({importers._hours_text(a.hours)})" if a.hours is not None else a.learner.name
        for a in attendance
    )


@login_required
@require_http_methods(["GET", "POST"])
def study_session_create(request):
    require_capability(request.user, roles.LEDGER_EDIT)
    orgs = _org_options(request.user, roles.LEDGER_EDIT)
    initial = {"org": _int(request.GET.get("org")), "date": dt.date.today()}
    form = forms.SessionForm(request.POST or None, orgs=orgs, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        org = _require_ledger_org(request.user, data.pop("org"))
        try:
            session = services.session_create(actor=request.user, org=org, **data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("The study session was recorded."))
            return redirect(session)
    hint_org = next((org for org in orgs if org.pk == initial["org"]), None) if initial["org"] else None
    return _form_page(
        request,
        "session",
        form,
        title=_("New study session"),
        cancel_url=reverse("study_session_list"),
        learners_of=hint_org,
    )


@login_required
@require_http_methods(["GET", "POST"])
def study_session_edit(request, study_session_pk: int):
    session = selectors.session_get_for_user(request.user, study_session_pk, write=True)
    initial = {
        "kind": session.kind,
        "date": session.date,
        "hours": session.hours,
        "topic": session.topic,
        "attendees": _attendees_text(selectors.session_attendance(session=session)),
    }
    form = forms.SessionForm(request.POST or None, fixed_org=session.org, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            session = services.session_update(actor=request.user, session=session, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("The study session was saved."))
            return redirect(session)
    return _form_page(
        request,
        "session",
        form,
        title=_("Edit study session"),
        record=session,
        cancel_url=session.get_absolute_url(),
        learners_of=session.org,
    )


def _import_page(request, *, importer: type[Importer], template_url: str):
    require_capability(request.user, roles.LEDGER_EDIT)
    form = SpreadsheetUploadForm()
    if request.method == "POST":
        form = SpreadsheetUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            job = import_start(
                owner=request.user,
                importer=importer,
                data=upload.read(),
                filename=upload.name,
                dry_run=form.cleaned_data["dry_run"],
                ip=client_ip(request),
                return_url=request.path,
            )
            return redirect("job_detail", job.pk)
    return render(
        request,
        "orgs/import.html",
        _context(
            form=form,
            importer=importer,
            columns=importer.columns,
            template_url=template_url,
            upload_max_mb=settings.FAZHI_UPLOAD_MAX_MB,
            import_max_rows=settings.FAZHI_IMPORT_MAX_ROWS,
        ),
        status=400 if form.is_bound else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def study_session_import(request):
    return _import_page(
        request, importer=importers.SessionImporter, template_url=reverse("study_session_import_template")
    )


@login_required
@require_GET
def study_session_import_template(request):
    require_capability(request.user, roles.LEDGER_EDIT)
    return xlsx_response(import_template(importers.SessionImporter), "study-sessions-template.xlsx")


@login_required
@require_GET
def study_session_export(request):
    """The filtered list, in the columns the session import reads."""
    require_capability(request.user, roles.LEDGER_VIEW)
    filters = _filters(request)
    sessions = list(selectors.sessions_list(user=request.user, list_filter=filters.list_filter)[:EXPORT_LIMIT])
    attendance = defaultdict(list)
    for a in selectors.attendance_of_sessions(sessions=sessions):
        attendance[a.session_id].append(a)
    rows = importers.session_export_rows(sessions, attendance)
    return xlsx_response(export_rows(importers.SessionImporter, rows), "study-sessions.xlsx")


# ---------------------------------------------------------------------------------------------
# Learners


LEARNER_STATUSES = (
    ("met", gettext_lazy("Hours met")),
    ("short", gettext_lazy("Hours short")),
    ("inactive", gettext_lazy("Left (inactive)")),
)


@login_required
@require_GET
def study_learner_list(request):
    require_capability(request.user, roles.LEDGER_VIEW)
    filters = _filters(request, default_year=dt.date.today().year)
    qs = selectors.learners_list(user=request.user, list_filter=filters.list_filter)
    return _list_page(
        request,
        "ledgers/study/learner_list.html",
        qs,
        filters,
        statuses=LEARNER_STATUSES,
        hours_required=settings.FAZHI_STUDY_HOURS_PER_YEAR,
    )


@login_required
@require_GET
def study_learner_detail(request, study_learner_pk: int):
    learner = selectors.learner_get_for_user(request.user, study_learner_pk)
    year = _int(request.GET.get("year"), dt.date.today().year)
    attendance = selectors.learner_sessions(learner=learner, year=year)
    total = sum((a.counted_hours for a in attendance), start=0)
    return render(
        request,
        "ledgers/study/learner_detail.html",
        _context(
            learner=learner,
            year=year,
            years=forms.year_choices(),
            attendance=attendance,
            total=total,
            hours_required=settings.FAZHI_STUDY_HOURS_PER_YEAR,
            can_edit=has_capability(request.user, roles.LEDGER_EDIT, learner.org),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def study_learner_create(request):
    require_capability(request.user, roles.LEDGER_EDIT)
    orgs = _org_options(request.user, roles.LEDGER_EDIT)
    form = forms.LearnerForm(request.POST or None, orgs=orgs, initial={"org": _int(request.GET.get("org"))})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        org = _require_ledger_org(request.user, data.pop("org"))
        try:
            learner = services.learner_create(actor=request.user, org=org, **data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("%(name)s was added.") % {"name": learner.name})
            return redirect(learner)
    return _form_page(request, "learner", form, title=_("New learner"), cancel_url=reverse("study_learner_list"))


@login_required
@require_http_methods(["GET", "POST"])
def study_learner_edit(request, study_learner_pk: int):
    learner = selectors.learner_get_for_user(request.user, study_learner_pk, write=True)
    initial = {
        "name": learner.name,
        "post": learner.post,
        "is_leader": learner.is_leader,
        "is_active": learner.is_active,
    }
    form = forms.LearnerEditForm(request.POST or None, fixed_org=learner.org, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            learner = services.learner_update(actor=request.user, learner=learner, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("%(name)s was saved.") % {"name": learner.name})
            return redirect(learner)
    return _form_page(
        request, "learner", form, title=_("Edit learner"), record=learner, cancel_url=learner.get_absolute_url()
    )


@login_required
@require_http_methods(["GET", "POST"])
def study_learner_import(request):
    return _import_page(
        request, importer=importers.LearnerImporter, template_url=reverse("study_learner_import_template")
    )


@login_required
@require_GET
def study_learner_import_template(request):
    require_capability(request.user, roles.LEDGER_EDIT)
    return xlsx_response(import_template(importers.LearnerImporter), "study-learners-template.xlsx")


@login_required
@require_GET
def study_learner_export(request):
    """The filtered learners (personal data: the export is recorded in the audit log)."""
    require_capability(request.user, roles.LEDGER_VIEW)
    filters = _filters(request)
    learners = list(selectors.learners_list(user=request.user, list_filter=filters.list_filter)[:EXPORT_LIMIT])
    services.learners_exported(actor=request.user, org=filters.list_filter.org, count=len(learners))
    return xlsx_response(
        export_rows(importers.LearnerImporter, importers.learner_export_rows(learners)), "study-learners.xlsx"
    )


# ---------------------------------------------------------------------------------------------
# Standing meetings


MEETING_STATUSES = (
    ("studied", gettext_lazy("Preceded by study")),
    ("not_studied", gettext_lazy("Not preceded by study")),
)


@login_required
@require_GET
def study_meeting_list(request):
    require_capability(request.user, roles.LEDGER_VIEW)
    filters = _filters(request)
    qs = selectors.meetings_list(user=request.user, list_filter=filters.list_filter)
    return _list_page(request, "ledgers/study/meeting_list.html", qs, filters, statuses=MEETING_STATUSES)


@login_required
@require_GET
def study_meeting_detail(request, study_meeting_pk: int):
    meeting = selectors.meeting_get_for_user(request.user, study_meeting_pk)
    return render(
        request,
        "ledgers/study/meeting_detail.html",
        _context(
            meeting=meeting,
            studies=selectors.meeting_studies(meeting=meeting),
            can_edit=has_capability(request.user, roles.LEDGER_EDIT, meeting.org),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def study_meeting_create(request):
    require_capability(request.user, roles.LEDGER_EDIT)
    orgs = _org_options(request.user, roles.LEDGER_EDIT)
    form = forms.MeetingForm(request.POST or None, orgs=orgs, initial={"org": _int(request.GET.get("org"))})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        org = _require_ledger_org(request.user, data.pop("org"))
        try:
            meeting = services.meeting_create(actor=request.user, org=org, **data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("The standing meeting was recorded."))
            return redirect(meeting)
    return _form_page(
        request, "meeting", form, title=_("New standing meeting"), cancel_url=reverse("study_meeting_list")
    )


@login_required
@require_http_methods(["GET", "POST"])
def study_meeting_edit(request, study_meeting_pk: int):
    meeting = selectors.meeting_get_for_user(request.user, study_meeting_pk, write=True)
    form = forms.MeetingForm(
        request.POST or None, fixed_org=meeting.org, initial={"date": meeting.date, "title": meeting.title}
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_update(actor=request.user, meeting=meeting, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("The standing meeting was saved."))
            return redirect(meeting)
    return _form_page(
        request,
        "meeting",
        form,
        title=_("Edit standing meeting"),
        record=meeting,
        cancel_url=meeting.get_absolute_url(),
    )


# ---------------------------------------------------------------------------------------------
# Appointments and the pre-appointment law test


APPOINTMENT_STATUSES = (("tested", gettext_lazy("Tested")), ("untested", gettext_lazy("Not tested")))


@login_required
@require_GET
def study_appointment_list(request):
    require_capability(request.user, roles.LEDGER_VIEW)
    filters = _filters(request)
    qs = selectors.appointments_list(user=request.user, list_filter=filters.list_filter)
    return _list_page(request, "ledgers/study/appointment_list.html", qs, filters, statuses=APPOINTMENT_STATUSES)


@login_required
@require_GET
def study_appointment_detail(request, study_appointment_pk: int):
    appointment = selectors.appointment_get_for_user(request.user, study_appointment_pk)
    return render(
        request,
        "ledgers/study/appointment_detail.html",
        _context(appointment=appointment, can_edit=has_capability(request.user, roles.LEDGER_EDIT, appointment.org)),
    )


def _appointment_save(request, form, *, org, appointment=None):
    data = dict(form.cleaned_data)
    data.pop("org", None)
    learner = selectors.learner_by_name(org=org, name=data.pop("learner_name"))
    if learner is None:
        form.add_error("learner_name", _("No learner of %(org)s has this name.") % {"org": org.name})
        return None
    if appointment is None:
        return services.appointment_create(actor=request.user, org=org, learner=learner, **data)
    return services.appointment_update(actor=request.user, appointment=appointment, learner=learner, **data)


@login_required
@require_http_methods(["GET", "POST"])
def study_appointment_create(request):
    require_capability(request.user, roles.LEDGER_EDIT)
    orgs = _org_options(request.user, roles.LEDGER_EDIT)
    form = forms.AppointmentForm(request.POST or None, orgs=orgs, initial={"org": _int(request.GET.get("org"))})
    if request.method == "POST" and form.is_valid():
        org = _require_ledger_org(request.user, form.cleaned_data["org"])
        try:
            appointment = _appointment_save(request, form, org=org)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            if appointment is not None:
                messages.success(request, _("The appointment was recorded."))
                return redirect(appointment)
    return _form_page(
        request, "appointment", form, title=_("New appointment"), cancel_url=reverse("study_appointment_list")
    )


@login_required
@require_http_methods(["GET", "POST"])
def study_appointment_edit(request, study_appointment_pk: int):
    appointment = selectors.appointment_get_for_user(request.user, study_appointment_pk, write=True)
    initial = {
        "learner_name": appointment.learner.name,
        "post": appointment.post,
        "appointed_on": appointment.appointed_on,
        "tested_on": appointment.tested_on,
        "score": appointment.score,
    }
    form = forms.AppointmentForm(request.POST or None, fixed_org=appointment.org, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            saved = _appointment_save(request, form, org=appointment.org, appointment=appointment)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            if saved is not None:
                messages.success(request, _("The appointment was saved."))
                return redirect(saved)
    return _form_page(
        request,
        "appointment",
        form,
        title=_("Edit appointment"),
        record=appointment,
        cancel_url=appointment.get_absolute_url(),
    )


@login_required
@require_http_methods(["GET", "POST"])
def study_appointment_import(request):
    return _import_page(
        request, importer=importers.AppointmentImporter, template_url=reverse("study_appointment_import_template")
    )


@login_required
@require_GET
def study_appointment_import_template(request):
    require_capability(request.user, roles.LEDGER_EDIT)
    return xlsx_response(import_template(importers.AppointmentImporter), "study-appointments-template.xlsx")


@login_required
@require_GET
def study_appointment_export(request):
    require_capability(request.user, roles.LEDGER_VIEW)
    filters = _filters(request)
    appointments = selectors.appointments_list(user=request.user, list_filter=filters.list_filter)[:EXPORT_LIMIT]
    return xlsx_response(
        export_rows(importers.AppointmentImporter, importers.appointment_export_rows(appointments)),
        "study-appointments.xlsx",
    )


# ---------------------------------------------------------------------------------------------
# Publicity events


@login_required
@require_GET
def study_publicity_list(request):
    require_capability(request.user, roles.LEDGER_VIEW)
    filters = _filters(request)
    qs = selectors.publicity_list(user=request.user, list_filter=filters.list_filter)
    return _list_page(request, "ledgers/study/publicity_list.html", qs, filters, statuses=ThemeDay.choices)


@login_required
@require_GET
def study_publicity_detail(request, study_publicity_pk: int):
    event = selectors.publicity_get_for_user(request.user, study_publicity_pk)
    return render(
        request,
        "ledgers/study/publicity_detail.html",
        _context(event=event, can_edit=has_capability(request.user, roles.LEDGER_EDIT, event.org)),
    )


@login_required
@require_http_methods(["GET", "POST"])
def study_publicity_create(request):
    require_capability(request.user, roles.LEDGER_EDIT)
    orgs = _org_options(request.user, roles.LEDGER_EDIT)
    form = forms.PublicityForm(request.POST or None, orgs=orgs, initial={"org": _int(request.GET.get("org"))})
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        org = _require_ledger_org(request.user, data.pop("org"))
        try:
            event = services.publicity_create(actor=request.user, org=org, **data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("The publicity event was recorded."))
            return redirect(event)
    return _form_page(
        request, "publicity", form, title=_("New publicity event"), cancel_url=reverse("study_publicity_list")
    )


@login_required
@require_http_methods(["GET", "POST"])
def study_publicity_edit(request, study_publicity_pk: int):
    event = selectors.publicity_get_for_user(request.user, study_publicity_pk, write=True)
    initial = {
        "date": event.date,
        "theme": event.theme,
        "title": event.title,
        "place": event.place,
        "participants": event.participants,
        "materials": event.materials,
    }
    form = forms.PublicityForm(request.POST or None, fixed_org=event.org, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            event = services.publicity_update(actor=request.user, event=event, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("The publicity event was saved."))
            return redirect(event)
    return _form_page(
        request, "publicity", form, title=_("Edit publicity event"), record=event, cancel_url=event.get_absolute_url()
    )


@login_required
@require_http_methods(["GET", "POST"])
def study_publicity_import(request):
    return _import_page(
        request, importer=importers.PublicityImporter, template_url=reverse("study_publicity_import_template")
    )


@login_required
@require_GET
def study_publicity_import_template(request):
    require_capability(request.user, roles.LEDGER_EDIT)
    return xlsx_response(import_template(importers.PublicityImporter), "study-publicity-template.xlsx")


@login_required
@require_GET
def study_publicity_export(request):
    require_capability(request.user, roles.LEDGER_VIEW)
    filters = _filters(request)
    events = selectors.publicity_list(user=request.user, list_filter=filters.list_filter)[:EXPORT_LIMIT]
    return xlsx_response(
        export_rows(importers.PublicityImporter, importers.publicity_export_rows(events)), "study-publicity.xlsx"
    )


urlpatterns = [
    path("", study_index, name="study_index"),
    path("compliance/", study_compliance, name="study_compliance"),
    path("sessions/", study_session_list, name="study_session_list"),
    path("sessions/new/", study_session_create, name="study_session_create"),
    path("sessions/import/", study_session_import, name="study_session_import"),
    path("sessions/import/template.xlsx", study_session_import_template, name="study_session_import_template"),
    path("sessions/export.xlsx", study_session_export, name="study_session_export"),
    path("sessions/<int:study_session_pk>/", study_session_detail, name="study_session_detail"),
    path("sessions/<int:study_session_pk>/edit/", study_session_edit, name="study_session_edit"),
    path("learners/", study_learner_list, name="study_learner_list"),
    path("learners/new/", study_learner_create, name="study_learner_create"),
    path("learners/import/", study_learner_import, name="study_learner_import"),
    path("learners/import/template.xlsx", study_learner_import_template, name="study_learner_import_template"),
    path("learners/export.xlsx", study_learner_export, name="study_learner_export"),
    path("learners/<int:study_learner_pk>/", study_learner_detail, name="study_learner_detail"),
    path("learners/<int:study_learner_pk>/edit/", study_learner_edit, name="study_learner_edit"),
    path("meetings/", study_meeting_list, name="study_meeting_list"),
    path("meetings/new/", study_meeting_create, name="study_meeting_create"),
    path("meetings/<int:study_meeting_pk>/", study_meeting_detail, name="study_meeting_detail"),
    path("meetings/<int:study_meeting_pk>/edit/", study_meeting_edit, name="study_meeting_edit"),
    path("appointments/", study_appointment_list, name="study_appointment_list"),
    path("appointments/new/", study_appointment_create, name="study_appointment_create"),
    path("appointments/import/", study_appointment_import, name="study_appointment_import"),
    path(
        "appointments/import/template.xlsx",
        study_appointment_import_template,
        name="study_appointment_import_template",
    ),
    path("appointments/export.xlsx", study_appointment_export, name="study_appointment_export"),
    path("appointments/<int:study_appointment_pk>/", study_appointment_detail, name="study_appointment_detail"),
    path("appointments/<int:study_appointment_pk>/edit/", study_appointment_edit, name="study_appointment_edit"),
    path("publicity/", study_publicity_list, name="study_publicity_list"),
    path("publicity/new/", study_publicity_create, name="study_publicity_create"),
    path("publicity/import/", study_publicity_import, name="study_publicity_import"),
    path("publicity/import/template.xlsx", study_publicity_import_template, name="study_publicity_import_template"),
    path("publicity/export.xlsx", study_publicity_export, name="study_publicity_export"),
    path("publicity/<int:study_publicity_pk>/", study_publicity_detail, name="study_publicity_detail"),
    path("publicity/<int:study_publicity_pk>/edit/", study_publicity_edit, name="study_publicity_edit"),
]
