"""Pages of the ledger "Administrative enforcement": officers (with certificates and their years' exams and
training), the exam register, and the reviewed case files; lists with filters and XLSX exports, details, forms.

Views fetch through the selectors (scoped by ``ledger.view``; a write needs ``ledger.edit``) and write through the
services; a refused write is shown on the form's field. Imports go through the ledgers' one import page
(``ledger_import`` with the keys ``enforcement.officers``, ``enforcement.exams``, ``enforcement.case_files``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from fazhi.core.errors import DomainError
from fazhi.core.xlsx import export_rows, xlsx_response
from fazhi.ledgers.common.viewing import record_viewed
from fazhi.ledgers.enforcement import selectors, services
from fazhi.ledgers.enforcement.checklist import CHECKLIST
from fazhi.ledgers.enforcement.forms import (
    EXAM_STATUSES,
    GRADES,
    OFFICER_STATUSES,
    CaseFileForm,
    CertificateForm,
    FilterForm,
    OfficerForm,
    YearForm,
)
from fazhi.ledgers.enforcement.importers import CaseFileImporter, ExamImporter, OfficerImporter
from fazhi.orgs import roles
from fazhi.orgs.access import has_any_capability, has_capability, orgs_for_user, require_capability

PER_PAGE = 50


def _page(**context) -> dict:
    return {"section": "ledgers", **context}


def _import_url(key: str) -> str:
    try:
        return reverse("ledger_import", args=[key])
    except NoReverseMatch:
        return ""


def _can_edit(user) -> bool:
    return has_any_capability(user, roles.LEDGER_EDIT)


def _page_of(request, queryset):
    return Paginator(queryset, PER_PAGE).get_page(request.GET.get("page"))


def _filters(request, statuses):
    """The filter form and its org subtree, year and status; ``valid`` is False when a filter was refused (e.g. an
    org code outside the scope: the form names it) and the list then shows nothing."""
    require_capability(request.user, roles.LEDGER_VIEW)
    form = FilterForm(request.GET or None, orgs=orgs_for_user(request.user, roles.LEDGER_VIEW), statuses=statuses)
    valid = not form.is_bound or form.is_valid()
    org = form.value("org") if form.is_bound else None
    year = form.value("year") if form.is_bound else None
    status = (form.value("status") or "") if form.is_bound else ""
    return form, org, year, status, valid


def _edit_orgs(user, current=None):
    """The orgs a form may place a record in: active ones the user may change the ledger of, and the record's
    ``current`` org (an inactive unit's records can still be corrected where they are)."""
    active = Q(is_active=True) if current is None else Q(is_active=True) | Q(pk=current.pk)
    return orgs_for_user(user, roles.LEDGER_EDIT).filter(active)


def _list(request, template: str, context: dict):
    name = f"{template}#results" if request.htmx else template
    return render(request, name, _page(**context))


def _form_page(request, form, save, *, title, cancel: str, saved):
    """A form page: on a valid POST, ``save(form)`` writes through a service and returns the object to go to (with
    the ``saved`` message); a refused write is shown on the form's field (400)."""
    if request.method == "POST" and form.is_valid():
        try:
            target = save(form)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, saved)
            return redirect(target)
    return render(
        request,
        "ledgers/enforcement/form.html",
        _page(form=form, title=title, cancel=cancel),
        status=400 if form.errors else 200,
    )


# --- Index ---------------------------------------------------------------------------------------------------


@login_required
@require_GET
def enforcement_index(request):
    require_capability(request.user, roles.LEDGER_VIEW)
    today = timezone.localdate()
    return render(
        request,
        "ledgers/enforcement/index.html",
        _page(
            counts=selectors.status_counts(request.user, on=today),
            statuses=OFFICER_STATUSES,
            today=today,
            can_edit=_can_edit(request.user),
            imports=[
                (_("Officers and certificates"), _import_url("enforcement.officers")),
                (_("Exams and training"), _import_url("enforcement.exams")),
                (_("Reviewed case files"), _import_url("enforcement.case_files")),
            ],
        ),
    )


# --- The three registers' lists and exports ---------------------------------------------------------------------


@dataclass(frozen=True)
class Register:
    """How a register is listed and exported: its statuses (the status filter), its page, its importer (whose
    columns the export writes), and its records for the filters (with what else its page shows)."""

    key: str  # the name in the audit of an export
    template: str
    filename: str
    statuses: object
    importer: type
    records: Callable[..., tuple[QuerySet, dict]]


def _officer_records(user, *, org, year, status):
    on = selectors.status_date(year)
    return selectors.officer_list(user, org=org, status=status, on=on), {"on": on, "can_edit": _can_edit(user)}


def _exam_records(user, *, org, year, status):
    years = selectors.exam_list(user, org=org, year=year, status=status)
    return years, {"pass_mark": settings.FAZHI_EXAM_PASS_MARK}


def _case_records(user, *, org, year, status):
    return selectors.case_file_list(user, org=org, year=year, grade=status), {"can_edit": _can_edit(user)}


OFFICERS = Register(
    "officers", "ledgers/enforcement/officer_list.html", "enforcement-officers.xlsx", OFFICER_STATUSES,
    OfficerImporter, _officer_records,
)  # fmt: skip
EXAMS = Register(
    "exams", "ledgers/enforcement/exam_list.html", "enforcement-exams.xlsx", EXAM_STATUSES,
    ExamImporter, _exam_records,
)  # fmt: skip
CASE_FILES = Register(
    "case_files", "ledgers/enforcement/casefile_list.html", "enforcement-case-files.xlsx", GRADES,
    CaseFileImporter, _case_records,
)  # fmt: skip


def _records(request, register: Register):
    form, org, year, status, valid = _filters(request, register.statuses)
    records, extra = register.records(request.user, org=org, year=year, status=status)
    return form, records if valid else records.none(), extra


def register_list(request, register: Register):
    form, records, extra = _records(request, register)
    return _list(request, register.template, {"filters": form, "page": _page_of(request, records), **extra})


def register_export(request, register: Register):
    """The filtered list (every page) in the import's columns; the download is audited (personal data)."""
    _form, records, _extra = _records(request, register)
    data = export_rows(register.importer, register.importer.rows_of(records))
    services.export_record(actor=request.user, register=register.key, filters=request.GET.dict(), count=records.count())
    return xlsx_response(data, register.filename)


def _register_view(view, register: Register):
    @login_required
    @require_GET
    def bound(request):
        return view(request, register)

    bound.__name__ = f"enforcement_{register.key}_{view.__name__.removeprefix('register_')}"
    bound.__doc__ = view.__doc__
    return bound


# --- Officers ------------------------------------------------------------------------------------------------


def _save_officer(request, form, officer=None):
    data = form.cleaned_data
    org = data["org"]
    if officer is None:
        return services.officer_create(
            actor=request.user,
            org=org,
            name=data["name"],
            id_number=data["id_number"],
            certificate_number=data.get("certificate_number") or "",
            issued_on=data.get("issued_on"),
            expires_on=data.get("expires_on"),
            joined_on=data.get("joined_on"),
            left_on=data.get("left_on"),
        )
    return services.officer_update(
        actor=request.user,
        officer=officer,
        org=org,
        name=data["name"],
        joined_on=data.get("joined_on"),
        left_on=data.get("left_on"),
    )


@login_required
@require_http_methods(["GET", "POST"])
def enforcement_officer_create(request):
    require_capability(request.user, roles.LEDGER_EDIT)
    form = OfficerForm(request.POST or None, orgs=_edit_orgs(request.user), create=True)
    return _form_page(
        request,
        form,
        lambda form: _save_officer(request, form),
        title=_("New enforcement officer"),
        cancel=reverse("enforcement_officer_list"),
        saved=_("Officer added."),
    )


@login_required
@require_GET
def enforcement_officer_detail(request, officer_id: int):
    officer = selectors.officer_get_for_user(request.user, officer_id)
    record_viewed(actor=request.user, record=officer, via="page")
    detail = selectors.officer_detail(officer)
    return render(
        request,
        "ledgers/enforcement/officer_detail.html",
        _page(
            officer=officer,
            **detail,
            can_edit=_can_edit(request.user) and _may_edit(request.user, officer.org),
            certificate_form=CertificateForm(),
            year_form=YearForm(initial={"year": detail["on"].year}),
        ),
    )


def _may_edit(user, org) -> bool:
    return has_capability(user, roles.LEDGER_EDIT, org)


@login_required
@require_http_methods(["GET", "POST"])
def enforcement_officer_edit(request, officer_id: int):
    officer = selectors.officer_get_for_user(request.user, officer_id, write=True)
    initial = {"org": officer.org, "name": officer.name, "joined_on": officer.joined_on, "left_on": officer.left_on}
    orgs = _edit_orgs(request.user, officer.org)
    form = OfficerForm(request.POST or None, orgs=orgs, create=False, initial=initial)
    return _form_page(
        request,
        form,
        lambda form: _save_officer(request, form, officer),
        title=_("Edit %(name)s") % {"name": officer.name},
        cancel=officer.get_absolute_url(),
        saved=_("Officer saved."),
    )


@login_required
@require_http_methods(["GET", "POST"])
def enforcement_certificate_create(request, officer_id: int):
    officer = selectors.officer_get_for_user(request.user, officer_id, write=True)

    def save(form):
        services.certificate_add(actor=request.user, officer=officer, **form.cleaned_data)
        return officer

    return _form_page(
        request,
        CertificateForm(request.POST or None),
        save,
        title=_("New certificate for %(name)s") % {"name": officer.name},
        cancel=officer.get_absolute_url(),
        saved=_("Certificate added."),
    )


YEAR_FIELDS = ("general_score", "general_absence", "special_score", "special_absence", "training_hours")


@login_required
@require_http_methods(["GET", "POST"])
def enforcement_year_record(request, officer_id: int):
    """Record (or correct) an officer's exams and training of a year (``?year=`` fills in what is recorded)."""
    officer = selectors.officer_get_for_user(request.user, officer_id, write=True)
    initial = {"year": timezone.localdate().year}
    try:
        wanted = int(request.GET.get("year", ""))
    except ValueError:
        wanted = None
    if wanted:
        initial["year"] = wanted
        recorded = officer.years.filter(year=wanted).first()
        if recorded is not None:
            initial |= {name: getattr(recorded, name) for name in YEAR_FIELDS}

    def save(form):
        data = form.cleaned_data
        services.officer_year_record(
            actor=request.user,
            officer=officer,
            year=data["year"],
            general_score=data["general_score"],
            general_absence=data["general_absence"] or "",
            special_score=data["special_score"],
            special_absence=data["special_absence"] or "",
            training_hours=data["training_hours"],
        )
        return officer

    return _form_page(
        request,
        YearForm(request.POST or None, initial=initial),
        save,
        title=_("Exams and training of %(name)s") % {"name": officer.name},
        cancel=officer.get_absolute_url(),
        saved=_("Exams and training recorded."),
    )


# --- Case files ----------------------------------------------------------------------------------------------


@login_required
@require_GET
def enforcement_casefile_detail(request, casefile_id: int):
    case = selectors.case_file_get_for_user(request.user, casefile_id)
    items = [(item, case.items.get(item.code)) for item in CHECKLIST]
    return render(
        request,
        "ledgers/enforcement/casefile_detail.html",
        _page(case=case, items=items, grade=services.grade(case.score), can_edit=_may_edit(request.user, case.org)),
    )


def _case_values(form) -> dict:
    data = form.cleaned_data
    return {
        "org": data["org"],
        "year": data["year"],
        "case_number": data["case_number"],
        "title": data["title"],
        "reviewed_on": data["reviewed_on"],
        "score": data["score"],
        "items": form.items(),
        **{flag: data[flag] for flag in services.CASE_FLAGS},
    }


@login_required
@require_http_methods(["GET", "POST"])
def enforcement_casefile_create(request):
    require_capability(request.user, roles.LEDGER_EDIT)
    form = CaseFileForm(
        request.POST or None, orgs=_edit_orgs(request.user), initial={"year": timezone.localdate().year}
    )
    return _form_page(
        request,
        form,
        lambda form: services.case_file_create(actor=request.user, **_case_values(form)),
        title=_("New reviewed case file"),
        cancel=reverse("enforcement_casefile_list"),
        saved=_("Case file added."),
    )


CASE_FIELDS = ("year", "case_number", "title", "reviewed_on", "score", *services.CASE_FLAGS)


@login_required
@require_http_methods(["GET", "POST"])
def enforcement_casefile_edit(request, casefile_id: int):
    case = selectors.case_file_get_for_user(request.user, casefile_id, write=True)
    initial = {
        "org": case.org,
        **{name: getattr(case, name) for name in CASE_FIELDS},
        **{f"item_{code}": points for code, points in case.items.items()},
    }

    def save(form):
        values = _case_values(form)
        if values["items"] and values["score"] == case.score:
            values["score"] = None  # the score follows the checklist unless it was changed by hand
        return services.case_file_update(actor=request.user, case=case, **values)

    return _form_page(
        request,
        CaseFileForm(request.POST or None, orgs=_edit_orgs(request.user, case.org), initial=initial),
        save,
        title=_("Edit case file %(number)s") % {"number": case.case_number},
        cancel=case.get_absolute_url(),
        saved=_("Case file saved."),
    )


urlpatterns = [
    path("", enforcement_index, name="enforcement_index"),
    path("officers/", _register_view(register_list, OFFICERS), name="enforcement_officer_list"),
    path("officers/export.xlsx", _register_view(register_export, OFFICERS), name="enforcement_officer_export"),
    path("officers/new/", enforcement_officer_create, name="enforcement_officer_create"),
    path("officers/<int:officer_id>/", enforcement_officer_detail, name="enforcement_officer_detail"),
    path("officers/<int:officer_id>/edit/", enforcement_officer_edit, name="enforcement_officer_edit"),
    path(
        "officers/<int:officer_id>/certificates/new/",
        enforcement_certificate_create,
        name="enforcement_certificate_create",
    ),
    path("officers/<int:officer_id>/year/", enforcement_year_record, name="enforcement_year_record"),
    path("exams/", _register_view(register_list, EXAMS), name="enforcement_exam_list"),
    path("exams/export.xlsx", _register_view(register_export, EXAMS), name="enforcement_exam_export"),
    path("cases/", _register_view(register_list, CASE_FILES), name="enforcement_casefile_list"),
    path("cases/export.xlsx", _register_view(register_export, CASE_FILES), name="enforcement_casefile_export"),
    path("cases/new/", enforcement_casefile_create, name="enforcement_casefile_create"),
    path("cases/<int:casefile_id>/", enforcement_casefile_detail, name="enforcement_casefile_detail"),
    path("cases/<int:casefile_id>/edit/", enforcement_casefile_edit, name="enforcement_casefile_edit"),
]
