"""Metrics of the ledger ``documents``: each registered with ``fazhi.metrics.registry.register``.

Each rate is a base set of documents (those whose date — publication unless said — falls in the period), a
denominator within it (all of it unless said) and a numerator; ``counts`` counts them for many org subtrees at
once, ``records`` lists the denominator's documents with ``in_numerator``. The formulas are in
docs/ledgers/documents.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.db.models import BooleanField, Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fazhi.ledgers.documents import rules
from fazhi.ledgers.documents.models import ONLINE_CHANNELS, UNIFIED_CHANNELS, Document, FilingOutcome
from fazhi.metrics.registry import COUNT, RATE, Metric, register
from fazhi.metrics.subtrees import count_by_subtree
from fazhi.orgs.models import subtree_q


def _between(field: str, start: dt.date, end: dt.date) -> Q:
    return Q(**{f"{field}__gte": start, f"{field}__lte": end})


def _published(start, end) -> Q:
    return _between("published_on", start, end)


def _metric(
    code: str,
    title,
    formula,
    *,
    base: Callable[[dt.date, dt.date], Q],
    numerator: Callable[[], Q],
    denominator: Callable[[], Q] | None = None,
) -> Metric:
    def counts(paths, start, end):
        # The denominator filters the rows (as in ``records``): the numerator is counted among them.
        queryset = Document.objects.filter(base(start, end))
        if denominator:
            queryset = queryset.filter(denominator())
        return count_by_subtree(queryset, paths, numerator=numerator())

    def records(path, start, end):
        queryset = Document.objects.filter(base(start, end), subtree_q(path, "org__path"))
        if denominator:
            queryset = queryset.filter(denominator())
        return (
            queryset.select_related("org")
            .annotate(
                in_numerator=Case(
                    When(numerator(), then=Value(True)), default=Value(False), output_field=BooleanField()
                )
            )
            .order_by("pk")
        )

    return register(
        Metric(code=code, title=title, formula=formula, kind=RATE, ledger="documents", counts=counts, records=records)
    )


def _review_passed() -> Q:
    return Q(review_outcome__in=rules.REVIEW_PASSED)


def _filed_on_time() -> Q:
    return Q(filed_on__isnull=False, filing_due__isnull=False, filed_on__lte=F("filing_due"))


legality_review_rate = _metric(
    "documents.legality_review_rate",
    _("Normative documents that passed legality review"),
    _(
        "Documents published in the period whose legality review passed (with or without changes) before their "
        "collective decision ÷ documents published in the period × 100."
    ),
    base=_published,
    numerator=lambda: _review_passed() & Q(decided_on__gte=F("review_reported_on")),
)

review_on_time_rate = _metric(
    "documents.review_on_time_rate",
    _("Legality reviews reported on time"),
    _(
        "Legality-review reports made in the period within the working days allowed after submission "
        "(FAZHI_DOCUMENT_REVIEW_WORKING_DAYS) ÷ legality-review reports made in the period × 100."
    ),
    base=lambda start, end: _between("review_reported_on", start, end),
    numerator=lambda: Q(review_due__isnull=False, review_reported_on__lte=F("review_due")),
)

filing_rate = _metric(
    "documents.filing_rate",
    _("Normative documents filed with the government above"),
    _("Documents published in the period that have been filed ÷ documents published in the period × 100."),
    base=_published,
    numerator=lambda: Q(filed_on__isnull=False),
)

timely_filing_rate = _metric(
    "documents.timely_filing_rate",
    _("Normative documents filed on time"),
    _(
        "Documents published in the period and filed within the days allowed after publication "
        "(FAZHI_DOCUMENT_FILING_DAYS) ÷ documents published in the period × 100."
    ),
    base=_published,
    numerator=_filed_on_time,
)

filing_conformity_rate = _metric(
    "documents.filing_conformity_rate",
    _("Filed documents found conforming"),
    _(
        "Documents filed in the period whose filing review found them conforming ÷ documents filed in the period "
        "whose filing review has an outcome × 100."
    ),
    base=lambda start, end: _between("filed_on", start, end),
    denominator=lambda: ~Q(filing_outcome=FilingOutcome.PENDING),
    numerator=lambda: Q(filing_outcome=FilingOutcome.CONFORMING),
)

expiry_evaluation_rate = _metric(
    "documents.expiry_evaluation_rate",
    _("Documents evaluated before expiry"),
    _(
        "Published documents whose evaluation fell due in the period (FAZHI_DOCUMENT_EVALUATION_MONTHS before "
        "expiry), leaving out those repealed, replaced or declared invalid before it fell due, that were evaluated "
        "by their last day in force ÷ those documents × 100."
    ),
    base=lambda start, end: _between("evaluation_due", start, end) & Q(published_on__isnull=False),
    denominator=lambda: (
        ~Q(status__in=(rules.REPEALED, rules.REPLACED, rules.INVALID), ended_on__lt=F("evaluation_due"))
    ),
    numerator=lambda: Q(evaluated_on__isnull=False, evaluated_on__lte=F("expires_on")),
)

online_publication_rate = _metric(
    "documents.online_publication_rate",
    _("Normative documents published online"),
    _(
        "Documents published in the period on the government website or the unified publication platform "
        "÷ documents published in the period × 100."
    ),
    base=_published,
    numerator=lambda: Q(channel__in=ONLINE_CHANNELS),
)

unified_publication_rate = _metric(
    "documents.unified_publication_rate",
    _("Normative documents registered, numbered and published in a unified way"),
    _(
        "Documents published in the period that carry a unified registration number and a document number and were "
        "published through an official channel (gazette, government website or unified platform) ÷ documents "
        "published in the period × 100."
    ),
    base=_published,
    numerator=lambda: Q(channel__in=UNIFIED_CHANNELS) & ~Q(registration_number="") & ~Q(document_number=""),
)

due_process_rate = _metric(
    "documents.due_process_rate",
    _("Normative documents made by the full statutory procedure"),
    _(
        "Documents published in the period that went through every step: public comment when they affect rights or "
        "duties, a passed legality review, a collective decision, unified registration, and filing on time "
        "÷ documents published in the period × 100."
    ),
    base=_published,
    numerator=lambda: (
        (Q(affects_rights=False) | Q(comment_start__isnull=False, comment_end__isnull=False))
        & _review_passed()
        & Q(decided_on__isnull=False)
        & ~Q(registration_number="")
        & _filed_on_time()
    ),
)


# --- A count: documents past expiry yet still marked in force -------------------------------------------------------


def _expired_in_force(start: dt.date, end: dt.date) -> Q:
    """In force on the books, yet past their last day as of the period's end (or today, if earlier)."""
    day = min(end, timezone.localdate())
    return Q(status=rules.IN_FORCE, expires_on__lt=day)


def _expired_counts(paths, start, end):
    return count_by_subtree(
        Document.objects.filter(_expired_in_force(start, end)), paths, numerator=Q(), denominator=None
    )


def _expired_records(path, start, end):
    return (
        Document.objects.filter(_expired_in_force(start, end), subtree_q(path, "org__path"))
        .select_related("org")
        .annotate(in_numerator=Value(True, output_field=BooleanField()))
        .order_by("pk")
    )


expired_in_force = register(
    Metric(
        code="documents.expired_in_force",
        title=_("Documents past expiry yet marked in force"),
        formula=_(
            "The number of documents still marked in force whose last day in force is before the period's end "
            "(or before today, when the period ends later). The daily job marks them expired, so this should be 0."
        ),
        kind=COUNT,
        ledger="documents",
        counts=_expired_counts,
        records=_expired_records,
    )
)
