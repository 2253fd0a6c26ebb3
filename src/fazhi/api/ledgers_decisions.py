"""JSON API of the ledger "Major administrative decisions": every path starts with /ledgers/decisions.

The same selectors (scope: ``ledger.view``; writes need ``ledger.edit``) and services (the rules, audited) as the
pages. A refused rule is a 400 ``{rule, field, message}``: recording "decided" with a step missing names the step
in ``field`` (e.g. ``legality_review``) and in the message.
"""

from __future__ import annotations

from datetime import date

from django.http import Http404
from django.utils.translation import gettext as _
from ninja import Field, File, Router, Schema, Status
from ninja.files import UploadedFile

from fazhi.core.errors import DomainError
from fazhi.ledgers.decisions import selectors, services
from fazhi.ledgers.decisions.models import Category, Decision, ProcedureKind
from fazhi.ledgers.decisions.models import Status as DecisionStatus
from fazhi.orgs import roles
from fazhi.orgs.access import require_capability
from fazhi.orgs.selectors import org_find_by_code

router = Router()

PAGE_SIZE = selectors.PAGE_SIZE


class ProcedureOut(Schema):
    id: int
    kind: str
    started_on: date | None
    ended_on: date
    period_days: int | None
    review_period_ok: bool | None
    summary: str
    evidence: list[dict]

    @staticmethod
    def resolve_evidence(procedure) -> list[dict]:
        return [
            {"id": e.pk, "name": e.name, "type": e.content_type, "size": e.size, "sha256": e.sha256}
            for e in procedure.evidence.all()
        ]


class DecisionOut(Schema):
    id: int
    org: str
    org_name: str
    year: int
    title: str
    category: str
    technical: bool
    public_comment_required: bool
    hearing_required: bool
    status: str
    decided_on: date | None
    withdrawn_reason: str
    evaluation_due: date | None
    evaluated_on: date | None
    evaluation_finding: str
    note: str

    @staticmethod
    def resolve_org(decision) -> str:
        return decision.org.code

    @staticmethod
    def resolve_org_name(decision) -> str:
        return decision.org.name


class DecisionDetailOut(DecisionOut):
    procedures: list[ProcedureOut]
    missing: list[str]  # why it cannot be recorded as decided yet (empty once it can, or once decided)

    @staticmethod
    def resolve_procedures(decision) -> list:
        return decision.procedure_list

    @staticmethod
    def resolve_missing(decision) -> list[str]:
        return decision.missing


class DecisionPage(Schema):
    page: int
    pages: int
    count: int
    results: list[DecisionOut]


TITLE_MAX = Decision._meta.get_field("title").max_length  # as the page's form and the import check: 422 beyond


class DecisionIn(Schema):
    org: str  # the organisation's code
    year: int
    title: str = Field(..., max_length=TITLE_MAX)
    category: Category
    technical: bool = False
    public_comment_required: bool = True
    hearing_required: bool = False
    evaluation_due: date | None = None
    note: str = ""


class DecisionPatch(Schema):
    year: int | None = None
    title: str | None = Field(None, max_length=TITLE_MAX)
    category: Category | None = None
    technical: bool | None = None
    public_comment_required: bool | None = None
    hearing_required: bool | None = None
    evaluation_due: date | None = None
    note: str | None = None


class ProcedureIn(Schema):
    kind: ProcedureKind
    started_on: date | None = None
    ended_on: date | None = None
    summary: str = ""


class WithdrawIn(Schema):
    reason: str


class EvaluateIn(Schema):
    evaluated_on: date | None
    finding: str


def _detail(decision):
    """The decision with its procedures and what it still misses, as ``DecisionDetailOut`` reads them."""
    decision.procedure_list = selectors.decision_procedures(decision)
    decision.missing = (
        [services.message(p) for _s, p in services.decide_problems(decision, decision.procedure_list)]
        if decision.status == DecisionStatus.CATALOGUED
        else []
    )
    return decision


@router.get("/ledgers/decisions", response=DecisionPage, url_name="api_decision_list")
def decision_list(request, org: str = "", year: int | None = None, status: DecisionStatus | None = None, page: int = 1):
    """The decisions you may see; ``org`` (a code) narrows to that organisation's subtree."""
    require_capability(request.auth, roles.LEDGER_VIEW)
    root = None
    if org:
        root = org_find_by_code(user=request.auth, code=org, capability=roles.LEDGER_VIEW)
        if root is None:
            raise Http404
    queryset = selectors.decisions_for_user(request.auth, org=root, year=year, status=status or "")
    count = queryset.count()
    pages = max(1, -(-count // PAGE_SIZE))
    page = min(max(1, page), pages)
    results = list(queryset[(page - 1) * PAGE_SIZE : page * PAGE_SIZE])
    return {"page": page, "pages": pages, "count": count, "results": results}


@router.get("/ledgers/decisions/{decision_id}", response=DecisionDetailOut, url_name="api_decision")
def decision_get(request, decision_id: int):
    return _detail(selectors.decision_get_for_user(request.auth, decision_id))


@router.post("/ledgers/decisions", response={201: DecisionDetailOut}, url_name="api_decision_create")
def decision_create(request, payload: DecisionIn):
    require_capability(request.auth, roles.LEDGER_EDIT)
    data = payload.model_dump()
    org = org_find_by_code(user=request.auth, code=data.pop("org"), capability=roles.LEDGER_EDIT)
    if org is None:  # as the documents' API and the page: a refusal on the field, not a 404
        raise DomainError(
            _("No organisation with this code where you may edit the ledger."), rule="api.org", field="org"
        )
    decision = services.decision_create(actor=request.auth, org=org, **data)
    return Status(201, _detail(decision))


# The catalogue fields a PATCH may not set to null (only ``evaluation_due`` may be cleared).
NOT_NULL = ("year", "title", "category", "technical", "public_comment_required", "hearing_required", "note")


@router.patch("/ledgers/decisions/{decision_id}", response=DecisionDetailOut, url_name="api_decision_update")
def decision_update(request, decision_id: int, payload: DecisionPatch):
    """Change the given fields of the catalogue entry (fields left out stay as they are). While the decision is
    open any of them; once decided, only ``evaluation_due`` and ``note``."""
    decision = selectors.decision_get_for_user(request.auth, decision_id, write=True)
    changes = payload.model_dump(exclude_unset=True)
    for name in NOT_NULL:
        if name in changes and changes[name] is None:
            raise DomainError(_("This field cannot be empty."), rule="api.null", field=name)
    decision = services.decision_update(actor=request.auth, decision=decision, **changes)
    return _detail(decision)


@router.post(
    "/ledgers/decisions/{decision_id}/procedures", response=DecisionDetailOut, url_name="api_decision_procedure"
)
def procedure_record(request, decision_id: int, payload: ProcedureIn):
    """Record (or correct) one step: ``kind`` is public_participation, hearing, expert_argumentation,
    risk_assessment, legality_review or collective_decision."""
    decision = selectors.decision_get_for_user(request.auth, decision_id, write=True)
    services.procedure_record(actor=request.auth, decision=decision, **payload.model_dump())
    return _detail(selectors.decision_get_for_user(request.auth, decision_id))


@router.post("/ledgers/decisions/{decision_id}/decide", response=DecisionDetailOut, url_name="api_decision_decide")
def decision_decide(request, decision_id: int):
    decision = selectors.decision_get_for_user(request.auth, decision_id, write=True)
    return _detail(services.decision_decide(actor=request.auth, decision=decision))


@router.post("/ledgers/decisions/{decision_id}/withdraw", response=DecisionDetailOut, url_name="api_decision_withdraw")
def decision_withdraw(request, decision_id: int, payload: WithdrawIn):
    decision = selectors.decision_get_for_user(request.auth, decision_id, write=True)
    return _detail(services.decision_withdraw(actor=request.auth, decision=decision, reason=payload.reason))


@router.post("/ledgers/decisions/{decision_id}/evaluate", response=DecisionDetailOut, url_name="api_decision_evaluate")
def decision_evaluate(request, decision_id: int, payload: EvaluateIn):
    decision = selectors.decision_get_for_user(request.auth, decision_id, write=True)
    return _detail(
        services.decision_evaluate(
            actor=request.auth, decision=decision, evaluated_on=payload.evaluated_on, finding=payload.finding
        )
    )


class EvidenceOut(Schema):
    id: int
    name: str
    type: str
    size: int
    sha256: str


@router.post(
    "/ledgers/decisions/procedures/{decision_procedure_id}/evidence",
    response={201: EvidenceOut},
    url_name="api_decision_evidence_add",
)
def evidence_add(request, decision_procedure_id: int, file: UploadedFile = File(...)):  # noqa: B008
    """Attach an evidence file (multipart ``file``) to a step: its real type and size are checked, its SHA-256
    returned. Files are downloaded from the decision's page only."""
    procedure = selectors.procedure_get_for_user(request.auth, decision_procedure_id, write=True)
    evidence = services.evidence_add(actor=request.auth, procedure=procedure, uploaded_file=file)
    return Status(
        201,
        {
            "id": evidence.pk,
            "name": evidence.name,
            "type": evidence.content_type,
            "size": evidence.size,
            "sha256": evidence.sha256,
        },
    )
