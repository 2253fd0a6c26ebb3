"""Review: assigning reviewers, score sheets, vetoes, inspection scores, survey links.

Answers in the JSON are as a person gives them: ``manual`` the points (``3.5``), ``checklist`` the list of
satisfied item numbers (0-based, in the standard's order), ``deduction`` the count, ``ratio`` a number from 0
to 1, ``tiers`` the value. Totals are points. A reviewer reads and writes only their own sheet (404 for
anyone else's); other reviewers' scores are not given out while the campaign is in the review stage.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Schema, Status

from fazhi.campaigns import workflow as wf
from fazhi.campaigns.access import (
    application_get_for_user,
    assignment_get_for_user,
    campaign_get_for_user,
    can_manage,
)
from fazhi.campaigns.models import Assignment
from fazhi.campaigns.selectors import review as selectors
from fazhi.campaigns.services import assignments as assignment_services
from fazhi.campaigns.services import inspection as inspection_services
from fazhi.campaigns.services import sheets as sheet_services
from fazhi.campaigns.services import survey as survey_services
from fazhi.campaigns.services import vetoes as veto_services
from fazhi.core.errors import DomainError
from fazhi.indicators import spec
from fazhi.indicators.models import VetoItem

router = Router()


def _points(hundredths: int | None) -> float | int | None:
    if hundredths is None:
        return None
    value = Decimal(hundredths) / 100
    return int(value) if value == value.to_integral_value() else float(value)


# --- answers: JSON <-> the engine ---------------------------------------------------------------


def _answer_in(leaf: spec.Indicator, value: Any) -> Any:
    """A JSON answer in the engine's form: manual points to hundredths; the rest as the service takes it."""
    if value is None or leaf.rule is None or leaf.rule.kind != spec.MANUAL or isinstance(value, bool):
        return value
    try:
        hundredths = Decimal(str(value)) * 100
    except InvalidOperation:
        return value
    return int(hundredths) if hundredths == hundredths.to_integral_value() else hundredths


def _answer_out(leaf: spec.Indicator, value: Any) -> Any:
    if value is None:
        return None
    kind = leaf.rule.kind if leaf.rule else ""
    if kind == spec.MANUAL and isinstance(value, int):
        return _points(value)
    if isinstance(value, set | frozenset):
        return sorted(value)
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


# --- schemas -------------------------------------------------------------------------------------


class ShortfallOut(Schema):
    application: str
    application_id: int
    missing: int
    eligible: int
    pool: int
    message: str


class RunOut(Schema):
    assigned: int
    applications: int
    spread: int
    shortfalls: list[ShortfallOut]


class ReviewerSheetOut(Schema):
    assignment: int
    reviewer: str
    name: str
    status: str
    total: float | None = None


class ApplicationAssignmentsOut(Schema):
    application: int
    applicant: str
    state: str
    missing: int
    reviewers: list[ReviewerSheetOut]


class MyAssignmentOut(Schema):
    assignment: int
    campaign: int
    campaign_title: str
    stage: str
    application: int
    applicant: str
    status: str
    total: float | None = None


class LeafOut(Schema):
    code: str
    title: str
    points: float
    rule: str
    guidance: str
    applicant_answer: Any = None
    statement: str = ""
    evidence: list[dict]
    answer: Any = None
    score: float | None = None
    comment: str = ""


class SheetOut(Schema):
    assignment: int
    application: int
    applicant: str
    status: str
    total: float | None = None
    leaves: list[LeafOut]
    bonus: dict[str, bool]


class SheetIn(Schema):
    answers: dict[str, Any] = {}
    bonus: dict[str, Any] = {}
    comments: dict[str, str] = {}


class ReasonIn(Schema):
    reason: str


class ReassignIn(Schema):
    reviewer: str  # username


class VetoIn(Schema):
    item: str  # veto item code
    reason: str


class VetoOut(Schema):
    id: int
    item: str
    title: str
    status: str
    reason: str
    proposed_by: str | None = None
    decided_by: str | None = None


class InspectionIn(Schema):
    score: str | int | float
    note: str = ""


class InspectionOut(Schema):
    application: int
    score: float
    note: str


class TokensIn(Schema):
    count: int


class TokensOut(Schema):
    application: int
    links: list[str]


# --- assignment ----------------------------------------------------------------------------------


@router.post("/campaigns/{int:campaign_id}/assignments/run", response=RunOut, url_name="assignments_run")
def assignments_run(request, campaign_id: int):
    """Assign the campaign's reviewers to every recommended application (and to those in review still short
    of reviewers). Shortfalls come back by application name."""
    campaign = campaign_get_for_user(request.auth, campaign_id, manage=True)
    return assignment_services.assignments_run(actor=request.auth, campaign=campaign)


@router.get(
    "/campaigns/{int:campaign_id}/assignments", response=list[ApplicationAssignmentsOut], url_name="assignment_list"
)
def assignment_list(request, campaign_id: int):
    """The applications in review with their reviewers and sheet statuses (totals once review has closed)."""
    campaign = campaign_get_for_user(request.auth, campaign_id, manage=True)
    show_totals = wf.stage_reached(campaign.stage, wf.INSPECTION)
    return [
        {
            "application": row.application.pk,
            "applicant": row.application.org.name,
            "state": row.application.state,
            "missing": row.missing,
            "reviewers": [
                {
                    "assignment": a.pk,
                    "reviewer": a.reviewer.get_username(),
                    "name": str(a.reviewer),
                    "status": a.sheet.status,
                    "total": _points(a.sheet.total) if show_totals else None,
                }
                for a in row.assignments
            ],
        }
        for row in selectors.campaign_assignment_rows(campaign)
    ]


@router.get("/campaigns/reviews", response=list[MyAssignmentOut], url_name="my_assignments")
def my_assignments(request):
    """Your own assignments across campaigns, with your sheets' statuses."""
    return [
        {
            "assignment": a.pk,
            "campaign": a.application.campaign_id,
            "campaign_title": a.application.campaign.title,
            "stage": a.application.campaign.stage,
            "application": a.application_id,
            "applicant": a.application.org.name,
            "status": a.sheet.status,
            "total": _points(a.sheet.total),
        }
        for a in selectors.assignments_for_reviewer(request.auth)
    ]


@router.post(
    "/campaigns/assignments/{int:assignment_id}/reassign", response=ReviewerSheetOut, url_name="assignment_reassign"
)
def assignment_reassign(request, assignment_id: int, payload: ReassignIn):
    """Give a review to another reviewer of the pool (the sheet must not be submitted)."""
    assignment = assignment_get_for_user(request.auth, assignment_id, manage=True)
    reviewer = get_user_model().objects.filter(username=payload.reviewer).first()
    if reviewer is None:
        raise DomainError(_("No user with this username."), rule="review.reviewer_unknown", field="reviewer")
    assignment = assignment_services.assignment_reassign(actor=request.auth, assignment=assignment, reviewer=reviewer)
    return {
        "assignment": assignment.pk,
        "reviewer": reviewer.get_username(),
        "name": str(reviewer),
        "status": assignment.sheet.status,
    }


# --- sheets --------------------------------------------------------------------------------------


def _sheet(assignment: Assignment) -> dict:
    rows = selectors.sheet_rows(assignment)
    sheet = assignment.sheet
    sheet.refresh_from_db()
    return {
        "assignment": assignment.pk,
        "application": assignment.application_id,
        "applicant": assignment.application.org.name,
        "status": sheet.status,
        "total": _points(sheet.total),
        "leaves": [
            {
                "code": row.leaf.code,
                "title": row.leaf.title,
                "points": _points(row.leaf.points),
                "rule": row.kind,
                "guidance": row.leaf.guidance,
                "applicant_answer": _answer_out(row.leaf, row.clerk_answer),
                "statement": row.statement,
                "evidence": [{"id": e.pk, "name": e.name, "sha256": e.sha256} for e in row.evidence],
                "answer": _answer_out(row.leaf, row.answer),
                "score": _points(row.score),
                "comment": row.comment,
            }
            for row in rows
        ],
        "bonus": {item.code: awarded for item, awarded in selectors.sheet_bonus(assignment)},
    }


@router.get("/campaigns/assignments/{int:assignment_id}/sheet", response=SheetOut, url_name="sheet")
def sheet_get(request, assignment_id: int):
    """Your score sheet for an assignment: each leaf with the applicant's answer and evidence, your answers."""
    return _sheet(assignment_get_for_user(request.auth, assignment_id))


@router.post("/campaigns/assignments/{int:assignment_id}/sheet/save", response=SheetOut, url_name="sheet_save")
def sheet_save(request, assignment_id: int, payload: SheetIn):
    """Save answers to your draft sheet (leaves not named keep their answer; ``null`` clears one)."""
    assignment = assignment_get_for_user(request.auth, assignment_id)
    leaves = sheet_services.leaves_by_code(assignment.application.campaign.standard)
    answers = {code: _answer_in(leaves[code], v) if code in leaves else v for code, v in payload.answers.items()}
    try:
        sheet_services.sheet_save(
            actor=request.auth, sheet=assignment.sheet, answers=answers, bonus=payload.bonus, comments=payload.comments
        )
    except sheet_services.SheetProblems as error:
        raise _with_problems(error) from None
    return _sheet(assignment)


def _with_problems(error: sheet_services.SheetProblems) -> DomainError:
    message = error.message + " " + " ".join(f"[{code}] {text}" for code, text in error.problems.items())
    return DomainError(message.strip(), rule=error.rule, field=error.field)


@router.post("/campaigns/assignments/{int:assignment_id}/sheet/submit", response=SheetOut, url_name="sheet_submit")
def sheet_submit(request, assignment_id: int):
    """Submit your complete sheet: its total is computed and it is locked."""
    assignment = assignment_get_for_user(request.auth, assignment_id)
    sheet_services.sheet_submit(actor=request.auth, sheet=assignment.sheet)
    return _sheet(assignment)


@router.post(
    "/campaigns/assignments/{int:assignment_id}/sheet/reopen", response=ReviewerSheetOut, url_name="sheet_reopen"
)
def sheet_reopen(request, assignment_id: int, payload: ReasonIn):
    """Reopen a submitted sheet (the campaign's administrators), with a reason."""
    assignment = assignment_get_for_user(request.auth, assignment_id, manage=True)
    sheet = sheet_services.sheet_reopen(actor=request.auth, sheet=assignment.sheet, reason=payload.reason)
    return {
        "assignment": assignment.pk,
        "reviewer": assignment.reviewer.get_username(),
        "name": str(assignment.reviewer),
        "status": sheet.status,
    }


# --- vetoes --------------------------------------------------------------------------------------


def _veto_out(veto) -> dict:
    return {
        "id": veto.pk,
        "item": veto.item.code,
        "title": veto.item.title,
        "status": veto.status,
        "reason": veto.reason,
        "proposed_by": veto.proposed_by.get_username() if veto.proposed_by else None,
        "decided_by": veto.decided_by.get_username() if veto.decided_by else None,
    }


def _item(application, code: str) -> VetoItem:
    item = selectors.veto_items(application.campaign).filter(code=code).first()
    if item is None:
        raise DomainError(
            _("%(code)s is not a veto item of the campaign's scoring standard.") % {"code": code},
            rule="veto.item_unknown",
            field="item",
        )
    return item


def _managed_application(request, application_id: int):
    application = application_get_for_user(request.auth, application_id)
    if not can_manage(request.auth, application.campaign):
        raise PermissionDenied
    return application


@router.get("/applications/{int:application_id}/vetoes", response=list[VetoOut], url_name="veto_list")
def veto_list(request, application_id: int):
    """An application's veto proposals and recorded vetoes (the campaign's administrators)."""
    application = _managed_application(request, application_id)
    return [_veto_out(v) for v in selectors.application_vetoes(application)]


@router.post("/applications/{int:application_id}/vetoes/propose", response={201: VetoOut}, url_name="veto_propose")
def veto_propose(request, application_id: int, payload: VetoIn):
    """Propose a veto item for an application you review."""
    application = application_get_for_user(request.auth, application_id)
    veto = veto_services.veto_propose(
        actor=request.auth, application=application, item=_item(application, payload.item), reason=payload.reason
    )
    return Status(201, _veto_out(veto))


@router.post("/applications/{int:application_id}/vetoes/record", response={201: VetoOut}, url_name="veto_record")
def veto_record(request, application_id: int, payload: VetoIn):
    """Record a veto (confirming a reviewer's proposal of the same item, if any)."""
    application = _managed_application(request, application_id)
    veto = veto_services.veto_record(
        actor=request.auth, application=application, item=_item(application, payload.item), reason=payload.reason
    )
    return Status(201, _veto_out(veto))


@router.post("/applications/vetoes/{int:veto_id}/withdraw", response=VetoOut, url_name="veto_withdraw")
def veto_withdraw(request, veto_id: int, payload: ReasonIn):
    """Withdraw a proposed or recorded veto, with a reason."""
    veto = selectors.veto_get_for_user(request.auth, veto_id)
    return _veto_out(veto_services.veto_withdraw(actor=request.auth, veto=veto, reason=payload.reason))


# --- inspection and survey -----------------------------------------------------------------------


@router.post("/applications/{int:application_id}/inspection", response=InspectionOut, url_name="inspection_score_enter")
def inspection_score_enter(request, application_id: int, payload: InspectionIn):
    """Enter (or correct) your on-site inspection score, 0 to 100, for an application of a campaign whose
    inspectors include you."""
    application = selectors.application_get_for_inspector(request.auth, application_id)
    score = payload.score if not isinstance(payload.score, float) else str(payload.score)
    row = inspection_services.inspection_score_enter(
        actor=request.auth, application=application, score=score, note=payload.note
    )
    return {"application": application.pk, "score": _points(row.score), "note": row.note}


@router.post(
    "/applications/{int:application_id}/survey-tokens", response={201: TokensOut}, url_name="survey_tokens_create"
)
def survey_tokens_create(request, application_id: int, payload: TokensIn):
    """Make ``count`` single-use satisfaction questionnaire links for an application."""
    application = _managed_application(request, application_id)
    tokens = survey_services.survey_tokens_create(actor=request.auth, application=application, count=payload.count)
    return Status(
        201,
        {
            "application": application.pk,
            "links": [request.build_absolute_uri(reverse("survey_answer", args=[t.token])) for t in tokens],
        },
    )
