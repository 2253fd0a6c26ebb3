"""Pages of the ledger "Major administrative decisions": the catalogue (list with filters, XLSX export; the import
is the ledgers' shared page, importer key "decisions"), a decision with its procedures and evidence, and the forms
that record steps, decide, withdraw and evaluate.

Every view fetches through ``selectors`` (404 outside the scope, 403 for a write without ``ledger.edit``) and writes
through ``services``; a broken rule comes back on the form's field.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fazhi.core.errors import DomainError
from fazhi.core.xlsx import export_rows, xlsx_response
from fazhi.ledgers.common.viewing import record_viewed
from fazhi.ledgers.decisions import rules, selectors, services
from fazhi.ledgers.decisions.forms import (
    DecisionCreateForm,
    DecisionForm,
    EvaluateForm,
    EvidenceForm,
    FilterForm,
    ProcedureForm,
    WithdrawForm,
)
from fazhi.ledgers.decisions.importers import DecisionImporter, decision_export_rows
from fazhi.ledgers.decisions.models import ProcedureKind
from fazhi.orgs import roles
from fazhi.orgs.access import has_any_capability, has_capability, require_capability

SECTION = "ledgers"


def _context(**context) -> dict:
    return {"section": SECTION, **context}


def _form_page(request, form, save, *, success: str, title: str, decision=None, danger: bool = False):
    """The one shape of the ledger's form pages (new, edit, a step, withdraw, evaluate): GET shows ``form``; a valid
    POST calls ``save(cleaned_data)`` — a service — and redirects to the record it returns with ``success``; a
    DomainError shows on the field it names (400)."""
    if request.method == "POST" and form.is_valid():
        try:
            saved = save(form.cleaned_data)
        except DomainError as error:
            form.add_domain_error(error)
        else:
            messages.success(request, success)
            return redirect(saved)
    return render(
        request,
        "ledgers/decisions/decision_form.html",
        _context(form=form, decision=decision, title=title, danger=danger),
        status=400 if form.is_bound and form.errors else 200,
    )


def _filtered(request):
    """The list's filter form and the decisions it selects; an org code outside the scope selects nothing (the
    form's error names the code)."""
    form = FilterForm(
        request.GET or None,
        orgs=selectors.filter_orgs(request.user),
        years=selectors.decision_years(request.user),
    )
    org = year = None
    status = ""
    if form.is_bound and not form.is_valid():
        if "org" in form.errors:
            return form, selectors.decisions_for_user(request.user).none()
    elif form.is_bound:
        org = form.cleaned_data["org"]
        year = form.cleaned_data["year"]
        status = form.cleaned_data["status"]
    return form, selectors.decisions_for_user(request.user, org=org, year=year, status=status)


@login_required
@require_GET
def decision_list(request):
    require_capability(request.user, roles.LEDGER_VIEW)
    form, decisions = _filtered(request)
    try:
        number = max(1, int(request.GET.get("page", 1)))
    except ValueError:
        number = 1
    page = Paginator(decisions, selectors.PAGE_SIZE).get_page(number)
    template = "ledgers/decisions/decision_list.html"
    if request.htmx:
        template += "#results"
    return render(
        request,
        template,
        _context(filters=form, page=page, can_edit=has_any_capability(request.user, roles.LEDGER_EDIT)),
    )


@login_required
@require_GET
def decision_export(request):
    require_capability(request.user, roles.LEDGER_VIEW)
    _form, decisions = _filtered(request)
    rows = decision_export_rows(decisions.prefetch_related("procedures").iterator(chunk_size=2000))
    return xlsx_response(export_rows(DecisionImporter, rows), "major-decisions.xlsx")


@login_required
@require_http_methods(["GET", "POST"])
def decision_create(request):
    require_capability(request.user, roles.LEDGER_EDIT)
    initial = {"year": _this_year()}
    form = DecisionCreateForm(
        request.POST if request.method == "POST" else None, initial=initial, orgs=selectors.edit_orgs(request.user)
    )
    return _form_page(
        request,
        form,
        lambda data: services.decision_create(actor=request.user, **data),
        success=_("The decision is in the catalogue."),
        title=_("New major decision"),
    )


def _this_year() -> int:
    return timezone.localdate().year


@login_required
@require_GET
def decision_detail(request, pk: int):
    decision = selectors.decision_get_for_user(request.user, pk)
    procedures = selectors.decision_procedures(decision)
    by_kind = {p.kind: p for p in procedures}
    needed = set(
        rules.required_steps(services.facts_of(decision), risk_categories=settings.FAZHI_DECISION_RISK_CATEGORIES)
    )
    steps = [
        {"kind": kind, "label": label, "required": kind in needed, "procedure": by_kind.get(kind)}
        for kind, label in ProcedureKind.choices
    ]
    problems = (
        [services.message(problem) for _step, problem in services.decide_problems(decision, procedures)]
        if decision.is_open
        else []
    )
    review = by_kind.get(rules.LEGALITY_REVIEW)
    hearing = by_kind.get(rules.HEARING)
    warnings = []
    if review is not None and review.review_period_ok is False:
        warnings.append(
            _("The legality review was given fewer than %(days)d working days.")
            % {"days": settings.FAZHI_DECISION_REVIEW_WORKING_DAYS}
        )
    if hearing is not None and not rules.hearing_notice_ok(
        rules.Step(hearing.started_on, hearing.ended_on), notice_days=settings.FAZHI_DECISION_HEARING_NOTICE_DAYS
    ):
        warnings.append(
            _("The hearing was announced fewer than %(days)d days ahead.")
            % {"days": settings.FAZHI_DECISION_HEARING_NOTICE_DAYS}
        )
    return render(
        request,
        "ledgers/decisions/decision_detail.html",
        _context(
            decision=decision,
            steps=steps,
            problems=problems,
            warnings=warnings,
            can_edit=has_capability(request.user, roles.LEDGER_EDIT, decision.org),
            evidence_form=EvidenceForm(),
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_edit(request, pk: int):
    decision = selectors.decision_get_for_user(request.user, pk, write=True)
    fields = list(services.EDITABLE_FIELDS)
    initial = {name: getattr(decision, name) for name in fields}
    form = DecisionForm(request.POST if request.method == "POST" else None, initial=initial)
    if not decision.is_open:
        for name in fields:
            if name not in ("evaluation_due", "note"):
                form.fields[name].disabled = True

    def save(data):
        changes = {name: data[name] for name in fields if not form.fields[name].disabled}
        return services.decision_update(actor=request.user, decision=decision, **changes)

    return _form_page(request, form, save, success=_("Saved."), title=_("Edit the catalogue entry"), decision=decision)


@login_required
@require_http_methods(["GET", "POST"])
def decision_procedure(request, pk: int):
    """Record or correct one step (``?kind=``) of the decision."""
    decision = selectors.decision_get_for_user(request.user, pk, write=True)
    kind = request.GET.get("kind", "")
    if kind not in ProcedureKind.values:
        raise Http404
    existing = next((p for p in selectors.decision_procedures(decision) if p.kind == kind), None)
    initial = (
        {"started_on": existing.started_on, "ended_on": existing.ended_on, "summary": existing.summary}
        if existing
        else {}
    )
    form = ProcedureForm(request.POST if request.method == "POST" else None, initial=initial, kind=kind)

    def save(data):
        services.procedure_record(
            actor=request.user,
            decision=decision,
            kind=kind,
            started_on=data.get("started_on"),
            ended_on=data["ended_on"],
            summary=data["summary"],
        )
        return decision

    return _form_page(
        request, form, save, success=_("The step is recorded."), title=ProcedureKind(kind).label, decision=decision
    )


@login_required
@require_POST
def decision_procedure_delete(request, decision_procedure_pk: int):
    procedure = selectors.procedure_get_for_user(request.user, decision_procedure_pk, write=True)
    try:
        services.procedure_remove(actor=request.user, procedure=procedure)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The step is removed."))
    return redirect(procedure.decision)


@login_required
@require_POST
def decision_evidence_add(request, decision_procedure_pk: int):
    procedure = selectors.procedure_get_for_user(request.user, decision_procedure_pk, write=True)
    form = EvidenceForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            evidence = services.evidence_add(
                actor=request.user, procedure=procedure, uploaded_file=form.cleaned_data["file"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("%(name)s is attached.") % {"name": evidence.name})
    else:
        messages.error(request, _("Choose a file to attach."))
    return redirect(procedure.get_absolute_url())


@login_required
@require_GET
def decision_evidence_download(request, decision_evidence_pk: int):
    """The file, to anyone who may see its decision; served as an attachment of its checked type. Opening it is
    audited: the files (public comments received, experts' opinions, hearing records) name people."""
    evidence = selectors.evidence_get_for_user(request.user, decision_evidence_pk)
    try:
        handle = default_storage.open(evidence.file.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    record_viewed(actor=request.user, record=evidence, via="page")
    response = FileResponse(handle, as_attachment=True, filename=evidence.name, content_type=evidence.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def decision_evidence_delete(request, decision_evidence_pk: int):
    evidence = selectors.evidence_get_for_user(request.user, decision_evidence_pk, write=True)
    try:
        services.evidence_remove(actor=request.user, evidence=evidence)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s is removed.") % {"name": evidence.name})
    return redirect(evidence.procedure.decision)


@login_required
@require_http_methods(["GET", "POST"])
def decision_decide(request, pk: int):
    """Record the decision as taken: the page lists what is still missing; the service refuses, naming the step."""
    decision = selectors.decision_get_for_user(request.user, pk, write=True)
    error = None
    if request.method == "POST":
        try:
            services.decision_decide(actor=request.user, decision=decision)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("The decision is recorded as decided."))
            return redirect(decision)
    problems = (
        [services.message(p) for _s, p in services.decide_problems(decision, selectors.decision_procedures(decision))]
        if decision.is_open
        else []
    )
    return render(
        request,
        "ledgers/decisions/decision_decide.html",
        _context(decision=decision, problems=problems, error=error),
        status=400 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_withdraw(request, pk: int):
    decision = selectors.decision_get_for_user(request.user, pk, write=True)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    return _form_page(
        request,
        form,
        lambda data: services.decision_withdraw(actor=request.user, decision=decision, reason=data["reason"]),
        success=_("The decision is withdrawn from the catalogue."),
        title=_("Withdraw from the catalogue"),
        decision=decision,
        danger=True,
    )


@login_required
@require_http_methods(["GET", "POST"])
def decision_evaluate(request, pk: int):
    decision = selectors.decision_get_for_user(request.user, pk, write=True)
    form = EvaluateForm(
        request.POST if request.method == "POST" else None,
        initial={"evaluated_on": decision.evaluated_on, "finding": decision.evaluation_finding},
    )
    return _form_page(
        request,
        form,
        lambda data: services.decision_evaluate(
            actor=request.user, decision=decision, evaluated_on=data["evaluated_on"], finding=data["finding"]
        ),
        success=_("The evaluation is recorded."),
        title=_("Post-decision evaluation"),
        decision=decision,
    )


urlpatterns = [
    path("", decision_list, name="decision_list"),
    path("export.xlsx", decision_export, name="decision_export"),
    path("new/", decision_create, name="decision_create"),
    path("<int:pk>/", decision_detail, name="decision_detail"),
    path("<int:pk>/edit/", decision_edit, name="decision_edit"),
    path("<int:pk>/procedure/", decision_procedure, name="decision_procedure"),
    path("<int:pk>/decide/", decision_decide, name="decision_decide"),
    path("<int:pk>/withdraw/", decision_withdraw, name="decision_withdraw"),
    path("<int:pk>/evaluate/", decision_evaluate, name="decision_evaluate"),
    path("procedures/<int:decision_procedure_pk>/delete/", decision_procedure_delete, name="decision_procedure_delete"),
    path("procedures/<int:decision_procedure_pk>/evidence/", decision_evidence_add, name="decision_evidence_add"),
    path("evidence/<int:decision_evidence_pk>/", decision_evidence_download, name="decision_evidence_download"),
    path("evidence/<int:decision_evidence_pk>/delete/", decision_evidence_delete, name="decision_evidence_delete"),
]
