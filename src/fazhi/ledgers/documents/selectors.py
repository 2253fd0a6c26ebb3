"""Reads of the ledger "Normative documents": lists scoped to the user, one record with its scope, deadlines,
and the public catalogue (published documents in force only, no personal data)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.ledgers.common.registry import Deadline
from fazhi.ledgers.documents import rules
from fazhi.ledgers.documents.models import Cleanup, CleanupItem, Document
from fazhi.orgs import roles
from fazhi.orgs.access import has_capability, scope_q
from fazhi.orgs.models import Org, subtree_q

PAGE_SIZE = 50

# The list's status filter: the stored statuses, plus "expired" meaning derived from the date.
ACTIVE = (rules.DRAFTING, rules.COMMENT, rules.REVIEW, rules.DECISION, rules.DECIDED, rules.REGISTERED)


def documents_for_user(
    *, user, org: Org | None = None, year: int | None = None, status: str = "", query: str = "", today=None
) -> QuerySet[Document]:
    """Documents in the user's scope; ``org``: its subtree; ``year``: published (or, unpublished, created) that
    year; ``status``: as displayed (a document in force past its last day counts as expired)."""
    today = today or timezone.localdate()
    documents = Document.objects.filter(scope_q(user, roles.LEDGER_VIEW, "org__path")).select_related(
        "org", "registering_office"
    )
    if org is not None:
        documents = documents.filter(subtree_q(org.path, "org__path"))
    if year:
        documents = documents.filter(Q(published_on__year=year) | Q(published_on__isnull=True, created_at__year=year))
    if status == rules.IN_FORCE:
        documents = documents.filter(status=rules.IN_FORCE).exclude(expires_on__lt=today)
    elif status == rules.EXPIRED:
        documents = documents.filter(Q(status=rules.EXPIRED) | Q(status=rules.IN_FORCE, expires_on__lt=today))
    elif status == "active":
        documents = documents.filter(status__in=ACTIVE)
    elif status:
        documents = documents.filter(status=status)
    if query:
        documents = documents.filter(Q(title__icontains=query) | Q(document_number__icontains=query))
    return documents.order_by("-published_on", "-pk")


def documents_page(*, page: int = 1, **filters):
    return Paginator(documents_for_user(**filters), PAGE_SIZE).get_page(page)


def document_get_for_user(user, pk, *, write: bool = False) -> Document:
    """The document, if in the user's ledger scope (404 otherwise); for a write, with ``ledger.edit`` (403)."""
    try:
        document = Document.objects.select_related("org", "registering_office", "replaced_by").get(pk=pk)
    except (Document.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not has_capability(user, roles.LEDGER_VIEW, document.org) and not has_capability(
        user, roles.LEDGER_EDIT, document.org
    ):
        raise Http404
    if write and not has_capability(user, roles.LEDGER_EDIT, document.org):
        raise PermissionDenied
    return document


def replacement_candidates(*, user, document: Document) -> QuerySet[Document]:
    """Documents that may replace ``document``: registered or in force, in the user's scope."""
    return (
        Document.objects.filter(scope_q(user, roles.LEDGER_VIEW, "org__path"))
        .filter(status__in=(rules.REGISTERED, rules.IN_FORCE))
        .exclude(pk=document.pk)
        .select_related("org")
        .order_by("-pk")
    )


def cleanups_for_user(*, user) -> QuerySet[Cleanup]:
    return Cleanup.objects.filter(scope_q(user, roles.LEDGER_VIEW, "org__path")).select_related("org")


def cleanup_get_for_user(user, pk, *, write: bool = False) -> Cleanup:
    try:
        cleanup = Cleanup.objects.select_related("org").get(pk=pk)
    except (Cleanup.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not has_capability(user, roles.LEDGER_VIEW, cleanup.org) and not has_capability(
        user, roles.LEDGER_EDIT, cleanup.org
    ):
        raise Http404
    if write and not has_capability(user, roles.LEDGER_EDIT, cleanup.org):
        raise PermissionDenied
    return cleanup


def cleanup_items(cleanup: Cleanup) -> QuerySet[CleanupItem]:
    return cleanup.items.select_related("document", "document__org").order_by("document__org__path", "pk")


def cleanup_item_get(cleanup: Cleanup, pk) -> CleanupItem:
    try:
        return cleanup.items.select_related("document").get(pk=pk)
    except (CleanupItem.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


# The kinds of organisation that issue or register normative documents (administrative organs): the forms' selects
# list only these, so a county's villages and schools do not fill them.
ISSUING_KINDS = ("province", "city", "county", "township", "department")


def edit_orgs(user) -> QuerySet[Org]:
    """Issuing organisations for the forms: administrative organs where the user may edit the ledger."""
    return Org.objects.filter(scope_q(user, roles.LEDGER_EDIT), is_active=True, kind__in=ISSUING_KINDS).order_by("path")


def offices(user) -> QuerySet[Org]:
    """Registering offices: the administrative organs the user can see (usually the government's or the justice
    bureau's legal office)."""
    return Org.objects.filter(scope_q(user, roles.ORG_VIEW), is_active=True, kind__in=ISSUING_KINDS).order_by("path")


# --- Deadlines ----------------------------------------------------------------------------------------------------


def deadlines(scope: Q, start: dt.date, end: dt.date) -> Iterable[Deadline]:
    """Undone items due from ``start`` to ``end``: a legality-review report, a filing, an evaluation before expiry."""
    base = Document.objects.filter(scope).select_related("org")
    sources = (
        (
            base.filter(status=rules.REVIEW, review_due__range=(start, end)),
            "review_due",
            _("Legality review report"),
        ),
        (
            base.filter(filed_on__isnull=True, filing_due__range=(start, end)).exclude(
                status__in=(rules.DRAFTING, rules.COMMENT, rules.REVIEW, rules.DECISION, rules.DECIDED)
            ),
            "filing_due",
            _("Filing with the government above"),
        ),
        (
            base.filter(status=rules.IN_FORCE, evaluated_on__isnull=True, evaluation_due__range=(start, end)),
            "evaluation_due",
            _("Evaluation before expiry"),
        ),
    )
    for queryset, date_field, what in sources:
        for document in queryset.order_by(date_field, "pk"):
            yield Deadline(
                ledger="documents",
                what=what,
                record=str(document),
                url=reverse("document_detail", args=[document.pk]),
                org_id=document.org_id,
                org_name=document.org.name,
                due=getattr(document, date_field),
            )


# --- The public catalogue -----------------------------------------------------------------------------------------


def catalogue(*, query: str = "", today=None) -> QuerySet[Document]:
    """Published documents in force today (not past their last day), newest first; ``query`` matches the title
    or the document number."""
    today = today or timezone.localdate()
    documents = (
        Document.objects.filter(status=rules.IN_FORCE, published_on__isnull=False)
        .exclude(expires_on__lt=today)
        .select_related("org")
        .only(
            "pk",
            "title",
            "document_number",
            "registration_number",
            "published_on",
            "effective_from",
            "expires_on",
            "channel",
            "org__name",
        )
    )
    if query:
        documents = documents.filter(Q(title__icontains=query) | Q(document_number__icontains=query))
    return documents.order_by("-published_on", "-pk")


def catalogue_page(*, query: str = "", page: int = 1, today=None):
    return Paginator(catalogue(query=query, today=today), PAGE_SIZE).get_page(page)


def catalogue_document(pk, *, today=None) -> Document:
    try:
        return catalogue(today=today).get(pk=pk)
    except (Document.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
