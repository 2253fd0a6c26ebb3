"""Pages of the ledger "Normative documents": the index, the filtered list (htmx results, XLSX export), a
document's page with the workflow's next steps, create and edit forms, and cleanups (清理) with an outcome per
document. The import is the ledgers' shared page (``ledger_import`` with the importer key "documents").

Documents are fetched through ``selectors.document_get_for_user`` (404 outside the ledger scope, 403 for a write
without LEDGER_EDIT) and written through ``services``; a rule's refusal shows on its form field.
"""

from __future__ import annotations

import datetime as dt

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fazhi.core.errors import DomainError
from fazhi.core.xlsx import export_rows, xlsx_response
from fazhi.ledgers.common.forms import OrgField
from fazhi.ledgers.documents import forms as f
from fazhi.ledgers.documents import rules, selectors, services
from fazhi.ledgers.documents.importers import DocumentImporter, document_export_row
from fazhi.ledgers.documents.models import DocumentStatus
from fazhi.ledgers.documents.steps import STEPS, step_apply
from fazhi.orgs import roles
from fazhi.orgs.access import has_any_capability, has_capability, orgs_for_user, require_capability, scope_q


def _context(**context) -> dict:
    return {"section": "ledgers", **context}


class FilterForm(forms.Form):
    org = OrgField(required=False, help_text="")
    year = forms.IntegerField(required=False, min_value=1949, max_value=2100)
    status = forms.ChoiceField(required=False)
    q = forms.CharField(required=False, max_length=100)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = orgs_for_user(user, roles.LEDGER_VIEW)
        self.fields["org"].label = gettext_lazy("Organisation code (with everything below it)")
        self.fields["year"].label = gettext_lazy("Year")
        self.fields["status"].label = gettext_lazy("Status")
        self.fields["q"].label = gettext_lazy("Title or number")
        self.fields["status"].choices = [
            ("", gettext_lazy("Any")),
            ("active", gettext_lazy("In progress (not yet published)")),
            *DocumentStatus.choices,
        ]
        for field in self.fields.values():
            css = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
            field.widget.attrs["class"] = css


def _filtered(request):
    """The filter form and the documents it selects; an org code outside the scope selects nothing (its error
    names the code)."""
    filters = FilterForm(request.GET or None, user=request.user)
    kwargs: dict = {"user": request.user}
    org = None
    org_not_found = filters.is_bound and not filters.is_valid() and "org" in filters.errors
    if filters.is_valid():
        org = filters.cleaned_data["org"]
        kwargs.update(
            org=org,
            year=filters.cleaned_data["year"],
            status=filters.cleaned_data["status"],
            query=filters.cleaned_data["q"],
        )
    documents = selectors.documents_for_user(**kwargs)
    if org_not_found:
        documents = documents.none()
    return filters, documents, org, org_not_found


def _query(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


@login_required
@require_GET
def document_index(request):
    require_capability(request.user, roles.LEDGER_VIEW)
    today = timezone.localdate()
    soon = today + dt.timedelta(days=settings.FAZHI_DEADLINE_SOON_DAYS)
    due = list(selectors.deadlines(scope_q(request.user, roles.LEDGER_VIEW, "org__path"), dt.date(1900, 1, 1), soon))
    return render(
        request,
        "ledgers/documents/index.html",
        _context(
            due=due[:50],
            today=today,
            can_edit=has_any_capability(request.user, roles.LEDGER_EDIT),
            cleanups=selectors.cleanups_for_user(user=request.user)[:10],
        ),
    )


@login_required
@require_GET
def document_list(request):
    require_capability(request.user, roles.LEDGER_VIEW)
    filters, documents, org, org_not_found = _filtered(request)
    page = Paginator(documents, selectors.PAGE_SIZE).get_page(request.GET.get("page"))
    today = timezone.localdate()
    rows = [(d, DocumentStatus(d.status_on(today)).label) for d in page.object_list]
    template = "ledgers/documents/list.html#results" if request.htmx else "ledgers/documents/list.html"
    return render(
        request,
        template,
        _context(
            filters=filters,
            page=page,
            rows=rows,
            org=org,
            org_not_found=org_not_found,
            query=_query(request),
            can_edit=has_any_capability(request.user, roles.LEDGER_EDIT),
        ),
    )


@login_required
@require_GET
def document_export(request):
    require_capability(request.user, roles.LEDGER_VIEW)
    _filters, documents, _org, _nf = _filtered(request)
    rows = (document_export_row(d) for d in documents.iterator(chunk_size=2000))
    return xlsx_response(export_rows(DocumentImporter, rows), "normative-documents.xlsx")


def _in_edit_scope(user, service):
    """``service`` called with the form's data once the user is known to hold LEDGER_EDIT over its ``org``."""

    def save(data):
        require_capability(user, roles.LEDGER_EDIT, data["org"])
        return service(actor=user, **data)

    return save


def _form_page(request, form, save, *, template: str, success: str = "", **context):
    """The one shape of the ledger's form pages (new and edited documents, a new cleanup): a valid POST calls
    ``save(cleaned_data)`` — a service — and redirects to the record it returns (with ``success``); a DomainError
    shows on the field it names (400)."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            if success:
                messages.success(request, success)
            return redirect(saved)
    return render(request, template, _context(form=form, **context), status=400 if form.is_bound else 200)


@login_required
@require_http_methods(["GET", "POST"])
def document_create(request):
    require_capability(request.user, roles.LEDGER_EDIT)
    form = f.DocumentForm(request.POST if request.method == "POST" else None, orgs=selectors.edit_orgs(request.user))
    return _form_page(
        request,
        form,
        _in_edit_scope(request.user, services.document_create),
        template="ledgers/documents/form.html",
        success=_("The document was recorded."),
        document=None,
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_edit(request, pk: int):
    document = selectors.document_get_for_user(request.user, pk, write=True)
    initial = {name: getattr(document, name) for name in services.EDITABLE}
    form = f.DocumentForm(request.POST if request.method == "POST" else None, initial=initial, editing=True)
    return _form_page(
        request,
        form,
        lambda data: services.document_update(actor=request.user, document=document, **data),
        template="ledgers/documents/form.html",
        success=_("The document was saved."),
        document=document,
    )


# --- The workflow's steps -----------------------------------------------------------------------------------------


def _forms_for(request, document, data=None, only: str | None = None) -> dict:
    """The forms of the steps open now (by status), bound to ``data`` for the one named ``only``."""

    def bound(name):
        return data if name == only else None

    steps = {
        "comment": lambda: f.CommentForm(bound("comment")),
        "submit_review": lambda: f.SubmitReviewForm(bound("submit_review")),
        "review": lambda: f.ReviewForm(bound("review")),
        "decide": lambda: f.DecideForm(bound("decide")),
        "register": lambda: f.RegisterForm(
            bound("register"),
            offices=selectors.offices(request.user),
            initial={"effective_from": document.effective_from, "expires_on": document.expires_on},
        ),
        "publish": lambda: f.PublishForm(bound("publish")),
        "file": lambda: f.FileForm(bound("file")),
        "evaluate": lambda: f.EvaluateForm(bound("evaluate")),
        "end": lambda: f.EndForm(
            bound("end"), candidates=selectors.replacement_candidates(user=request.user, document=document)
        ),
    }
    return {
        name: make()
        for name, make in steps.items()
        if rules.allowed(name, document.status) and (only is None or name == only)
    }


def _detail(request, document, step_forms, status=200):
    today = timezone.localdate()
    return render(
        request,
        "ledgers/documents/detail.html",
        _context(
            document=document,
            shown_status=DocumentStatus(document.status_on(today)).label,
            can_edit=has_capability(request.user, roles.LEDGER_EDIT, document.org),
            editable=rules.allowed("update", document.status),
            steps=[(name, STEPS[name].title, form) for name, form in step_forms.items()],
            failed_step=next((name for name, form in step_forms.items() if form.is_bound), None),
            today=today,
        ),
        status=status,
    )


@login_required
@require_GET
def document_detail(request, pk: int):
    document = selectors.document_get_for_user(request.user, pk)
    can_edit = has_capability(request.user, roles.LEDGER_EDIT, document.org)
    return _detail(request, document, _forms_for(request, document) if can_edit else {})


@login_required
@require_POST
def document_step(request, pk: int, step: str):
    document = selectors.document_get_for_user(request.user, pk, write=True)
    step_forms = _forms_for(request, document, request.POST, only=step)
    form = step_forms.get(step)
    if form is None:
        messages.error(request, _("This step is not open for the document now."))
        return redirect(document)
    if form.is_valid():
        try:
            step_apply(step, actor=request.user, document=document, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Saved."))
            return redirect(document)
    return _detail(request, document, step_forms, status=400)


# --- Cleanups -----------------------------------------------------------------------------------------------------


@login_required
@require_GET
def document_cleanup_list(request):
    require_capability(request.user, roles.LEDGER_VIEW)
    return render(
        request,
        "ledgers/documents/cleanup_list.html",
        _context(
            cleanups=selectors.cleanups_for_user(user=request.user)[:200],
            can_edit=has_any_capability(request.user, roles.LEDGER_EDIT),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_cleanup_create(request):
    require_capability(request.user, roles.LEDGER_EDIT)
    form = f.CleanupForm(
        request.POST if request.method == "POST" else None,
        orgs=selectors.edit_orgs(request.user),
        initial={"started_on": timezone.localdate()},
    )
    return _form_page(
        request,
        form,
        _in_edit_scope(request.user, services.cleanup_start),
        template="ledgers/documents/cleanup_form.html",
    )


@login_required
@require_GET
def document_cleanup_detail(request, cleanup_pk: int):
    cleanup = selectors.cleanup_get_for_user(request.user, cleanup_pk)
    return _cleanup_page(request, cleanup)


def _cleanup_page(request, cleanup, *, failed=None, form=None, status=200):
    items = list(selectors.cleanup_items(cleanup))
    return render(
        request,
        "ledgers/documents/cleanup_detail.html",
        _context(
            cleanup=cleanup,
            items=items,
            can_edit=has_capability(request.user, roles.LEDGER_EDIT, cleanup.org),
            decide_form=f.CleanupDecideForm(initial={"decided_on": timezone.localdate()}),
            failed=failed,
            failed_form=form,
        ),
        status=status,
    )


@login_required
@require_POST
def document_cleanup_decide(request, cleanup_pk: int, cleanup_item_pk: int):
    cleanup = selectors.cleanup_get_for_user(request.user, cleanup_pk, write=True)
    item = selectors.cleanup_item_get(cleanup, cleanup_item_pk)
    form = f.CleanupDecideForm(request.POST)
    if form.is_valid():
        try:
            services.cleanup_item_decide(actor=request.user, item=item, **form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, _("Saved."))
            return redirect(cleanup)
    return _cleanup_page(request, cleanup, failed=item.pk, form=form, status=400)


urlpatterns = [
    path("", document_index, name="document_index"),
    path("list/", document_list, name="document_list"),
    path("export.xlsx", document_export, name="document_export"),
    path("new/", document_create, name="document_create"),
    path("<int:pk>/", document_detail, name="document_detail"),
    path("<int:pk>/edit/", document_edit, name="document_edit"),
    path("<int:pk>/step/<slug:step>/", document_step, name="document_step"),
    path("cleanups/", document_cleanup_list, name="document_cleanup_list"),
    path("cleanups/new/", document_cleanup_create, name="document_cleanup_create"),
    path("cleanups/<int:cleanup_pk>/", document_cleanup_detail, name="document_cleanup_detail"),
    path(
        "cleanups/<int:cleanup_pk>/items/<int:cleanup_item_pk>/",
        document_cleanup_decide,
        name="document_cleanup_decide",
    ),
]
