"""JSON API of the ledger "Normative documents": every path starts with /ledgers/documents.

List (filters ``org`` — an org code, its subtree —, ``year``, ``status``, ``q``; paginated), detail, create, update
(PATCH, until registration), one endpoint per workflow step (comment, submit-review, review, decide, register,
publish, file, evaluate, end), and cleanups (start, detail, record an outcome). The rules are the services': a
broken one is a 400 ``{rule, field, message}``.
"""

# No ``from __future__ import annotations``: ninja reads the annotations as objects.
import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema, Status

from fazhi.core.errors import DomainError
from fazhi.ledgers.documents import selectors, services
from fazhi.ledgers.documents.models import Cleanup, CleanupItem, Document
from fazhi.ledgers.documents.steps import STEPS, step_apply
from fazhi.orgs import roles
from fazhi.orgs.access import has_any_capability
from fazhi.orgs.selectors import org_find_by_code

router = Router()

PAGE_SIZE = 100
BASE = "/ledgers/documents"
ONE = BASE + "/{int:document_id}"

# The document's own fields, as the audit records them (the two foreign keys are shown as codes/ids below).
FIELDS = tuple(name for name in services.AUDITED if name not in ("registering_office_id", "replaced_by_id"))


def document_out(document: Document) -> dict[str, Any]:
    out: dict[str, Any] = {"id": document.pk, "org": document.org.code, "org_name": document.org.name}
    out.update({name: getattr(document, name) for name in FIELDS})
    out["displayed_status"] = document.status_on(timezone.localdate())
    out["provisional_by_rule"] = document.is_provisional
    out["registering_office"] = document.registering_office.code if document.registering_office_id else None
    out["filed_on_time"] = document.filed_on_time
    out["review_on_time"] = document.review_on_time
    out["replaced_by"] = document.replaced_by_id
    out["url"] = document.get_absolute_url()
    return out


class PageOut(Schema):
    count: int
    page: int
    pages: int
    results: list[dict[str, Any]]


def _text(model, name: str, default=...):
    """A string no longer than the model's column (what the pages' forms and the import check too): 422 beyond."""
    return Field(default, max_length=model._meta.get_field(name).max_length)


class DocumentIn(Schema):
    org: str
    title: str = _text(Document, "title")
    provisional: bool = False
    affects_rights: bool = False
    drafted_on: dt.date | None = None
    effective_from: dt.date | None = None
    expires_on: dt.date | None = None


# The fields a PATCH may not set to null (the dates may be cleared).
NOT_NULL = ("title", "provisional", "affects_rights")


class DocumentPatch(Schema):
    title: str | None = _text(Document, "title", None)
    provisional: bool | None = None
    affects_rights: bool | None = None
    drafted_on: dt.date | None = None
    effective_from: dt.date | None = None
    expires_on: dt.date | None = None


class CommentIn(Schema):
    comment_start: dt.date
    comment_end: dt.date


class SubmitReviewIn(Schema):
    submitted_on: dt.date


class ReviewIn(Schema):
    reported_on: dt.date
    outcome: str


class DecideIn(Schema):
    decided_on: dt.date
    meeting: str = _text(Document, "decision_meeting", "")


class RegisterIn(Schema):
    office: str
    registered_on: dt.date
    number_prefix: str = _text(Document, "number_prefix")
    number_serial: int | None = None
    effective_from: dt.date | None = None
    expires_on: dt.date | None = None


class PublishIn(Schema):
    published_on: dt.date
    channel: str


class FileIn(Schema):
    filed_on: dt.date
    filing_outcome: str = ""


class EvaluateIn(Schema):
    evaluated_on: dt.date


class EndIn(Schema):
    status: str
    ended_on: dt.date
    replaced_by: int | None = None
    reason: str = _text(Document, "end_reason", "")


class CleanupIn(Schema):
    org: str
    title: str = _text(Cleanup, "title")
    started_on: dt.date


class CleanupDecideIn(Schema):
    outcome: str
    decided_on: dt.date
    note: str = _text(CleanupItem, "note", "")


def _org(user, code: str | None, capability: str, *, field: str = "org"):
    """The list filter's org (404 outside the LEDGER_VIEW scope), or an org the body names: picked from the same
    organisations as the pages' forms offer (issuing orgs and cleanups: active administrative organs where the user
    holds LEDGER_EDIT; registering offices: active administrative organs the user can see), else a 400 on ``field``."""
    if not code:
        return None
    if capability == roles.LEDGER_VIEW:
        org = org_find_by_code(user=user, code=code, capability=capability)
        if org is None:
            raise Http404
        return org
    choices = selectors.edit_orgs(user) if capability == roles.LEDGER_EDIT else selectors.offices(user)
    org = choices.filter(code=code.strip().upper()).first()
    if org is None:
        raise DomainError(_("No organisation with this code in your scope."), rule="api.org", field=field)
    return org


@router.get(BASE, response=PageOut, url_name="api_document_list")
def document_list(request, org: str = "", year: int = 0, status: str = "", q: str = "", page: int = 1):
    """Normative documents you may see (filters: org code and its subtree, year, displayed status, title/number)."""
    if not has_any_capability(request.auth, roles.LEDGER_VIEW):
        raise PermissionDenied
    subtree = _org(request.auth, org, roles.LEDGER_VIEW)
    documents = selectors.documents_for_user(user=request.auth, org=subtree, year=year or None, status=status, query=q)
    paginator = Paginator(documents, PAGE_SIZE)
    current = paginator.get_page(page)
    return {
        "count": paginator.count,
        "page": current.number,
        "pages": paginator.num_pages,
        "results": [document_out(d) for d in current.object_list],
    }


@router.get(ONE, response=dict[str, Any], url_name="api_document")
def document_get(request, document_id: int):
    """One normative document."""
    return document_out(selectors.document_get_for_user(request.auth, document_id))


@router.post(BASE, response={201: dict[str, Any]}, url_name="api_document_create")
def document_create(request, payload: DocumentIn):
    """Record a new document (in drafting) of the organisation with code ``org``."""
    if not has_any_capability(request.auth, roles.LEDGER_EDIT):
        raise PermissionDenied
    data = payload.dict()
    org = _org(request.auth, data.pop("org"), roles.LEDGER_EDIT)
    return Status(201, document_out(services.document_create(actor=request.auth, org=org, **data)))


@router.patch(ONE, response=dict[str, Any], url_name="api_document_update")
def document_update(request, document_id: int, payload: DocumentPatch):
    """Change the given fields (title, flags, drafting date, validity) until the document is registered; fields
    left out stay as they are."""
    document = selectors.document_get_for_user(request.auth, document_id, write=True)
    changes = payload.dict(exclude_unset=True)
    for name in NOT_NULL:
        if name in changes and changes[name] is None:
            raise DomainError(_("This field cannot be empty."), rule="api.null", field=name)
    return document_out(services.document_update(actor=request.auth, document=document, **changes))


# --- The workflow's steps: one endpoint shape, POST /{id}/<step>, registered for each step of steps.STEPS ---------


def _register_office(request, data: dict) -> dict:
    office = _org(request.auth, data.pop("office"), roles.ORG_VIEW, field="office")
    if office is None:
        raise DomainError(_("Give the registering office's code."), rule="api.org", field="office")
    return {**data, "office": office}


def _replacement(request, data: dict) -> dict:
    replaced_by = data.pop("replaced_by")
    replacement = selectors.document_get_for_user(request.auth, replaced_by) if replaced_by else None
    return {**data, "replaced_by": replacement}


# step name → (its body, what the endpoint says, how the body becomes the service's arguments)
STEP_BODIES: dict[str, tuple[type[Schema], str, Any]] = {
    "comment": (CommentIn, "Record the public comment period.", None),
    "submit_review": (SubmitReviewIn, "Submit for legality review (the report falls due in working days).", None),
    "review": (ReviewIn, "The legality review's report: ``pass``, ``pass_with_changes`` or ``fail``.", None),
    "decide": (DecideIn, "The collective decision.", None),
    "register": (
        RegisterIn,
        "Register: the unified registration number of the office (code ``office``) and the document number.",
        _register_office,
    ),
    "publish": (PublishIn, "Publish (the document is then in force).", None),
    "file": (FileIn, "Record the filing with the government above and, when known, its review's outcome.", None),
    "evaluate": (EvaluateIn, "Record the evaluation before expiry.", None),
    "end": (
        EndIn,
        "Repeal (``repealed``), replace (``replaced``, with ``replaced_by``: a document id) or declare invalid.",
        _replacement,
    ),
}


def _step_endpoint(name: str, body: type[Schema], description: str, prepare):
    """``POST /ledgers/documents/{id}/<path>``: record step ``name`` (write scope: 404 outside, 403 without
    ``ledger.edit``) through its service; the document as the detail returns it."""

    def endpoint(request, document_id: int, payload: body):  # ninja reads the annotation: no __future__ import
        document = selectors.document_get_for_user(request.auth, document_id, write=True)
        data = payload.dict()
        if prepare is not None:
            data = prepare(request, data)
        return document_out(step_apply(name, actor=request.auth, document=document, **data))

    endpoint.__name__ = endpoint.__qualname__ = f"document_{name}"  # the OpenAPI operation id and summary
    endpoint.__doc__ = description
    return router.post(f"{ONE}/{STEPS[name].path}", response=dict[str, Any], url_name=f"api_document_{name}")(endpoint)


for _name in STEPS:
    _step_endpoint(_name, *STEP_BODIES[_name])


# --- Cleanups -----------------------------------------------------------------------------------------------------


def cleanup_out(cleanup) -> dict[str, Any]:
    return {
        "id": cleanup.pk,
        "org": cleanup.org.code,
        "title": cleanup.title,
        "started_on": cleanup.started_on,
        "items": [
            {
                "id": item.pk,
                "document": item.document_id,
                "document_number": item.document.document_number,
                "title": item.document.title,
                "outcome": item.outcome,
                "decided_on": item.decided_on,
                "note": item.note,
            }
            for item in selectors.cleanup_items(cleanup)
        ],
    }


@router.post(BASE + "/cleanups", response={201: dict[str, Any]}, url_name="api_document_cleanup_create")
def cleanup_create(request, payload: CleanupIn):
    """Start a cleanup of the documents in force of the organisation with code ``org`` and its subtree."""
    if not has_any_capability(request.auth, roles.LEDGER_EDIT):
        raise PermissionDenied
    data = payload.dict()
    org = _org(request.auth, data.pop("org"), roles.LEDGER_EDIT)
    return Status(201, cleanup_out(services.cleanup_start(actor=request.auth, org=org, **data)))


@router.get(BASE + "/cleanups/{int:cleanup_id}", response=dict[str, Any], url_name="api_document_cleanup")
def cleanup_get(request, cleanup_id: int):
    """A cleanup with its documents and their outcomes."""
    return cleanup_out(selectors.cleanup_get_for_user(request.auth, cleanup_id))


@router.post(
    BASE + "/cleanups/{int:cleanup_id}/items/{int:cleanup_item_id}",
    response=dict[str, Any],
    url_name="api_document_cleanup_decide",
)
def cleanup_decide(request, cleanup_id: int, cleanup_item_id: int, payload: CleanupDecideIn):
    """Record a document's outcome: ``continue``, ``amend``, ``repeal`` or ``invalid`` (the last two end it)."""
    cleanup = selectors.cleanup_get_for_user(request.auth, cleanup_id, write=True)
    item = selectors.cleanup_item_get(cleanup, cleanup_item_id)
    services.cleanup_item_decide(actor=request.auth, item=item, **payload.dict())
    return cleanup_out(cleanup)
