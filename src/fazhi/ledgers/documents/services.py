"""Writes of the ledger "Normative documents": each step of the workflow, cleanups, the daily expiry, bulk import.

Every function runs in one transaction, checks the pure rules (``rules``) with the settings' figures, raises
``DomainError(rule="documents.<rule>", field=…)`` and writes nothing when one is broken, and appends an audit event.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.core.audit import audit_record, audit_record_many
from fazhi.core.errors import DomainError
from fazhi.core.i18n import translate
from fazhi.core.workdays import add_working_days
from fazhi.ledgers.documents import rules
from fazhi.ledgers.documents.models import (
    Channel,
    Cleanup,
    CleanupItem,
    CleanupOutcome,
    Document,
    FilingOutcome,
    RegistrationCounter,
    ReviewOutcome,
)
from fazhi.orgs.models import Org, subtree_q

# Fields shown in the audit's before/after.
AUDITED = (
    "title",
    "provisional",
    "affects_rights",
    "status",
    "drafted_on",
    "comment_start",
    "comment_end",
    "review_submitted_on",
    "review_due",
    "review_reported_on",
    "review_outcome",
    "decided_on",
    "decision_meeting",
    "registering_office_id",
    "registered_on",
    "registration_number",
    "document_number",
    "effective_from",
    "expires_on",
    "evaluation_due",
    "evaluated_on",
    "published_on",
    "channel",
    "filing_due",
    "filed_on",
    "filing_outcome",
    "ended_on",
    "replaced_by_id",
    "end_reason",
)


def _snapshot(document: Document) -> dict[str, Any]:
    return {name: getattr(document, name) for name in AUDITED}


def _filled(document: Document) -> dict[str, Any]:
    """The snapshot without its empty fields: what an imported document was created with."""
    return {name: value for name in AUDITED if (value := getattr(document, name)) is not None and value != ""}


def _changes(before: dict, after: dict) -> tuple[dict, dict]:
    keys = [k for k in after if before.get(k) != after[k]]
    return {k: before.get(k) for k in keys}, {k: after[k] for k in keys}


def _refuse(problems, rule: str) -> None:
    """Raise the first (field, Problem) as a DomainError."""
    if problems:
        field_name, problem = problems[0]
        raise DomainError(translate(problem), rule=rule, field=field_name)


def _lock(document: Document) -> Document:
    """The document re-read under a row lock (its status is what it is now, not what the page saw)."""
    return Document.objects.select_for_update().get(pk=document.pk)


def _check_allowed(action: str, document: Document) -> None:
    if not rules.allowed(action, document.status):
        raise DomainError(
            _("This cannot be done while the document's status is “%(status)s”.")
            % {"status": document.get_status_display()},
            rule="documents.not_now",
            field=None,
        )


def _validity(document: Document) -> None:
    _refuse(
        rules.validity_problems(
            title=document.title,
            provisional=document.provisional,
            effective_from=document.effective_from,
            expires_on=document.expires_on,
            validity_years=settings.FAZHI_DOCUMENT_VALIDITY_YEARS,
            provisional_validity_years=settings.FAZHI_DOCUMENT_PROVISIONAL_VALIDITY_YEARS,
        ),
        "documents.validity_too_long",
    )


def _dates(document: Document) -> None:
    values = {name: getattr(document, name) for name in (*rules.DATE_CHAIN, *rules.AFTER_PUBLICATION)}
    _refuse(rules.date_order_problems(values), "documents.date_order")


def _derived(document: Document) -> None:
    """The dates computed from others: evaluation due (months before expiry), filing due (days after publication)."""
    document.evaluation_due = (
        rules.evaluation_due(document.expires_on, settings.FAZHI_DOCUMENT_EVALUATION_MONTHS)
        if document.expires_on
        else None
    )
    document.filing_due = (
        rules.filing_due(document.published_on, settings.FAZHI_DOCUMENT_FILING_DAYS) if document.published_on else None
    )


def _save(document: Document, *, actor, action: str, before: dict | None) -> Document:
    _derived(document)
    document.save()
    after = _snapshot(document)
    old, new = _changes(before, after) if before is not None else (None, after)
    audit_record(actor=actor, action=action, obj=document, old=old, new=new)
    return document


# --- Drafting --------------------------------------------------------------------------------------------------


EDITABLE = ("title", "provisional", "affects_rights", "drafted_on", "effective_from", "expires_on")


def document_create(
    *,
    actor,
    org,
    title: str,
    provisional: bool = False,
    affects_rights: bool = False,
    drafted_on: dt.date | None = None,
    effective_from: dt.date | None = None,
    expires_on: dt.date | None = None,
) -> Document:
    """A new document, in drafting."""
    document = Document(
        org=org,
        title=title.strip(),
        provisional=provisional,
        affects_rights=affects_rights,
        drafted_on=drafted_on,
        effective_from=effective_from,
        expires_on=expires_on,
    )
    if not document.title:
        raise DomainError(_("A document needs a title."), rule="documents.title_required", field="title")
    with transaction.atomic():
        _validity(document)
        _dates(document)
        return _save(document, actor=actor, action="documents.document.created", before=None)


def document_update(*, actor, document: Document, **changes) -> Document:
    """Edit the title, flags, drafting date and validity period, until the document is registered."""
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"document_update does not change {sorted(unknown)}")
    with transaction.atomic():
        document = _lock(document)
        _check_allowed("update", document)
        before = _snapshot(document)
        for name, value in changes.items():
            setattr(document, name, value.strip() if isinstance(value, str) else value)
        if not document.title:
            raise DomainError(_("A document needs a title."), rule="documents.title_required", field="title")
        _validity(document)
        _dates(document)
        if document.status != rules.DRAFTING and document.affects_rights:
            _refuse(
                rules.comment_problems(
                    affects_rights=True, comment_start=document.comment_start, comment_end=document.comment_end
                ),
                "documents.comment_required",
            )
        return _save(document, actor=actor, action="documents.document.updated", before=before)


def document_comment(*, actor, document: Document, comment_start: dt.date, comment_end: dt.date) -> Document:
    """Record the public comment period."""
    with transaction.atomic():
        document = _lock(document)
        _check_allowed("comment", document)
        before = _snapshot(document)
        document.comment_start, document.comment_end = comment_start, comment_end
        if comment_end < comment_start:
            raise DomainError(
                _("The comment period cannot end before it starts."), rule="documents.date_order", field="comment_end"
            )
        _dates(document)
        document.status = rules.COMMENT
        return _save(document, actor=actor, action="documents.document.commented", before=before)


def document_submit_review(*, actor, document: Document, submitted_on: dt.date) -> Document:
    """Submit for legality review: the report is due ``FAZHI_DOCUMENT_REVIEW_WORKING_DAYS`` working days later."""
    with transaction.atomic():
        document = _lock(document)
        _check_allowed("submit_review", document)
        before = _snapshot(document)
        _refuse(
            rules.comment_problems(
                affects_rights=document.affects_rights,
                comment_start=document.comment_start,
                comment_end=document.comment_end,
            ),
            "documents.comment_required",
        )
        document.review_submitted_on = submitted_on
        document.review_reported_on, document.review_outcome = None, ""
        _dates(document)
        document.review_due = add_working_days(
            submitted_on, settings.FAZHI_DOCUMENT_REVIEW_WORKING_DAYS, field="review_submitted_on"
        )
        document.status = rules.REVIEW
        return _save(document, actor=actor, action="documents.document.review_submitted", before=before)


def document_review(*, actor, document: Document, reported_on: dt.date, outcome: str) -> Document:
    """The legality review's report: passed (with or without changes) goes on to the collective decision; failed
    goes back to drafting."""
    if outcome not in ReviewOutcome.values:
        raise DomainError(_("Choose the review's outcome."), rule="documents.review_outcome", field="review_outcome")
    with transaction.atomic():
        document = _lock(document)
        _check_allowed("review", document)
        before = _snapshot(document)
        document.review_reported_on, document.review_outcome = reported_on, outcome
        _dates(document)
        document.status = rules.DECISION if outcome in rules.REVIEW_PASSED else rules.DRAFTING
        return _save(document, actor=actor, action="documents.document.reviewed", before=before)


def document_decide(*, actor, document: Document, decided_on: dt.date, meeting: str = "") -> Document:
    """The collective decision (e.g. the government's executive meeting)."""
    with transaction.atomic():
        document = _lock(document)
        _check_allowed("decide", document)
        before = _snapshot(document)
        document.decided_on, document.decision_meeting = decided_on, meeting.strip()
        _dates(document)
        document.status = rules.DECIDED
        return _save(document, actor=actor, action="documents.document.decided", before=before)


def _next_registration_serial(office, year: int) -> int:
    """Take the next serial of ``office`` in ``year`` under a lock on its counter row: gap-free, because the
    counter moves in the same transaction as the registration (a refused registration rolls both back)."""
    RegistrationCounter.objects.get_or_create(office=office, year=year)
    counter = RegistrationCounter.objects.select_for_update().get(office=office, year=year)
    counter.last += 1
    counter.save(update_fields=["last"])
    return counter.last


def _number_taken(org, year: int, serial: int, *, exclude_pk=None) -> bool:
    return Document.objects.filter(org=org, number_year=year, number_serial=serial).exclude(pk=exclude_pk).exists()


def document_register(
    *,
    actor,
    document: Document,
    office,
    registered_on: dt.date,
    number_prefix: str,
    number_serial: int | None = None,
    effective_from: dt.date | None = None,
    expires_on: dt.date | None = None,
) -> Document:
    """Register: the unified registration number (next serial of the office and year) and the document number
    (prefix〔year〕serial号, unique for the issuing org and year; the next free serial when none is given)."""
    with transaction.atomic():
        document = _lock(document)
        _refuse(
            rules.registration_problems(review_outcome=document.review_outcome, decided_on=document.decided_on),
            "documents.registration_needs_review_and_decision",
        )
        _check_allowed("register", document)
        before = _snapshot(document)
        if effective_from is not None:
            document.effective_from = effective_from
        if expires_on is not None:
            document.expires_on = expires_on
        if document.effective_from is None or document.expires_on is None:
            raise DomainError(
                _("A normative document states its validity period: give the dates it is in force from and until."),
                rule="documents.validity_required",
                field="expires_on" if document.effective_from else "effective_from",
            )
        _validity(document)
        document.registered_on = registered_on
        _dates(document)
        number_prefix = number_prefix.strip()
        if not number_prefix:
            raise DomainError(
                _("Give the document number's prefix (e.g. 青政规)."),
                rule="documents.number_prefix",
                field="number_prefix",
            )
        year = registered_on.year
        # The issuing org's row is locked while its document number is chosen, so two registrations of the same
        # org never take the same number (the unique constraint would refuse the second).
        Org.objects.select_for_update().filter(pk=document.org_id).first()
        if number_serial is None:
            highest = Document.objects.filter(org=document.org, number_year=year).aggregate(m=Max("number_serial"))
            number_serial = (highest["m"] or 0) + 1
        elif number_serial < 1 or _number_taken(document.org, year, number_serial, exclude_pk=document.pk):
            raise DomainError(
                _("The document number %(number)s is already used by this organisation.")
                % {"number": rules.document_number(number_prefix, year, number_serial)},
                rule="documents.number_taken",
                field="number_serial",
            )
        document.number_prefix, document.number_year, document.number_serial = number_prefix, year, number_serial
        document.document_number = rules.document_number(number_prefix, year, number_serial)
        serial = _next_registration_serial(office, year)
        document.registering_office = office
        document.registration_year, document.registration_serial = year, serial
        document.registration_number = rules.registration_number(office.code, year, serial)
        document.status = rules.REGISTERED
        return _save(document, actor=actor, action="documents.document.registered", before=before)


def document_publish(*, actor, document: Document, published_on: dt.date, channel: str) -> Document:
    """Publish: the document is in force (filing with the government above falls due)."""
    if channel not in Channel.values:
        raise DomainError(_("Choose the publication channel."), rule="documents.channel", field="channel")
    with transaction.atomic():
        document = _lock(document)
        _check_allowed("publish", document)
        before = _snapshot(document)
        document.published_on, document.channel = published_on, channel
        _dates(document)
        document.status = rules.IN_FORCE
        return _save(document, actor=actor, action="documents.document.published", before=before)


def document_file(*, actor, document: Document, filed_on: dt.date, filing_outcome: str = "") -> Document:
    """Record the filing with the government above (on time or late) and, when known, its review's outcome."""
    if filing_outcome not in FilingOutcome.values:
        raise DomainError(
            _("Choose the filing review's outcome."), rule="documents.filing_outcome", field="filing_outcome"
        )
    with transaction.atomic():
        document = _lock(document)
        _check_allowed("file", document)
        before = _snapshot(document)
        document.filed_on, document.filing_outcome = filed_on, filing_outcome
        _dates(document)
        return _save(document, actor=actor, action="documents.document.filed", before=before)


def document_evaluate(*, actor, document: Document, evaluated_on: dt.date) -> Document:
    """Record the evaluation before expiry."""
    with transaction.atomic():
        document = _lock(document)
        _check_allowed("evaluate", document)
        before = _snapshot(document)
        document.evaluated_on = evaluated_on
        _dates(document)
        if document.expires_on and evaluated_on > document.expires_on:
            raise DomainError(
                _("The evaluation before expiry must be made by the last day in force (%(day)s).")
                % {"day": document.expires_on.isoformat()},
                rule="documents.date_order",
                field="evaluated_on",
            )
        return _save(document, actor=actor, action="documents.document.evaluated", before=before)


END_STATUSES = (rules.REPEALED, rules.REPLACED, rules.INVALID)


def document_end(
    *,
    actor,
    document: Document,
    status: str,
    ended_on: dt.date,
    replaced_by: Document | None = None,
    reason: str = "",
    action: str = "documents.document.ended",
) -> Document:
    """Repeal, replace (by which document) or declare invalid a document in force."""
    if status not in END_STATUSES:
        raise DomainError(_("Choose how the document ends."), rule="documents.end_status", field="status")
    with transaction.atomic():
        document = _lock(document)
        _check_allowed("end", document)
        before = _snapshot(document)
        if status == rules.REPLACED:
            if replaced_by is None or replaced_by.pk == document.pk:
                raise DomainError(
                    _("Name the document that replaces this one."), rule="documents.replaced_by", field="replaced_by"
                )
            if replaced_by.status not in (rules.REGISTERED, rules.IN_FORCE):
                raise DomainError(
                    _("The replacing document must be registered or in force."),
                    rule="documents.replaced_by",
                    field="replaced_by",
                )
        else:
            replaced_by = None
        document.status, document.ended_on = status, ended_on
        document.replaced_by, document.end_reason = replaced_by, reason.strip()
        _dates(document)
        return _save(document, actor=actor, action=action, before=before)


# --- The daily job: expiry by date --------------------------------------------------------------------------------


def documents_expire(*, today: dt.date | None = None) -> int:
    """Mark each document in force whose last day has passed as expired, one audit event each; the count."""
    today = today or timezone.localdate()
    with transaction.atomic():
        due = list(
            Document.objects.select_for_update()
            .select_related("org")
            .filter(status=rules.IN_FORCE, expires_on__lt=today)
            .order_by("pk")
        )
        if not due:
            return 0
        Document.objects.filter(pk__in=[d.pk for d in due]).update(status=rules.EXPIRED, updated_at=timezone.now())
        entries = []
        for document in due:
            entries.append(
                (document, {"status": rules.IN_FORCE}, {"status": rules.EXPIRED, "expires_on": document.expires_on})
            )
            document.status = rules.EXPIRED
        audit_record_many(actor=None, action="documents.document.expired", entries=entries)
    return len(due)


def daily(today: dt.date) -> str:
    count = documents_expire(today=today)
    return _("Normative documents: %(count)d expired.") % {"count": count}


# --- Cleanups -----------------------------------------------------------------------------------------------------


def cleanup_start(*, actor, org, title: str, started_on: dt.date) -> Cleanup:
    """A cleanup of the documents in force (not past their last day) of ``org``'s subtree, one item each."""
    title = title.strip()
    if not title:
        raise DomainError(_("A cleanup needs a title."), rule="documents.title_required", field="title")
    with transaction.atomic():
        cleanup = Cleanup.objects.create(org=org, title=title, started_on=started_on)
        documents = Document.objects.filter(subtree_q(org.path, "org__path"), status=rules.IN_FORCE).exclude(
            expires_on__lt=started_on
        )
        items = CleanupItem.objects.bulk_create(
            [CleanupItem(cleanup=cleanup, document_id=pk) for pk in documents.values_list("pk", flat=True)]
        )
        audit_record(
            actor=actor,
            action="documents.cleanup.started",
            obj=cleanup,
            new={"title": title, "started_on": started_on, "documents": len(items)},
        )
        return cleanup


def cleanup_item_decide(*, actor, item: CleanupItem, outcome: str, decided_on: dt.date, note: str = "") -> CleanupItem:
    """Record a document's outcome in a cleanup; repeal and declare invalid end the document (audited)."""
    if outcome not in CleanupOutcome.values or not outcome:
        raise DomainError(_("Choose the outcome."), rule="documents.cleanup_outcome", field="outcome")
    with transaction.atomic():
        item = CleanupItem.objects.select_for_update().select_related("cleanup", "document").get(pk=item.pk)
        if item.outcome:
            raise DomainError(
                _("This document's outcome in the cleanup is already recorded."),
                rule="documents.cleanup_decided",
                field="outcome",
            )
        if outcome in (CleanupOutcome.REPEAL, CleanupOutcome.INVALID):
            document_end(
                actor=actor,
                document=item.document,
                status=rules.REPEALED if outcome == CleanupOutcome.REPEAL else rules.INVALID,
                ended_on=decided_on,
                reason=_("Cleanup: %(title)s") % {"title": item.cleanup.title},
                action="documents.document.ended_by_cleanup",
            )
        item.outcome, item.decided_on, item.note = outcome, decided_on, note.strip()
        item.save(update_fields=["outcome", "decided_on", "note"])
        audit_record(
            actor=actor,
            action="documents.cleanup.decided",
            obj=item.cleanup,
            org=item.document.org,
            new={"document": item.document_id, "outcome": outcome, "decided_on": decided_on, "note": item.note},
        )
        return item


# --- Bulk creation (the import) -----------------------------------------------------------------------------------


@dataclass
class DocumentDraft:
    """One imported document, already checked by the importer with the same rules."""

    org: Any
    values: dict[str, Any]
    office: Any = None
    registration_serial: int | None = None  # None: the next serial is taken
    extra: dict[str, Any] = field(default_factory=dict)


def _status_of(values: dict[str, Any]) -> str:
    if values.get("published_on"):
        return rules.IN_FORCE
    if values.get("registered_on"):
        return rules.REGISTERED
    if values.get("decided_on"):
        return rules.DECIDED
    if values.get("review_reported_on"):
        return rules.DECISION if values.get("review_outcome") in rules.REVIEW_PASSED else rules.DRAFTING
    if values.get("review_submitted_on"):
        return rules.REVIEW
    if values.get("comment_start"):
        return rules.COMMENT
    return rules.DRAFTING


def document_bulk_create(*, actor, drafts: list[DocumentDraft]) -> list[Document]:
    """Create the drafts in one go (the import's transaction): statuses from the steps recorded, registration
    serials continuing each office's counter (taken under its lock), one ``documents.document.created`` event each.
    Document-number and registration-number clashes with what is stored are refused by the unique constraints
    (the import is then refused as a whole)."""
    if not connection_in_atomic():
        raise RuntimeError("document_bulk_create must run inside a transaction")
    review_days = settings.FAZHI_DOCUMENT_REVIEW_WORKING_DAYS
    # Lock each office's counter for the year, check the serials given continue it, then number the rest.
    counters: dict[tuple[int, int], RegistrationCounter] = {}
    given: dict[tuple[int, int], list[int]] = {}
    for draft in drafts:
        registered_on = draft.values.get("registered_on")
        if registered_on and draft.office is not None:
            key = (draft.office.pk, registered_on.year)
            if key not in counters:
                RegistrationCounter.objects.get_or_create(office=draft.office, year=key[1])
                counters[key] = RegistrationCounter.objects.select_for_update().get(office=draft.office, year=key[1])
                given[key] = []
            if draft.registration_serial is not None:
                given[key].append(draft.registration_serial)
    for key, serials in given.items():
        problem = rules.serial_problems(serials, counters[key].last)
        if problem is not None:
            raise DomainError(translate(problem), rule="documents.registration_gap", field="registration_serial")
    following = {key: counters[key].last + len(serials) for key, serials in given.items()}
    review_dues: dict[dt.date, dt.date] = {}
    evaluation_dues: dict[dt.date, dt.date] = {}
    evaluation_months = settings.FAZHI_DOCUMENT_EVALUATION_MONTHS
    filing_days = settings.FAZHI_DOCUMENT_FILING_DAYS
    documents = []
    for draft in drafts:
        values = draft.values
        document = Document(org=draft.org, **values)
        document.status = _status_of(values)
        if document.review_submitted_on and document.review_due is None:
            submitted = document.review_submitted_on
            if submitted not in review_dues:
                review_dues[submitted] = add_working_days(submitted, review_days)
            document.review_due = review_dues[submitted]
        if document.registered_on and draft.office is not None:
            year = document.registered_on.year
            key = (draft.office.pk, year)
            serial = draft.registration_serial
            if serial is None:
                following[key] += 1
                serial = following[key]
            document.registering_office = draft.office
            document.registration_year, document.registration_serial = year, serial
            document.registration_number = rules.registration_number(draft.office.code, year, serial)
        if document.number_serial is not None and document.registered_on:
            document.number_year = document.registered_on.year
            document.document_number = rules.document_number(
                document.number_prefix, document.number_year, document.number_serial
            )
        # What _derived(document) sets, with the settings read once and each expiry's evaluation date computed once.
        expires_on = document.expires_on
        if expires_on and expires_on not in evaluation_dues:
            evaluation_dues[expires_on] = rules.evaluation_due(expires_on, evaluation_months)
        document.evaluation_due = evaluation_dues[expires_on] if expires_on else None
        document.filing_due = rules.filing_due(document.published_on, filing_days) if document.published_on else None
        documents.append(document)
    for key, counter in counters.items():
        counter.last = following[key]
    for counter in counters.values():
        counter.save(update_fields=["last"])
    Document.objects.bulk_create(documents, batch_size=1000)
    audit_record_many(
        actor=actor,
        action="documents.document.created",
        entries=((document, None, _filled(document)) for document in documents),
    )
    return documents


def connection_in_atomic() -> bool:
    from django.db import connection

    return connection.in_atomic_block
