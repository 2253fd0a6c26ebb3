"""The review pages: a reviewer's queue and score sheet; the administrator's assignments (run, reassign,
reopen), vetoes and survey links; the inspectors' scores.

Objects come through :mod:`fazhi.campaigns.access` (404 outside the user's scope, 403 for what the role
may not do); every change goes through the services of :mod:`fazhi.campaigns.services` — ``assignments``,
``sheets``, ``vetoes``, ``inspection``, ``survey``. A reviewer's sheet shows only their own scores: other
reviewers' are never read for it.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from fazhi.campaigns import workflow as wf
from fazhi.campaigns.access import (
    application_get_for_user,
    assignment_get_for_user,
    campaign_get_for_user,
    can_manage,
)
from fazhi.campaigns.forms.review import (
    InspectionForm,
    ReasonForm,
    ReassignForm,
    SheetForm,
    SurveyLinksForm,
    VetoForm,
)
from fazhi.campaigns.models import SheetStatus
from fazhi.campaigns.selectors import review as selectors
from fazhi.campaigns.selectors.metrics_scoring import sheet_figures
from fazhi.campaigns.services import assignments as assignment_services
from fazhi.campaigns.services import inspection as inspection_services
from fazhi.campaigns.services import sheets as sheet_services
from fazhi.campaigns.services import survey as survey_services
from fazhi.campaigns.services import vetoes as veto_services
from fazhi.core.errors import DomainError


def _ctx(**context) -> dict:
    return {"section": "reviews", **context}


# --- the reviewer --------------------------------------------------------------------------------


@login_required
@require_GET
def review_queue(request):
    assignments = list(selectors.assignments_for_reviewer(request.user))
    return render(request, "campaigns/review/queue.html", _ctx(assignments=assignments))


def _sheet_form(assignment, data=None):
    sheet = assignment.sheet
    campaign = assignment.application.campaign
    read_only = sheet.status == SheetStatus.SUBMITTED or campaign.stage != wf.REVIEW
    rows, general = selectors.sheet_contents(assignment)
    for row in rows:
        row.evidence = [(item, _evidence_url(item)) for item in row.evidence]
    figures = sheet_figures(assignment)  # metric-bound leaves: scored from the ledgers, overridden with a reason
    for row in rows:
        row.figure = figures.get(row.leaf.code)
    form = SheetForm(data, rows=rows, bonus=selectors.sheet_bonus(assignment), disabled=read_only)
    for index, row in enumerate(rows):
        if row.figure is not None:
            form.fields[f"leaf_{index}"].disabled = True
            form.initial[f"leaf_{index}"] = None
    return form, read_only, [(item, _evidence_url(item)) for item in general]


def _evidence_url(item) -> str | None:
    try:
        return reverse("evidence_download", args=[item.pk])
    except NoReverseMatch:  # the applications area's download page is not there
        return None


@login_required
@require_http_methods(["GET", "POST"])
def assignment_sheet(request, pk: int):
    assignment = assignment_get_for_user(request.user, pk)
    form, read_only, general_evidence = _sheet_form(assignment, request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and not read_only and form.is_valid():
        submit = request.POST.get("action") == "submit"
        try:
            sheet_services.sheet_save(
                actor=request.user,
                sheet=assignment.sheet,
                answers=form.answers(),
                bonus=form.bonus(),
                comments=form.comments(),
            )
            if submit:
                sheet_services.sheet_submit(actor=request.user, sheet=assignment.sheet)
        except sheet_services.SheetProblems as error:
            for code, message in error.problems.items():
                form.add_error(form.field_of(code), message)
            status = 400
        except DomainError as error:
            messages.error(request, error.message)
            if not submit:
                status = 400
            else:
                return redirect("assignment_sheet", assignment.pk)
        else:
            messages.success(request, _("Score sheet submitted.") if submit else _("Draft saved."))
            return redirect("assignment_sheet", assignment.pk)
    elif request.method == "POST":
        if read_only:
            messages.error(request, _("This score sheet cannot be changed now."))
            return redirect("assignment_sheet", assignment.pk)
        status = 400
    assignment.sheet.refresh_from_db()
    campaign = assignment.application.campaign
    return render(
        request,
        "campaigns/review/sheet.html",
        _ctx(
            assignment=assignment,
            application=assignment.application,
            campaign=campaign,
            sheet=assignment.sheet,
            form=form,
            general_evidence=general_evidence,
            read_only=read_only,
            veto_form=VetoForm(items=selectors.veto_items(campaign)),
            may_propose=campaign.stage in veto_services.VETO_STAGES,
            my_vetoes=[
                v for v in selectors.application_vetoes(assignment.application) if v.proposed_by_id == request.user.pk
            ],
        ),
        status=status,
    )


@login_required
@require_POST
def assignment_veto_propose(request, pk: int):
    assignment = assignment_get_for_user(request.user, pk)
    campaign = assignment.application.campaign
    form = VetoForm(request.POST, items=selectors.veto_items(campaign))
    if not form.is_valid():
        messages.error(request, _("Choose a veto item and give a reason."))
    else:
        try:
            veto_services.veto_propose(
                actor=request.user,
                application=assignment.application,
                item=form.cleaned_data["item"],
                reason=form.cleaned_data["reason"],
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _("Veto proposed; the administrator will decide."))
    return redirect("assignment_sheet", assignment.pk)


# --- the administrator: assignments --------------------------------------------------------------


@login_required
@require_GET
def campaign_assignments(request, campaign_pk: int):
    campaign = campaign_get_for_user(request.user, campaign_pk, manage=True)
    rows = selectors.campaign_assignment_rows(campaign)
    pool = selectors.pool_overview(campaign, rows)
    return render(
        request,
        "campaigns/review/assignments.html",
        _ctx(
            campaign=campaign,
            rows=rows,
            pool=pool,
            short=[row for row in rows if row.missing],
            may_run=campaign.stage == wf.REVIEW,
            show_totals=wf.stage_reached(campaign.stage, wf.INSPECTION),
        ),
    )


@login_required
@require_POST
def assignments_run(request, campaign_pk: int):
    campaign = campaign_get_for_user(request.user, campaign_pk, manage=True)
    try:
        outcome = assignment_services.assignments_run(actor=request.user, campaign=campaign)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            ngettext(
                "%(count)d assignment made.",
                "%(count)d assignments made.",
                outcome.assigned,
            )
            % {"count": outcome.assigned},
        )
        for shortfall in outcome.shortfalls:
            messages.warning(request, shortfall["message"])
    return redirect("campaign_assignments", campaign.pk)


@login_required
@require_http_methods(["GET", "POST"])
def assignment_reassign(request, pk: int):
    assignment = assignment_get_for_user(request.user, pk, manage=True)
    application = assignment.application
    candidates = selectors.eligible_reviewers(
        application.campaign, application, exclude=set(application.assignments.values_list("reviewer_id", flat=True))
    )
    form = ReassignForm(request.POST or None, reviewers=candidates)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                assignment_services.assignment_reassign(
                    actor=request.user, assignment=assignment, reviewer=form.cleaned_data["reviewer"]
                )
            except DomainError as error:
                form.add_error("reviewer" if error.field == "reviewer" else None, error.message)
            else:
                messages.success(
                    request,
                    _("%(application)s is now reviewed by %(reviewer)s.")
                    % {"application": application.org, "reviewer": form.cleaned_data["reviewer"]},
                )
                return redirect("campaign_assignments", application.campaign_id)
        status = 400
    return render(
        request,
        "campaigns/review/reassign.html",
        _ctx(
            assignment=assignment,
            application=application,
            campaign=application.campaign,
            form=form,
            heading=_("Reassign a review"),
            button=_("Reassign"),
        ),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def assignment_reopen(request, pk: int):
    assignment = assignment_get_for_user(request.user, pk, manage=True)
    application = assignment.application
    form = ReasonForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                sheet_services.sheet_reopen(
                    actor=request.user, sheet=assignment.sheet, reason=form.cleaned_data["reason"]
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request, _("%(reviewer)s's score sheet is reopened.") % {"reviewer": assignment.reviewer}
                )
                return redirect("campaign_assignments", application.campaign_id)
        status = 400
    return render(
        request,
        "campaigns/review/reopen.html",
        _ctx(
            assignment=assignment,
            application=application,
            campaign=application.campaign,
            form=form,
            heading=_("Reopen a score sheet"),
            button=_("Reopen"),
        ),
        status=status,
    )


# --- the administrator: vetoes -------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def application_vetoes(request, application_pk: int):
    application = application_get_for_user(request.user, application_pk)
    campaign = application.campaign
    if not can_manage(request.user, campaign):
        raise PermissionDenied
    items = selectors.veto_items(campaign)
    form = VetoForm(request.POST or None, items=items)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                veto_services.veto_record(
                    actor=request.user,
                    application=application,
                    item=form.cleaned_data["item"],
                    reason=form.cleaned_data["reason"],
                )
            except DomainError as error:
                form.add_error("item" if error.field == "item" else None, error.message)
            else:
                messages.success(request, _("Veto recorded."))
                return redirect("application_vetoes", application.pk)
        status = 400
    return render(
        request,
        "campaigns/review/vetoes.html",
        _ctx(
            application=application,
            campaign=campaign,
            items=list(items),
            vetoes=list(selectors.application_vetoes(application)),
            form=form,
            may_change=campaign.stage in veto_services.VETO_STAGES,
        ),
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def veto_withdraw(request, pk: int):
    veto = selectors.veto_get_for_user(request.user, pk)
    form = ReasonForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                veto_services.veto_withdraw(actor=request.user, veto=veto, reason=form.cleaned_data["reason"])
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(request, _("Veto withdrawn."))
                return redirect("application_vetoes", veto.application_id)
        status = 400
    return render(
        request,
        "campaigns/review/veto_withdraw.html",
        _ctx(
            veto=veto,
            application=veto.application,
            campaign=veto.application.campaign,
            form=form,
            heading=_("Withdraw a veto"),
            button=_("Withdraw"),
        ),
        status=status,
    )


# --- inspectors ----------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def inspection_scores(request, campaign_pk: int):
    campaign = campaign_get_for_user(request.user, campaign_pk)
    if not inspection_services.is_inspector(request.user, campaign):
        raise PermissionDenied
    status, errors = 200, {}
    if request.method == "POST":
        form = InspectionForm(request.POST)
        if form.is_valid():
            application = application_for_campaign(request.user, campaign, form.cleaned_data["application"])
            try:
                inspection_services.inspection_score_enter(
                    actor=request.user,
                    application=application,
                    score=form.cleaned_data["score"],
                    note=form.cleaned_data["note"],
                )
            except DomainError as error:
                errors[application.pk] = error.message
                status = 400
            else:
                messages.success(request, _("Score saved for %(org)s.") % {"org": application.org})
                return redirect("inspection_scores", campaign.pk)
        else:
            status = 400
            messages.error(request, _("Enter a score from 0 to 100."))
    return render(
        request,
        "campaigns/review/inspection.html",
        _ctx(
            campaign=campaign,
            rows=selectors.inspection_rows(campaign, request.user),
            errors=errors,
            open=campaign.stage == wf.INSPECTION and campaign.weight_inspection > 0,
        ),
        status=status,
    )


def application_for_campaign(user, campaign, pk):
    """An application of ``campaign`` (404 for another campaign's). Inspectors reach it through the campaign."""
    application = selectors.application_in_campaign(campaign, pk)
    if application is None:
        raise Http404
    return application


# --- survey links --------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def survey_links(request, campaign_pk: int):
    campaign = campaign_get_for_user(request.user, campaign_pk, manage=True)
    status = 200
    if request.method == "POST":
        form = SurveyLinksForm(request.POST)
        if form.is_valid():
            application = application_for_campaign(request.user, campaign, form.cleaned_data["application"])
            try:
                survey_services.survey_tokens_create(
                    actor=request.user, application=application, count=form.cleaned_data["count"]
                )
            except DomainError as error:
                messages.error(request, error.message)
                status = 400
            else:
                messages.success(request, _("Links made for %(org)s.") % {"org": application.org})
                return redirect("survey_links", campaign.pk)
        else:
            messages.error(request, _("Give the number of links, a whole number."))
            status = 400
    rows = []
    for application, tokens in selectors.survey_rows(campaign):
        satisfied, answered = selectors.survey_counts(tokens)
        links = [(t, request.build_absolute_uri(reverse("survey_answer", args=[t.token]))) for t in tokens]
        component = survey_services.survey_component(satisfied, answered)
        rows.append(
            {
                "application": application,
                "links": links,
                "satisfied": satisfied,
                "answered": answered,
                "component": component,
            }
        )
    return render(
        request,
        "campaigns/review/survey_links.html",
        _ctx(campaign=campaign, rows=rows, open=campaign.stage == wf.INSPECTION and campaign.weight_survey > 0),
        status=status,
    )


urlpatterns = [
    path("campaigns/reviews/", review_queue, name="review_queue"),
    path("campaigns/reviews/<int:pk>/", assignment_sheet, name="assignment_sheet"),
    path("campaigns/reviews/<int:pk>/veto/", assignment_veto_propose, name="assignment_veto_propose"),
    path("campaigns/<int:campaign_pk>/assignments/", campaign_assignments, name="campaign_assignments"),
    path("campaigns/<int:campaign_pk>/assignments/run/", assignments_run, name="assignments_run"),
    path("campaigns/assignments/<int:pk>/reassign/", assignment_reassign, name="assignment_reassign"),
    path("campaigns/assignments/<int:pk>/reopen/", assignment_reopen, name="assignment_reopen"),
    path("campaigns/applications/<int:application_pk>/vetoes/", application_vetoes, name="application_vetoes"),
    path("campaigns/vetoes/<int:pk>/withdraw/", veto_withdraw, name="veto_withdraw"),
    path("campaigns/<int:campaign_pk>/inspection/", inspection_scores, name="inspection_scores"),
    path("campaigns/<int:campaign_pk>/survey/", survey_links, name="survey_links"),
]
