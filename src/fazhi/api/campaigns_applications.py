"""Applications: create, save self-assessment answers (several at once, all or nothing), list and get with
the self-assessed total, upload and download evidence, submit, and the recommender's queue and decisions.

Answers are given per leaf code in the form its rule asks for: ``manual`` points (``3.5``), ``checklist``
the 0-based numbers of the items met (``[0, 2]``), ``deduction`` a whole count, ``ratio`` a decimal from 0
to 1 (``"0.85"`` or ``0.85``), ``tiers`` a number; ``null`` clears the answer. They come back in the same
form (ratio and tiers values as decimal strings, so that nothing is lost to floating point). Points are
numbers of points (``3.5``), not hundredths.
"""

from __future__ import annotations

from datetime import datetime
from decimal import Decimal
from typing import Any

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404
from django.utils.translation import gettext as _
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from fazhi.campaigns import access
from fazhi.campaigns.selectors import applications as selectors
from fazhi.campaigns.services import applications as services
from fazhi.campaigns.services.evidence import evidence_add
from fazhi.core.errors import DomainError
from fazhi.indicators import spec as specs
from fazhi.orgs import roles
from fazhi.orgs.selectors import org_find_by_code

router = Router()

PAGE_SIZE = 100


def _points(hundredths: int | None):
    if hundredths is None:
        return None
    value = Decimal(hundredths) / 100
    return int(value) if value == value.to_integral_value() else float(value)


# --- schemas ---------------------------------------------------------------------------------------


class ApplicationSummary(Schema):
    id: int
    campaign: int
    org: str
    org_name: str
    state: str
    recommender_org: str | None
    submissions: int
    first_submitted_at: datetime | None
    submitted_at: datetime | None
    decision_reason: str
    decided_at: datetime | None
    self_assessed_total: float | None = None


class AnswerOut(Schema):
    code: str
    answer: Any
    statement: str
    score: float


class EvidenceOut(Schema):
    id: int
    name: str
    indicator: str | None
    content_type: str
    size: int
    sha256: str
    uploaded_at: datetime


class ApplicationOut(ApplicationSummary):
    standard_total: float
    unanswered: list[str]
    answers: list[AnswerOut]
    evidence: list[EvidenceOut]


class AnswerIn(Schema):
    code: str
    answer: Any = None
    statement: str = ""


class AnswersIn(Schema):
    answers: list[AnswerIn]


class CreateIn(Schema):
    org: str  # the applicant's code


class ReasonIn(Schema):
    reason: str = ""


class LeafError(Schema):
    code: str
    rule: str
    message: str


class AnswersError(Schema):
    rule: str
    field: str | None
    message: str
    errors: list[LeafError]


# --- output ----------------------------------------------------------------------------------------


def _summary(application, total: int | None = None) -> dict:
    return {
        "id": application.pk,
        "campaign": application.campaign_id,
        "org": application.org.code,
        "org_name": application.org.name,
        "state": application.state,
        "recommender_org": application.recommender_org.code if application.recommender_org_id else None,
        "submissions": application.submissions,
        "first_submitted_at": application.first_submitted_at,
        "submitted_at": application.submitted_at,
        "decision_reason": application.decision_reason,
        "decided_at": application.decided_at,
        "self_assessed_total": _points(total),
    }


def _answer_out(leaf: specs.Indicator, value) -> Any:
    if value is None:
        return None
    if leaf.rule.kind == specs.MANUAL:
        return _points(value)
    if leaf.rule.kind in (specs.RATIO, specs.TIERS):
        return str(value)
    return value


def _detail(application) -> dict:
    assessment = selectors.application_assessment(application)
    leaves = selectors.campaign_leaves(application.campaign)
    answers = [
        {
            "code": code,
            "answer": _answer_out(leaves[code], assessment.values.get(code)),
            "statement": row.statement,
            "score": _points(assessment.score.leaves.get(code, 0)),
        }
        for code, row in sorted(assessment.answers.items(), key=lambda item: list(leaves).index(item[0]))
        if code in leaves
    ]
    evidence = [
        {
            "id": item.pk,
            "name": item.name,
            "indicator": item.indicator.code if item.indicator_id else None,
            "content_type": item.content_type,
            "size": item.size,
            "sha256": item.sha256,
            "uploaded_at": item.uploaded_at,
        }
        for item in assessment.evidence
    ]
    return {
        **_summary(application, assessment.total),
        "standard_total": _points(assessment.standard.total),
        "unanswered": assessment.unanswered,
        "answers": answers,
        "evidence": evidence,
    }


def _get(request, application_id: int, **kwargs):
    return access.application_get_for_user(request.auth, application_id, **kwargs)


# --- endpoints -------------------------------------------------------------------------------------


@router.post("/campaigns/{int:campaign_id}/applications", response={201: ApplicationOut}, url_name="application_create")
def application_create(request, campaign_id: int, payload: CreateIn):
    """Open the application of the org with code ``org`` (where you hold ``application.edit``) to the
    campaign, as a draft. The campaign must be in its application stage."""
    campaign = access.campaign_get_for_user(request.auth, campaign_id)
    org = org_find_by_code(user=request.auth, code=payload.org, capability=roles.APPLICATION_EDIT)
    if org is None:
        raise DomainError(_("No organisation with this code that you may apply for."), rule="api.org", field="org")
    application = services.application_create(actor=request.auth, campaign=campaign, org=org)
    return Status(201, _detail(_get(request, application.pk)))


@router.get("/applications", response=list[ApplicationSummary], url_name="application_list")
def application_list(request, campaign: int | None = None, state: str = "", page: int = 1):
    """The applications you may see (100 a page), with their self-assessed totals."""
    applications = access.applications_for_user(request.auth).select_related(
        "campaign__standard", "org", "recommender_org"
    )
    if campaign is not None:
        applications = applications.filter(campaign_id=campaign)
    if state:
        applications = applications.filter(state=state)
    start = (max(page, 1) - 1) * PAGE_SIZE
    chosen = list(applications.order_by("campaign_id", "pk")[start : start + PAGE_SIZE])
    totals = selectors.self_assessed_totals(chosen)
    return [_summary(application, totals[application.pk]) for application in chosen]


@router.get("/applications/recommendations", response=list[ApplicationSummary], url_name="recommendation_queue")
def recommendation_queue(request, campaign: int | None = None, page: int = 1):
    """Submitted applications waiting for your decision (your ``application.recommend`` scope), oldest first."""
    start = (max(page, 1) - 1) * PAGE_SIZE
    chosen = list(selectors.recommendation_queue(request.auth, campaign_id=campaign)[start : start + PAGE_SIZE])
    return [_summary(application) for application in chosen]


@router.get("/applications/{int:application_id}", response=ApplicationOut, url_name="application")
def application_get(request, application_id: int):
    """One application with its answers, their scores, the self-assessed total and its evidence files."""
    return _detail(_get(request, application_id))


@router.post(
    "/applications/{int:application_id}/answers",
    response={200: ApplicationOut, 400: AnswersError},
    url_name="application_answers",
)
def application_answers(request, application_id: int, payload: AnswersIn):
    """Save answers and statements of several leaves: all of them, or none when any is refused (400, with
    ``errors`` naming every refused leaf)."""
    application = _get(request, application_id, edit=True)
    leaves = selectors.campaign_leaves(application.campaign)
    entries, errors = [], []
    for item in payload.answers:
        leaf = leaves.get(item.code)
        try:
            value = services.answer_coerce(leaf, item.answer) if leaf is not None else item.answer
        except DomainError as error:
            errors.append({"code": item.code, "rule": error.rule, "message": error.message})
            continue
        entry = services.AnswerInput(item.code, value, item.statement)
        if problem := services.answer_problem(leaves, entry):
            errors.append(problem)
        entries.append(entry)
    try:
        if errors:
            raise services.AnswersInvalid(errors)
        services.answers_save(actor=request.auth, application=application, answers=entries)
    except services.AnswersInvalid as error:
        return Status(400, {"rule": error.rule, "field": error.field, "message": error.message, "errors": error.errors})
    return _detail(_get(request, application_id))


@router.post(
    "/applications/{int:application_id}/evidence", response={201: EvidenceOut}, url_name="application_evidence_add"
)
def application_evidence_add(request, application_id: int, file: File[UploadedFile], indicator: Form[str] = ""):
    """Upload an evidence file (multipart ``file``), for the leaf with code ``indicator`` or the whole
    application. Its real type is read from its content; size and type limits are the site's settings."""
    application = _get(request, application_id, edit=True)
    row = None
    if indicator:
        ids = selectors.campaign_indicator_ids(application.campaign)
        if indicator not in ids:
            raise DomainError(
                _("%(code)s is not a scored indicator of this campaign's standard.") % {"code": indicator},
                rule="campaigns.not_a_leaf",
                field="indicator",
            )
        row = selectors.campaign_indicator(application.campaign, ids[indicator])
    item = evidence_add(actor=request.auth, application=application, indicator=row, uploaded_file=file)
    return Status(
        201,
        {
            "id": item.pk,
            "name": item.name,
            "indicator": indicator or None,
            "content_type": item.content_type,
            "size": item.size,
            "sha256": item.sha256,
            "uploaded_at": item.uploaded_at,
        },
    )


@router.get("/applications/evidence/{int:evidence_id}", url_name="evidence_download")
def evidence_download(request, evidence_id: int):
    """The evidence file, to anyone who may see its application, as an attachment of its checked type."""
    evidence = selectors.evidence_get(evidence_id)
    _get(request, evidence.application_id)
    try:
        handle = default_storage.open(evidence.file.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=evidence.name, content_type=evidence.content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@router.post("/applications/{int:application_id}/submit", response=ApplicationOut, url_name="application_submit")
def application_submit(request, application_id: int):
    """Submit to the recommending org. Every leaf must be answered (400 names the unanswered ones)."""
    services.application_submit(actor=request.auth, application=_get(request, application_id, edit=True))
    return _detail(_get(request, application_id))


@router.post("/applications/{int:application_id}/recommend", response=ApplicationOut, url_name="application_recommend")
def application_recommend(request, application_id: int):
    """Recommend a submitted application (you hold ``application.recommend`` over its recommending org)."""
    services.application_recommend(actor=request.auth, application=_get(request, application_id, recommend=True))
    return _detail(_get(request, application_id))


@router.post("/applications/{int:application_id}/return", response=ApplicationOut, url_name="application_return")
def application_return(request, application_id: int, payload: ReasonIn):
    """Return a submitted application to its clerk for correction; ``reason`` is required."""
    application = _get(request, application_id, recommend=True)
    services.application_return(actor=request.auth, application=application, reason=payload.reason)
    return _detail(_get(request, application_id))


@router.post(
    "/applications/{int:application_id}/not-recommend", response=ApplicationOut, url_name="application_not_recommend"
)
def application_not_recommend(request, application_id: int, payload: ReasonIn):
    """Turn a submitted application down; ``reason`` is required."""
    application = _get(request, application_id, recommend=True)
    services.application_not_recommend(actor=request.auth, application=application, reason=payload.reason)
    return _detail(_get(request, application_id))
