"""The application pages: the clerk's workspace, an application's self-assessment (answers per leaf with a
live self-assessed total, evidence upload and download, submission), and the recommender's queue.

Applications are fetched through :mod:`fazhi.campaigns.access` (404 outside the user's scope, 403 for an
edit or a decision the role does not allow); every change goes through the services of
:mod:`fazhi.campaigns.services.applications` and :mod:`~fazhi.campaigns.services.evidence`.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.core.paginator import Paginator
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from fazhi.campaigns import access
from fazhi.campaigns import workflow as wf
from fazhi.campaigns.forms.applications import AnswerForm, ApplyForm, DecisionForm, EvidenceForm
from fazhi.campaigns.selectors import applications as selectors
from fazhi.campaigns.selectors.metrics_scoring import application_overrides, stored_figures
from fazhi.campaigns.services import applications as services
from fazhi.campaigns.services.evidence import evidence_add, evidence_remove
from fazhi.campaigns.services.metrics_scoring import application_metrics_refresh
from fazhi.core.errors import DomainError
from fazhi.indicators import spec as specs
from fazhi.indicators.scoring import points_text
from fazhi.orgs.access import org_get_for_user

TEMPLATE = "campaigns/applications/application_detail.html"
PAGE_SIZE = 25


def _ctx(**context) -> dict:
    return {"section": "applications", **context}


# --- the workspace ---------------------------------------------------------------------------------


@login_required
@require_GET
def application_workspace(request):
    """My applications across campaigns, and the campaigns still open to my orgs."""
    return render(
        request,
        "campaigns/applications/workspace.html",
        _ctx(
            applications=list(selectors.applications_of_clerk(request.user)[:200]),
            open_campaigns=selectors.campaigns_open_to_clerk(request.user),
        ),
    )


@login_required
@require_POST
def application_create(request):
    form = ApplyForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a campaign and an applicant."))
        return redirect("application_workspace")
    campaign = access.campaign_get_for_user(request.user, form.cleaned_data["campaign"])
    org = org_get_for_user(request.user, form.cleaned_data["org"])
    try:
        application = services.application_create(actor=request.user, campaign=campaign, org=org)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("application_workspace")
    messages.success(request, _("%(org)s's application is open as a draft.") % {"org": org})
    return redirect("application_detail", application.pk)


# --- one application -------------------------------------------------------------------------------


def _answer_text(leaf: specs.Indicator, value) -> str:
    """The answer as the form shows it (checklist answers are shown as ticked boxes instead)."""
    if value is None:
        return ""
    if leaf.rule.kind == specs.MANUAL:
        return points_text(value)
    if leaf.rule.kind == specs.CHECKLIST:
        return ""
    return str(value)


def _nodes(application, assessment, *, errors=None, typed=None) -> list[dict]:
    """The standard's tree in display order; leaves carry their answer, score, evidence and any error."""
    ids = selectors.campaign_indicator_ids(application.campaign)
    evidence_by_leaf: dict[int | None, list] = {}
    for item in assessment.evidence:
        evidence_by_leaf.setdefault(item.indicator_id, []).append(item)
    errors, typed = errors or {}, typed or {}
    figures = stored_figures(application, assessment.standard)  # metric-bound leaves, from the ledgers
    nodes = []
    for node, depth in assessment.standard.walk():
        entry = {"node": node, "depth": depth, "id": ids.get(node.code), "is_leaf": node.is_leaf}
        if node.is_leaf:
            row = assessment.answers.get(node.code)
            value = assessment.values.get(node.code)
            entry.update(
                kind=node.rule.kind,
                answered=value is not None or node.code in figures,
                figure=figures.get(node.code),
                text=typed.get(node.code, _answer_text(node, value)),
                ticked=set(value or []) if node.rule.kind == specs.CHECKLIST else set(),
                items=list(enumerate(node.rule.items)),
                statement=row.statement if row else "",
                score=assessment.score.leaves.get(node.code, 0),
                evidence=evidence_by_leaf.get(entry["id"], []),
                error=errors.get(node.code),
            )
        nodes.append(entry)
    return nodes


def _detail_context(request, application, **extra) -> dict:
    assessment = selectors.application_assessment(application)
    editable = (
        access.can_edit(request.user, application)
        and application.state in wf.EDITABLE
        and application.campaign.stage in (wf.APPLICATION, wf.RECOMMENDATION)
    )
    may_decide = access.can_recommend(request.user, application) and wf.allowed(
        "recommend", state=application.state, stage=application.campaign.stage
    )
    return _ctx(
        application=application,
        campaign=application.campaign,
        assessment=assessment,
        nodes=_nodes(application, assessment, errors=extra.pop("errors", None), typed=extra.pop("typed", None)),
        general_evidence=[item for item in assessment.evidence if item.indicator_id is None],
        editable=editable,
        may_submit=editable and access.can_edit(request.user, application),
        may_decide=may_decide,
        decision_form=DecisionForm(),
        overrides=application_overrides(application) if access.can_manage(request.user, application.campaign) else [],
        evidence_types=", ".join(kind.upper() for kind in settings.FAZHI_EVIDENCE_TYPES),
        evidence_max_mb=settings.FAZHI_EVIDENCE_MAX_MB,
        **extra,
    )


@login_required
@require_GET
def application_detail(request, pk: int):
    application = access.application_get_for_user(request.user, pk)
    # the clerk opening an editable self-assessment sees the metric-bound leaves computed afresh
    application_metrics_refresh(actor=request.user, application=application)
    template = f"{TEMPLATE}#tree" if request.htmx else TEMPLATE
    return render(request, template, _detail_context(request, application))


@login_required
@require_POST
def application_answer(request, pk: int, indicator_pk: int):
    """Save one leaf's answer and statement. htmx gets the leaf's row back and the new total (out of band)."""
    application = access.application_get_for_user(request.user, pk, edit=True)
    leaves = selectors.campaign_leaves(application.campaign)
    codes = {pk: code for code, pk in selectors.campaign_indicator_ids(application.campaign).items()}
    code = codes.get(indicator_pk)
    if code not in leaves:
        raise Http404
    leaf = leaves[code]
    form = AnswerForm(request.POST)
    errors, typed = {}, {}
    if form.is_valid():
        raw = request.POST.getlist("items") if leaf.rule.kind == specs.CHECKLIST else form.cleaned_data["answer"]
        try:
            answer = services.answer_coerce(leaf, raw)
            services.answers_save(
                actor=request.user,
                application=application,
                answers=[services.AnswerInput(code, answer, form.cleaned_data["statement"])],
            )
        except DomainError as error:
            errors[code] = error.message
            typed[code] = form.cleaned_data["answer"]
    else:
        errors[code] = "; ".join(message for messages_ in form.errors.values() for message in messages_)
    if request.htmx:
        # 200 even when refused: htmx swaps only successful responses, and the leaf shows its error.
        context = _detail_context(request, application, errors=errors, typed=typed)
        context["node_list"] = [n for n in context["nodes"] if n["id"] == indicator_pk]
        return render(request, f"{TEMPLATE}#leaf_saved", context)
    if errors:
        messages.error(request, errors[code])
    else:
        messages.success(request, _("The answer to %(code)s is saved.") % {"code": code})
    return redirect(reverse("application_detail", args=[application.pk]) + f"#leaf-{indicator_pk}")


@login_required
@require_POST
def application_evidence_add(request, pk: int):
    application = access.application_get_for_user(request.user, pk, edit=True)
    form = EvidenceForm(request.POST, request.FILES)
    anchor = ""
    if form.is_valid():
        indicator = None
        if form.cleaned_data["indicator"]:
            indicator = selectors.campaign_indicator(application.campaign, form.cleaned_data["indicator"])
            if indicator is None:
                raise Http404
            anchor = f"#leaf-{indicator.pk}"
        try:
            added = evidence_add(
                actor=request.user,
                application=application,
                indicator=indicator,
                uploaded_file=form.cleaned_data["file"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("%(name)s is attached.") % {"name": added.name})
    else:
        messages.error(request, _("Choose a file to upload."))
    return redirect(reverse("application_detail", args=[application.pk]) + anchor)


@login_required
@require_GET
def evidence_download(request, pk: int):
    """The file, to anyone who may see its application; served as an attachment of its checked type."""
    evidence = selectors.evidence_get(pk)
    access.application_get_for_user(request.user, evidence.application_id)
    try:
        handle = default_storage.open(evidence.file.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=evidence.name, content_type=evidence.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def evidence_delete(request, pk: int):
    evidence = selectors.evidence_get(pk)
    application = access.application_get_for_user(request.user, evidence.application_id, edit=True)
    evidence.application = application
    try:
        evidence_remove(actor=request.user, evidence=evidence)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("%(name)s is removed.") % {"name": evidence.name})
    return redirect("application_detail", application.pk)


@login_required
@require_POST
def application_submit(request, pk: int):
    application = access.application_get_for_user(request.user, pk, edit=True)
    try:
        services.application_submit(actor=request.user, application=application)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The application is submitted to %(org)s.") % {"org": application.recommender_org})
    return redirect("application_detail", application.pk)


def _next_url(request, default: str) -> str:
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return target
    return default


@login_required
@require_POST
def application_decide(request, pk: int):
    """Recommend, return (with a reason) or turn down (with a reason) a submitted application."""
    application = access.application_get_for_user(request.user, pk, recommend=True)
    back = _next_url(request, reverse("application_detail", args=[application.pk]))
    form = DecisionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose recommend, return or do not recommend."))
        return redirect(back)
    decision, reason = form.cleaned_data["decision"], form.cleaned_data["reason"]
    try:
        if decision == DecisionForm.RECOMMEND:
            services.application_recommend(actor=request.user, application=application)
            done = _("%(org)s's application is recommended.")
        elif decision == DecisionForm.RETURN:
            services.application_return(actor=request.user, application=application, reason=reason)
            done = _("%(org)s's application is returned for correction.")
        else:
            services.application_not_recommend(actor=request.user, application=application, reason=reason)
            done = _("%(org)s's application is not recommended.")
    except DomainError as error:
        messages.error(request, f"{application.org}: {error.message}")
    else:
        messages.success(request, done % {"org": application.org})
    return redirect(back)


# --- the recommender's queue -----------------------------------------------------------------------


@login_required
@require_GET
def recommendation_queue(request):
    campaigns = selectors.recommendation_campaigns(request.user)
    campaign_id = request.GET.get("campaign", "")
    chosen = next((c for c in campaigns if str(c.pk) == campaign_id), None)
    queue = selectors.recommendation_queue(request.user, campaign_id=chosen.pk if chosen else None)
    page = Paginator(queue, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "campaigns/applications/queue.html",
        _ctx(section="recommendations", page=page, campaigns=campaigns, chosen=chosen, decision_form=DecisionForm()),
    )


urlpatterns = [
    path("campaigns/applications/", application_workspace, name="application_workspace"),
    path("campaigns/applications/new/", application_create, name="application_create"),
    path("campaigns/applications/<int:pk>/", application_detail, name="application_detail"),
    path("campaigns/applications/<int:pk>/answers/<int:indicator_pk>/", application_answer, name="application_answer"),
    path("campaigns/applications/<int:pk>/evidence/", application_evidence_add, name="application_evidence_add"),
    path("campaigns/applications/<int:pk>/submit/", application_submit, name="application_submit"),
    path("campaigns/applications/<int:pk>/decide/", application_decide, name="application_decide"),
    path("campaigns/evidence/<int:pk>/", evidence_download, name="evidence_download"),
    path("campaigns/evidence/<int:pk>/remove/", evidence_delete, name="evidence_remove"),
    path("campaigns/recommendations/", recommendation_queue, name="recommendation_queue"),
]
