"""Pages of the ledger "Administrative enforcement": officers (with certificates and their years' exams and
training), the exam register, and the reviewed case files; lists with filters and XLSX exports, details, forms.

Views fetch through the selectors (scoped by ``ledger.view``; a write needs ``ledger.edit``) and write through the
services; a refused write is shown on the form's field. Imports go through the ledgers' one import page
(``ledger_import`` with the keys ``enforcement.officers``, ``enforcement.exams``, ``enforcement.case_files``).
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
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


def _edit_orgs(user):
    return orgs_for_user(user, roles.LEDGER_EDIT).filter(is_active=True)


def _list(request, template: str, context: dict):
    name = f"{template}#results" if request.htmx else template
    return render(request, name, _page(**context))


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


# --- Officers ------------------------------------------------------------------------------------------------


def _officers(request):
    form, org, year, status, valid = _filters(request, OFFICER_STATUSES)
    on = selectors.status_date(year)
    officers = selectors.officer_list(request.user, org=org, status=status, on=on)
    return form, officers if valid else officers.none(), on


@login_required
@require_GET
def enforcement_officer_list(request):
    form, officers, on = _officers(request)
    return _list(
        request,
        "ledgers/enforcement/officer_list.html",
        {"filters": form, "page": _page_of(request, officers), "on": on, "can_edit": _can_edit(request.user)},
    )


@login_required
@require_GET
def enforcement_officer_export(request):
    _form, officers, _on = _officers(request)
    data = export_rows(OfficerImporter, OfficerImporter.rows_of(officers))
    services.export_record(actor=request.user, register="officers", filters=request.GET.dict(), count=officers.count())
    return xlsx_response(data, "enforcement-officers.xlsx")


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
    orgs = _edit_orgs(request.user)
    form = OfficerForm(request.POST or None, orgs=orgs, create=True)
    if request.method == "POST" and form.is_valid():
        try:
            officer = _save_officer(request, form)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Officer added."))
            return redirect(officer)
    return render(
        request,
        "ledgers/enforcement/form.html",
        _page(form=form, title=_("New enforcement officer"), cancel=reverse("enforcement_officer_list")),
        status=400 if form.errors else 200,
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
    orgs = _edit_orgs(request.user)
    initial = {
        "org": officer.org,
        "name": officer.name,
        "joined_on": officer.joined_on,
        "left_on": officer.left_on,
    }
    form = OfficerForm(request.POST or None, orgs=orgs, create=False, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            _save_officer(request, form, officer)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Officer saved."))
            return redirect(officer)
    return render(
        request,
        "ledgers/enforcement/form.html",
        _page(
            form=form,
            title=_("Edit %(name)s") % {"name": officer.name},
            cancel=officer.get_absolute_url(),
        ),
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def enforcement_certificate_create(request, officer_id: int):
    officer = selectors.officer_get_for_user(request.user, officer_id, write=True)
    form = CertificateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.certificate_add(actor=request.user, officer=officer, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Certificate added."))
            return redirect(officer)
    return render(
        request,
        "ledgers/enforcement/form.html",
        _page(
            form=form,
            title=_("New certificate for %(name)s") % {"name": officer.name},
            cancel=officer.get_absolute_url(),
        ),
        status=400 if form.errors else 200,
    )


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
            initial |= {
                name: getattr(recorded, name)
                for name in ("general_score", "general_absence", "special_score", "special_absence", "training_hours")
            }
    form = YearForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
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
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Exams and training recorded."))
            return redirect(officer)
    return render(
        request,
        "ledgers/enforcement/form.html",
        _page(
            form=form,
            title=_("Exams and training of %(name)s") % {"name": officer.name},
            cancel=officer.get_absolute_url(),
        ),
        status=400 if form.errors else 200,
    )


# --- Exams ---------------------------------------------------------------------------------------------------


def _exams(request):
    form, org, year, status, valid = _filters(request, EXAM_STATUSES)
    years = selectors.exam_list(request.user, org=org, year=year, status=status)
    return form, years if valid else years.none()


@login_required
@require_GET
def enforcement_exam_list(request):
    form, years = _exams(request)
    return _list(
        request,
        "ledgers/enforcement/exam_list.html",
        {"filters": form, "page": _page_of(request, years), "pass_mark": settings.FAZHI_EXAM_PASS_MARK},
    )


@login_required
@require_GET
def enforcement_exam_export(request):
    _form, years = _exams(request)
    data = export_rows(ExamImporter, ExamImporter.rows_of(years))
    services.export_record(actor=request.user, register="exams", filters=request.GET.dict(), count=years.count())
    return xlsx_response(data, "enforcement-exams.xlsx")


# --- Case files ----------------------------------------------------------------------------------------------


def _cases(request):
    form, org, year, grade, valid = _filters(request, GRADES)
    cases = selectors.case_file_list(request.user, org=org, year=year, grade=grade)
    return form, cases if valid else cases.none()


@login_required
@require_GET
def enforcement_casefile_list(request):
    form, cases = _cases(request)
    return _list(
        request,
        "ledgers/enforcement/casefile_list.html",
        {"filters": form, "page": _page_of(request, cases), "can_edit": _can_edit(request.user)},
    )


@login_required
@require_GET
def enforcement_casefile_export(request):
    _form, cases = _cases(request)
    data = export_rows(CaseFileImporter, CaseFileImporter.rows_of(cases))
    services.export_record(actor=request.user, register="case_files", filters=request.GET.dict(), count=cases.count())
    return xlsx_response(data, "enforcement-case-files.xlsx")


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


def _case_values(request, form) -> dict:
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
    orgs = _edit_orgs(request.user)
    form = CaseFileForm(request.POST or None, orgs=orgs, initial={"year": timezone.localdate().year})
    if request.method == "POST" and form.is_valid():
        try:
            case = services.case_file_create(actor=request.user, **_case_values(request, form))
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Case file added."))
            return redirect(case)
    return render(
        request,
        "ledgers/enforcement/form.html",
        _page(form=form, title=_("New reviewed case file"), cancel=reverse("enforcement_casefile_list")),
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def enforcement_casefile_edit(request, casefile_id: int):
    case = selectors.case_file_get_for_user(request.user, casefile_id, write=True)
    orgs = _edit_orgs(request.user)
    initial = {
        "org": case.org,
        **{
            name: getattr(case, name)
            for name in ("year", "case_number", "title", "reviewed_on", "score", *services.CASE_FLAGS)
        },
        **{f"item_{code}": points for code, points in case.items.items()},
    }
    form = CaseFileForm(request.POST or None, orgs=orgs, initial=initial)
    if request.method == "POST" and form.is_valid():
        values = _case_values(request, form)
        if values["items"] and values["score"] == case.score:
            values["score"] = None  # the score follows the checklist unless it was changed by hand
        try:
            case = services.case_file_update(actor=request.user, case=case, **values)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Case file saved."))
            return redirect(case)
    return render(
        request,
        "ledgers/enforcement/form.html",
        _page(
            form=form,
            title=_("Edit case file %(number)s") % {"number": case.case_number},
            cancel=case.get_absolute_url(),
        ),
        status=400 if form.errors else 200,
    )


urlpatterns = [
    path("", enforcement_index, name="enforcement_index"),
    path("officers/", enforcement_officer_list, name="enforcement_officer_list"),
    path("officers/export.xlsx", enforcement_officer_export, name="enforcement_officer_export"),
    path("officers/new/", enforcement_officer_create, name="enforcement_officer_create"),
    path("officers/<int:officer_id>/", enforcement_officer_detail, name="enforcement_officer_detail"),
    path("officers/<int:officer_id>/edit/", enforcement_officer_edit, name="enforcement_officer_edit"),
    path(
        "officers/<int:officer_id>/certificates/new/",
        enforcement_certificate_create,
        name="enforcement_certificate_create",
    ),
    path("officers/<int:officer_id>/year/", enforcement_year_record, name="enforcement_year_record"),
    path("exams/", enforcement_exam_list, name="enforcement_exam_list"),
    path("exams/export.xlsx", enforcement_exam_export, name="enforcement_exam_export"),
    path("cases/", enforcement_casefile_list, name="enforcement_casefile_list"),
    path("cases/export.xlsx", enforcement_casefile_export, name="enforcement_casefile_export"),
    path("cases/new/", enforcement_casefile_create, name="enforcement_casefile_create"),
    path("cases/<int:casefile_id>/", enforcement_casefile_detail, name="enforcement_casefile_detail"),
    path("cases/<int:casefile_id>/edit/", enforcement_casefile_edit, name="enforcement_casefile_edit"),
]
