"""Pages of the ledger "Law study and publicity" (mounted at /ledgers/study/).

Registers: study sessions, learners (with their hours a year), standing meetings (preceded by study or not),
appointments with the pre-appointment law test, publicity events; and the yearly compliance table per
organisation. The five registers share one set of views (list, detail, create, edit, export) driven by a
:class:`Register` description each. Each view fetches through the selectors (scope: ``ledger.view``; writes:
``ledger.edit``) and writes through the services; lists filter by org subtree (``?org=<code>``), year and status
and paginate. Imports go through the ledgers' shared import page (``ledger_import``, one importer key a register).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from fazhi.core.errors import DomainError
from fazhi.core.xlsx import export_rows, xlsx_response
from fazhi.ledgers.common.viewing import record_viewed
from fazhi.ledgers.study import forms, importers, selectors, services
from fazhi.ledgers.study.models import SessionKind, ThemeDay
from fazhi.ledgers.study.selectors import ListFilter
from fazhi.orgs import roles
from fazhi.orgs.access import has_any_capability, has_capability, require_capability

PER_PAGE = 50
EXPORT_LIMIT = 100_000
LEARNER_HINT_LIMIT = 300


def _context(**context) -> dict:
    return {"section": "ledgers", **context}


def _int(value, default=None):
    try:
        return int(value)
    except (TypeError, ValueError):
        return default


@dataclass
class Filters:
    list_filter: ListFilter
    form: forms.OrgFilterForm
    years: list[int]
    querystring: str

    @property
    def refused(self) -> bool:
        """An organisation code was typed that is not in the user's scope: the list shows nothing."""
        return not self.form.is_valid()


def _filters(request, *, default_year: int | None = None) -> Filters:
    form = forms.OrgFilterForm({"org": request.GET.get("org", "")}, user=request.user)
    org = form.cleaned_data["org"] if form.is_valid() else None
    year = _int(request.GET.get("year"), default_year)
    status = request.GET.get("status", "")[:32]
    params = {k: v for k, v in (("org", org.code if org else None), ("year", year), ("status", status)) if v}
    return Filters(ListFilter(org=org, year=year, status=status), form, forms.year_choices(), urlencode(params))


def _page(request, queryset):
    return Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))


def _can_edit(user) -> bool:
    return has_any_capability(user, roles.LEDGER_EDIT)


def import_url(key: str, back: str) -> str:
    """The shared import page of ``key``, returning to ``back``."""
    return reverse("ledger_import", kwargs={"importer_key": key}) + "?" + urlencode({"back": back})


# ---------------------------------------------------------------------------------------------
# One description per register


@dataclass(frozen=True)
class Register:
    """What the generic views need to know of one register."""

    name: str  # url names study_<name>_list/_detail/_create/_edit/_export; kwarg study_<name>_pk
    segment: str  # the url path segment (and the tab of the ledger's navigation)
    title: str  # the list's title
    object_name: str  # the record's name in the detail template
    rows: Callable  # (user, list_filter) -> queryset of the list
    get: Callable  # (user, pk, write=False) -> the record (scope checked)
    form: type  # the create form (it picks the organisation)
    create: Callable  # (actor, org, data) -> the record
    update: Callable  # (actor, record, data) -> the record
    initial: Callable  # record -> the edit form's initial data
    titles: tuple  # (new, edit)
    saved: tuple  # (created message, saved message); %(name)s: the record's name (or the record)
    statuses: tuple = ()
    status_label: str = ""
    edit_form: type | None = None  # when editing asks other fields than creating
    this_year: bool = False  # the list shows this year when no year is asked
    list_extra: Callable = lambda: {}
    detail_extra: Callable = lambda request, record: {}
    personal: bool = False  # the detail shows personal data: opening it is audited
    import_key: str = ""
    export: Callable | None = None  # (records) -> rows in the importer's columns
    export_importer: type | None = None
    export_name: str = ""
    learner_hint: bool = False  # the form lists the organisation's learners beside it
    new_initial: tuple = ()  # (field, value or callable) of the create form

    def url(self, action: str) -> str:
        return f"study_{self.name}_{action}"

    @property
    def kwarg(self) -> str:
        return f"study_{self.name}_pk"


def _list_page(request, register: Register, queryset, filters: Filters, **extra):
    if filters.refused:
        queryset = queryset.none()
    page = _page(request, queryset)
    template = "ledgers/study/list.html"
    name = f"{template}#rows" if request.htmx and request.GET.get("partial") == "rows" else template
    return render(
        request,
        name,
        _context(
            page=page,
            filters=filters,
            can_edit=_can_edit(request.user),
            register_title=register.title,
            tab=register.segment,
            columns=f"ledgers/study/_columns_{register.name}.html",
            create_url=reverse(register.url("create")),
            export_url=reverse(register.url("export")) if register.export is not None else "",
            import_url=import_url(register.import_key, request.path) if register.import_key else "",
            year_required=register.this_year,
            **extra,
        ),
        status=400 if filters.refused else 200,
    )


def _form_page(request, register: Register, form, *, title, record=None, cancel_url, learners_of=None):
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
            template_name=register.name,
            learners_of=learners_of,
            learners=learners,
        ),
        status=400 if form.is_bound and form.errors else 200,
    )


def _list_view(register: Register):
    @login_required
    @require_GET
    def view(request):
        require_capability(request.user, roles.LEDGER_VIEW)
        filters = _filters(request, default_year=dt.date.today().year if register.this_year else None)
        qs = register.rows(user=request.user, list_filter=filters.list_filter)
        return _list_page(
            request,
            register,
            qs,
            filters,
            statuses=register.statuses,
            **({"status_label": register.status_label} if register.status_label else {}),
            **register.list_extra(),
        )

    return view


def _detail_view(register: Register):
    @login_required
    @require_GET
    def view(request, **kwargs):
        record = register.get(request.user, kwargs[register.kwarg])
        if register.personal:
            record_viewed(actor=request.user, record=record, via="page")
        return render(
            request,
            f"ledgers/study/{register.name}_detail.html",
            _context(
                **{register.object_name: record},
                can_edit=has_capability(request.user, roles.LEDGER_EDIT, record.org),
                **register.detail_extra(request, record),
            ),
        )

    return view


def _create_view(register: Register):
    @login_required
    @require_http_methods(["GET", "POST"])
    def view(request):
        require_capability(request.user, roles.LEDGER_EDIT)
        initial = {"org": request.GET.get("org", "").strip().upper() or None, **dict(register.new_initial)}
        form = register.form(request.POST or None, user=request.user, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = dict(form.cleaned_data)
            org = data.pop("org")
            try:
                record = register.create(request.user, org, data)
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, register.saved[0] % {"name": getattr(record, "name", record)})
                return redirect(record)
        hint_org = None
        if register.learner_hint and initial["org"]:
            hint_org = form.fields["org"].queryset.filter(code=initial["org"]).first()
        return _form_page(
            request,
            register,
            form,
            title=register.titles[0],
            cancel_url=reverse(register.url("list")),
            learners_of=hint_org,
        )

    return view


def _edit_view(register: Register):
    @login_required
    @require_http_methods(["GET", "POST"])
    def view(request, **kwargs):
        record = register.get(request.user, kwargs[register.kwarg], write=True)
        form_class = register.edit_form or register.form
        form = form_class(request.POST or None, fixed_org=record.org, initial=register.initial(record))
        if request.method == "POST" and form.is_valid():
            try:
                record = register.update(request.user, record, dict(form.cleaned_data))
            except DomainError as error:
                form.add_domain_error(error)
            else:
                messages.success(request, register.saved[1] % {"name": getattr(record, "name", record)})
                return redirect(record)
        return _form_page(
            request,
            register,
            form,
            title=register.titles[1],
            record=record,
            cancel_url=record.get_absolute_url(),
            learners_of=record.org if register.learner_hint else None,
        )

    return view


def _export_view(register: Register):
    @login_required
    @require_GET
    def view(request):
        """The filtered list, in the columns the register's import reads (personal data: recorded in the audit)."""
        require_capability(request.user, roles.LEDGER_VIEW)
        filters = _filters(request)
        if filters.refused:
            raise Http404
        records = list(register.rows(user=request.user, list_filter=filters.list_filter)[:EXPORT_LIMIT])
        services.records_exported(
            actor=request.user, register=register.name, org=filters.list_filter.org, count=len(records)
        )
        return xlsx_response(export_rows(register.export_importer, register.export(records)), register.export_name)

    return view


# ---------------------------------------------------------------------------------------------
# The registers


def _attendees_text(attendance) -> str:
    return "、".join(
        f"{a.learner.name}({importers._hours_text(a.hours)})" if a.hours is not None else a.learner.name
        for a in attendance
    )


def _session_export(sessions) -> list[dict]:
    attendance = defaultdict(list)
    for a in selectors.attendance_of_sessions(sessions=sessions):
        attendance[a.session_id].append(a)
    return importers.session_export_rows(sessions, attendance)


def _learner_detail(request, learner) -> dict:
    year = _int(request.GET.get("year"), dt.date.today().year)
    attendance = selectors.learner_sessions(learner=learner, year=year)
    return {
        "year": year,
        "years": forms.year_choices(),
        "attendance": attendance,
        "total": sum((a.counted_hours for a in attendance), start=0),
        "hours_required": settings.FAZHI_STUDY_HOURS_PER_YEAR,
    }


def _appointment_create(actor, org, data):
    learner = services.learner_named(org=org, name=data.pop("learner_name"))
    return services.appointment_create(actor=actor, org=org, learner=learner, **data)


def _appointment_update(actor, appointment, data):
    learner = services.learner_named(org=appointment.org, name=data.pop("learner_name"))
    return services.appointment_update(actor=actor, appointment=appointment, learner=learner, **data)


LEARNER_STATUSES = (
    ("met", gettext_lazy("Hours met")),
    ("short", gettext_lazy("Hours short")),
    ("inactive", gettext_lazy("Left (inactive)")),
)
MEETING_STATUSES = (
    ("studied", gettext_lazy("Preceded by study")),
    ("not_studied", gettext_lazy("Not preceded by study")),
)
APPOINTMENT_STATUSES = (("tested", gettext_lazy("Tested")), ("untested", gettext_lazy("Not tested")))

SESSIONS = Register(
    name="session",
    segment="sessions",
    title=gettext_lazy("Study sessions"),
    object_name="session",
    rows=selectors.sessions_list,
    get=selectors.session_get_for_user,
    form=forms.SessionForm,
    create=lambda actor, org, data: services.session_create(actor=actor, org=org, **data),
    update=lambda actor, session, data: services.session_update(actor=actor, session=session, **data),
    initial=lambda session: {
        "kind": session.kind,
        "date": session.date,
        "hours": session.hours,
        "topic": session.topic,
        "attendees": _attendees_text(selectors.session_attendance(session=session)),
    },
    titles=(gettext_lazy("New study session"), gettext_lazy("Edit study session")),
    saved=(gettext_lazy("The study session was recorded."), gettext_lazy("The study session was saved.")),
    statuses=SessionKind.choices,
    status_label=gettext_lazy("Kind"),
    detail_extra=lambda request, session: {"attendance": selectors.session_attendance(session=session)},
    personal=True,  # the attendees' names and hours
    import_key="study.sessions",
    export=_session_export,
    export_importer=importers.SessionImporter,
    export_name="study-sessions.xlsx",
    learner_hint=True,
    new_initial=(("date", dt.date.today),),
)
LEARNERS = Register(
    name="learner",
    segment="learners",
    title=gettext_lazy("Learners and hours"),
    object_name="learner",
    rows=selectors.learners_list,
    get=selectors.learner_get_for_user,
    form=forms.LearnerForm,
    edit_form=forms.LearnerEditForm,
    create=lambda actor, org, data: services.learner_create(actor=actor, org=org, **data),
    update=lambda actor, learner, data: services.learner_update(actor=actor, learner=learner, **data),
    initial=lambda learner: {
        "name": learner.name,
        "post": learner.post,
        "is_leader": learner.is_leader,
        "is_active": learner.is_active,
    },
    titles=(gettext_lazy("New learner"), gettext_lazy("Edit learner")),
    saved=(gettext_lazy("%(name)s was added."), gettext_lazy("%(name)s was saved.")),
    statuses=LEARNER_STATUSES,
    this_year=True,
    list_extra=lambda: {"hours_required": settings.FAZHI_STUDY_HOURS_PER_YEAR},
    detail_extra=_learner_detail,
    personal=True,
    import_key="study.learners",
    export=importers.learner_export_rows,
    export_importer=importers.LearnerImporter,
    export_name="study-learners.xlsx",
)
MEETINGS = Register(
    name="meeting",
    segment="meetings",
    title=gettext_lazy("Standing meetings"),
    object_name="meeting",
    rows=selectors.meetings_list,
    get=selectors.meeting_get_for_user,
    form=forms.MeetingForm,
    create=lambda actor, org, data: services.meeting_create(actor=actor, org=org, **data),
    update=lambda actor, meeting, data: services.meeting_update(actor=actor, meeting=meeting, **data),
    initial=lambda meeting: {"date": meeting.date, "title": meeting.title},
    titles=(gettext_lazy("New standing meeting"), gettext_lazy("Edit standing meeting")),
    saved=(gettext_lazy("The standing meeting was recorded."), gettext_lazy("The standing meeting was saved.")),
    statuses=MEETING_STATUSES,
    detail_extra=lambda request, meeting: {"studies": selectors.meeting_studies(meeting=meeting)},
    import_key="study.meetings",
    export=importers.meeting_export_rows,
    export_importer=importers.MeetingImporter,
    export_name="study-meetings.xlsx",
)
APPOINTMENTS = Register(
    name="appointment",
    segment="appointments",
    title=gettext_lazy("Pre-appointment law tests"),
    object_name="appointment",
    rows=selectors.appointments_list,
    get=selectors.appointment_get_for_user,
    form=forms.AppointmentForm,
    create=_appointment_create,
    update=_appointment_update,
    initial=lambda appointment: {
        "learner_name": appointment.learner.name,
        "post": appointment.post,
        "appointed_on": appointment.appointed_on,
        "tested_on": appointment.tested_on,
        "score": appointment.score,
    },
    titles=(gettext_lazy("New appointment"), gettext_lazy("Edit appointment")),
    saved=(gettext_lazy("The appointment was recorded."), gettext_lazy("The appointment was saved.")),
    statuses=APPOINTMENT_STATUSES,
    personal=True,  # the appointee's name and test score
    import_key="study.appointments",
    export=importers.appointment_export_rows,
    export_importer=importers.AppointmentImporter,
    export_name="study-appointments.xlsx",
)
PUBLICITY = Register(
    name="publicity",
    segment="publicity",
    title=gettext_lazy("Publicity events"),
    object_name="event",
    rows=selectors.publicity_list,
    get=selectors.publicity_get_for_user,
    form=forms.PublicityForm,
    create=lambda actor, org, data: services.publicity_create(actor=actor, org=org, **data),
    update=lambda actor, event, data: services.publicity_update(actor=actor, event=event, **data),
    initial=lambda event: {
        "date": event.date,
        "theme": event.theme,
        "title": event.title,
        "place": event.place,
        "participants": event.participants,
        "materials": event.materials,
    },
    titles=(gettext_lazy("New publicity event"), gettext_lazy("Edit publicity event")),
    saved=(gettext_lazy("The publicity event was recorded."), gettext_lazy("The publicity event was saved.")),
    statuses=ThemeDay.choices,
    status_label=gettext_lazy("Theme day"),
    import_key="study.publicity",
    export=importers.publicity_export_rows,
    export_importer=importers.PublicityImporter,
    export_name="study-publicity.xlsx",
)
REGISTERS = (SESSIONS, LEARNERS, MEETINGS, APPOINTMENTS, PUBLICITY)


# ---------------------------------------------------------------------------------------------
# Index and compliance


@login_required
@require_GET
def study_index(request):
    require_capability(request.user, roles.LEDGER_VIEW)
    year = dt.date.today().year
    imports = {r.name: import_url(r.import_key, request.path) for r in REGISTERS if r.import_key}
    return render(
        request,
        "ledgers/study/index.html",
        _context(
            year=year,
            can_edit=_can_edit(request.user),
            hours_required=settings.FAZHI_STUDY_HOURS_PER_YEAR,
            imports=imports,
        ),
    )


@login_required
@require_GET
def study_compliance(request):
    """Each organisation that owes yearly sessions, its own sessions in the year against the requirements."""
    require_capability(request.user, roles.LEDGER_VIEW)
    filters = _filters(request, default_year=dt.date.today().year)
    orgs = selectors.compliance_orgs(user=request.user, root=filters.list_filter.org)
    if filters.refused:
        orgs = orgs.none()
    page = _page(request, orgs)
    rows = selectors.compliance_rows(orgs=page.object_list, year=filters.list_filter.year)
    if filters.list_filter.status == "short":
        rows = [row for row in rows if not row.met]
    return render(
        request,
        "ledgers/study/compliance.html",
        _context(page=page, rows=rows, filters=filters, figures=selectors.figures(), kinds=dict(SessionKind.choices)),
        status=400 if filters.refused else 200,
    )


def _register_urls(register: Register) -> list:
    segment, url = register.segment, register.url
    patterns = [
        path(f"{segment}/", _list_view(register), name=url("list")),
        path(f"{segment}/new/", _create_view(register), name=url("create")),
    ]
    if register.export is not None:
        patterns.append(path(f"{segment}/export.xlsx", _export_view(register), name=url("export")))
    patterns += [
        path(f"{segment}/<int:{register.kwarg}>/", _detail_view(register), name=url("detail")),
        path(f"{segment}/<int:{register.kwarg}>/edit/", _edit_view(register), name=url("edit")),
    ]
    return patterns


urlpatterns = [
    path("", study_index, name="study_index"),
    path("compliance/", study_compliance, name="study_compliance"),
]
for _register in REGISTERS:
    urlpatterns += _register_urls(_register)
