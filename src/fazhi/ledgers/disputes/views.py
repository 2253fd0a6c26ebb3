"""Pages of the ledger "Disputes": an index, and for each of the four registers a filtered, paginated list, a
detail page, create and edit forms and an XLSX export of the list. Imports go through the ledgers' one import page
(``ledger_import`` with the keys ``disputes.reconsideration``, ``disputes.litigation``, ``disputes.mediation``,
``disputes.disclosure``).

The registers share one set of views, parameterised by the register's name; each URL has its own name
(``reconsideration_list``, ``mediation_detail``, …). Records are fetched through the selectors (404 outside the
user's scope, 403 for a write without LEDGER_EDIT) and written through the services.
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Model
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fazhi.core.errors import DomainError
from fazhi.core.xlsx import export_rows, xlsx_response
from fazhi.ledgers.common.viewing import record_viewed
from fazhi.ledgers.disputes import selectors, services
from fazhi.ledgers.disputes.forms import ExtendForm, FilterForm, RecordForm
from fazhi.ledgers.disputes.importers import IMPORTERS
from fazhi.orgs import roles
from fazhi.orgs.access import has_any_capability, has_capability, orgs_for_user, require_capability

PAGE_SIZE = 50

TITLES = {
    "reconsideration": gettext_lazy("Reconsideration cases"),
    "litigation": gettext_lazy("Litigation cases"),
    "mediation": gettext_lazy("Mediations"),
    "disclosure": gettext_lazy("Disclosure requests"),
}
# The columns of each list (field names; "org" is the organisation, "due_on"/"on_time" derived).
LIST_COLUMNS = {
    "reconsideration": ("case_number", "matter", "org", "accepted_on", "due_on", "decided_on", "decision"),
    "litigation": ("case_number", "court", "org", "hearing_on", "head_appeared", "outcome", "complied"),
    "mediation": ("number", "kind", "matter", "org", "screened_on", "mediated_on", "outcome"),
    "disclosure": ("number", "subject", "org", "received_on", "due_on", "answered_on", "reply"),
}
# Fields never shown on the list (personal data appears on the detail page only, to people in scope).
# The registers whose period may be extended once, and how (the services' description).
EXTENDABLE = services.EXTENSIONS


def _display(record: Model, field: str):
    if field == "org":
        return record.org.name
    if field == "on_time":
        value = record.on_time
    else:
        model_field = record._meta.get_field(field)
        if model_field.choices:
            return getattr(record, f"get_{field}_display")() or "—"
        value = getattr(record, field)
    if value is None or value == "":
        return "—"
    if value is True:
        return _("Yes")
    if value is False:
        return _("No")
    return value


def _label(model, field: str):
    if field == "org":
        return _("Organisation")
    if field == "on_time":
        return _("On time")
    return model._meta.get_field(field).verbose_name


def import_url(register: str) -> str:
    """The ledgers' one import page for the register, with a way back to the register's list."""
    page = reverse("ledger_import", kwargs={"importer_key": f"disputes.{register}"})
    return f"{page}?{urlencode({'back': reverse(f'{register}_list')})}"


def _context(register: str, **context) -> dict:
    return {
        "section": "ledgers",
        "register": register,
        "register_title": TITLES[register],
        "import_url": import_url(register),
        **context,
    }


@login_required
@require_GET
def disputes_index(request):
    require_capability(request.user, roles.LEDGER_VIEW)
    counts = selectors.register_counts(request.user)
    registers = [
        {"name": name, "title": TITLES[name], "counts": counts[name], "import_url": import_url(name)}
        for name in selectors.REGISTERS
    ]
    return render(
        request,
        "ledgers/disputes/index.html",
        {"section": "ledgers", "registers": registers, "can_edit": has_any_capability(request.user, roles.LEDGER_EDIT)},
    )


def _filtered(request, register: str):
    """The filter form, the filtered records, the org subtree filtered on, and whether the org code was refused.
    Filters that do not validate show no records (the form names what is wrong, e.g. an org outside the scope)."""
    spec = selectors.REGISTERS[register]
    filters = FilterForm(
        request.GET or None, orgs=orgs_for_user(request.user, roles.LEDGER_VIEW), statuses=spec.statuses
    )
    org, year, status = None, None, ""
    valid = not filters.is_bound or filters.is_valid()
    if filters.is_bound and valid:
        org, year, status = (filters.cleaned_data[k] for k in ("org", "year", "status"))
    records = selectors.records_for_user(request.user, register, org=org, year=year, status=status)
    if not valid:
        records = records.none()
    return filters, records, org, "org" in filters.errors


def record_list(request, register: str):
    require_capability(request.user, roles.LEDGER_VIEW)
    filters, records, org, org_not_found = _filtered(request, register)
    page = Paginator(records, PAGE_SIZE).get_page(request.GET.get("page"))
    model = selectors.REGISTERS[register].model
    columns = LIST_COLUMNS[register]
    rows = [(record, [_display(record, c) for c in columns]) for record in page.object_list]
    query = request.GET.copy()
    query.pop("page", None)
    template = "ledgers/disputes/list.html#results" if request.htmx else "ledgers/disputes/list.html"
    return render(
        request,
        template,
        _context(
            register,
            filters=filters,
            page=page,
            rows=rows,
            headers=[_label(model, c) for c in columns],
            org=org,
            org_not_found=org_not_found,
            query=query.urlencode(),
            can_edit=has_any_capability(request.user, roles.LEDGER_EDIT),
        ),
    )


def record_export(request, register: str):
    """The filtered list (every page) in the import's columns; exporting personal data is audited."""
    require_capability(request.user, roles.LEDGER_VIEW)
    _filters, records, _org, _missing = _filtered(request, register)
    importer = IMPORTERS[register]
    rows = [importer.export_row(record) for record in records]
    services.register_exported(actor=request.user, register=register, count=len(rows), query=request.GET.urlencode())
    return xlsx_response(export_rows(importer, rows), f"disputes-{register}.xlsx")


def record_detail(request, register: str, pk: int):
    record = selectors.record_get_for_user(request.user, register, pk)
    if record.holds_personal_data:
        record_viewed(actor=request.user, record=record, via="page")
    spec = services.SPECS[register]
    fields = ["org", *spec.fields]
    if register in EXTENDABLE:
        fields.insert(fields.index("extension_days") + 1, "due_on")
        fields.append("on_time")
    if register == "reconsideration":
        fields.insert(fields.index("handlers") + 1, "handler_count")
    can_edit = has_capability(request.user, roles.LEDGER_EDIT, record.org)
    extension = EXTENDABLE.get(register)
    return render(
        request,
        "ledgers/disputes/detail.html",
        _context(
            register,
            record=record,
            items=[(_label(spec.model, f), _display(record, f)) for f in fields],
            can_edit=can_edit,
            can_extend=bool(
                can_edit and extension and not record.extension_days and getattr(record, extension.done_field) is None
            ),
            extend_form=ExtendForm() if extension else None,
            extend_unit=extension.unit if extension else None,
            extend_max=getattr(settings, extension.max_setting) if extension else None,
        ),
    )


def _create_service(register: str):
    return getattr(services, f"{register}_create")


def record_create(request, register: str):
    require_capability(request.user, roles.LEDGER_EDIT)
    orgs = orgs_for_user(request.user, roles.LEDGER_EDIT).filter(is_active=True)
    form = RecordForm(request.POST if request.method == "POST" else None, register=register, orgs=orgs)
    if request.method == "POST" and form.is_valid():
        try:
            record = _create_service(register)(
                actor=request.user, org=form.cleaned_data["org"], **form.service_fields()
            )
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("%(record)s was recorded.") % {"record": record})
            return redirect(record.get_absolute_url())
    return render(
        request,
        "ledgers/disputes/form.html",
        _context(register, form=form, record=None),
        status=400 if form.is_bound else 200,
    )


def record_edit(request, register: str, pk: int):
    record = selectors.record_get_for_user(request.user, register, pk, write=True)
    spec = services.SPECS[register]
    initial = {field: getattr(record, field) for field in spec.fields}
    form = RecordForm(request.POST if request.method == "POST" else None, register=register, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            record = services.record_update(spec, actor=request.user, record=record, fields=form.service_fields())
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("%(record)s was saved.") % {"record": record})
            return redirect(record.get_absolute_url())
    return render(
        request,
        "ledgers/disputes/form.html",
        _context(register, form=form, record=record),
        status=400 if form.is_bound else 200,
    )


def record_extend(request, register: str, pk: int):
    record = selectors.record_get_for_user(request.user, register, pk, write=True)
    form = ExtendForm(request.POST)
    if form.is_valid():
        spec = services.SPECS[register]
        try:
            record = services.record_extend(spec, actor=request.user, record=record, days=form.cleaned_data["days"])
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Extended; now due on %(date)s.") % {"date": record.due_on.isoformat()})
    else:
        messages.error(request, _("Give the length of the extension."))
    return redirect(record.get_absolute_url())


def _bind(view, register: str, *decorators):
    def bound(request, **kwargs):
        return view(request, register, **kwargs)

    bound.__name__ = f"{register}_{view.__name__.removeprefix('record_')}"
    bound.__doc__ = view.__doc__
    for decorator in reversed(decorators):
        bound = decorator(bound)
    return login_required(bound)


def _patterns(register: str) -> list:
    get, form, post = require_GET, require_http_methods(["GET", "POST"]), require_POST
    patterns = [
        path(f"{register}/", _bind(record_list, register, get), name=f"{register}_list"),
        path(f"{register}/new/", _bind(record_create, register, form), name=f"{register}_create"),
        path(f"{register}/export.xlsx", _bind(record_export, register, get), name=f"{register}_export"),
        path(f"{register}/<int:pk>/", _bind(record_detail, register, get), name=f"{register}_detail"),
        path(f"{register}/<int:pk>/edit/", _bind(record_edit, register, form), name=f"{register}_edit"),
    ]
    if register in EXTENDABLE:
        patterns.append(
            path(f"{register}/<int:pk>/extend/", _bind(record_extend, register, post), name=f"{register}_extend")
        )
    return patterns


urlpatterns: list = [
    path("", disputes_index, name="disputes_index"),
    *(pattern for register in selectors.REGISTERS for pattern in _patterns(register)),
]
