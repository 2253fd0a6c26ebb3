"""Metrics of the ledger ``disputes``: each registered with ``fazhi.metrics.registry.register``.

Each metric is a base set of records (those whose date falls in the period), a denominator within it (all of it
unless said) and a numerator; ``counts`` counts them for many org subtrees at once, ``records`` lists the
denominator's records with ``in_numerator``. The formulas are in docs/ledgers/disputes.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from django.conf import settings
from django.db.models import BooleanField, Case, F, Q, Value, When
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from fazhi.ledgers.disputes.models import DisclosureRequest, LitigationCase, Mediation, ReconsiderationCase
from fazhi.ledgers.disputes.rules import DECISIONS_TO_PERFORM
from fazhi.metrics.registry import RATE, Metric, register
from fazhi.metrics.subtrees import count_by_subtree
from fazhi.orgs.models import subtree_q

Period = tuple[dt.date, dt.date]


def _between(field: str, start: dt.date, end: dt.date) -> Q:
    return Q(**{f"{field}__gte": start, f"{field}__lte": end})


def _metric(
    code: str,
    title,
    formula,
    *,
    model,
    base: Callable[[dt.date, dt.date], Q],
    numerator: Callable[[], Q],
    denominator: Callable[[], Q] | None = None,
) -> Metric:
    """A rate over ``model``: records matching ``base(start, end)`` (and ``denominator`` if given) counted in
    the denominator, those also matching ``numerator`` in the numerator. Q factories, so that settings are read
    when the metric is computed."""

    def counts(paths, start, end):
        # The denominator filters the rows (as in ``records``): the numerator is counted among them.
        queryset = model.objects.filter(base(start, end))
        if denominator:
            queryset = queryset.filter(denominator())
        return count_by_subtree(queryset, paths, numerator=numerator())

    def records(path, start, end):
        queryset = model.objects.filter(base(start, end), subtree_q(path, "org__path"))
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
        Metric(code=code, title=title, formula=formula, kind=RATE, ledger="disputes", counts=counts, records=records)
    )


def _decided(start, end) -> Q:
    return _between("decided_on", start, end)


reconsideration_on_time_rate = _metric(
    "disputes.reconsideration_on_time_rate",
    _("Reconsideration cases decided on time"),
    _(
        "Reconsideration cases decided in the period by their due date (the statutory days after acceptance plus "
        "the one extension granted) ÷ reconsideration cases decided in the period × 100%."
    ),
    model=ReconsiderationCase,
    base=_decided,
    numerator=lambda: Q(decided_on__lte=F("due_on")),
)

reconsideration_two_handler_rate = _metric(
    "disputes.reconsideration_two_handler_rate",
    _("Reconsideration cases handled by enough staff"),
    _(
        "Reconsideration cases decided in the period with at least the required number of handlers ÷ "
        "reconsideration cases decided in the period × 100%."
    ),
    model=ReconsiderationCase,
    base=_decided,
    numerator=lambda: Q(handler_count__gte=settings.FAZHI_RECONSIDERATION_MIN_HANDLERS),
)

reconsideration_correction_rate = _metric(
    "disputes.reconsideration_correction_rate",
    _("Reconsideration correction rate"),
    _(
        "Reconsideration cases decided in the period whose decision corrected the act (revoked, altered, "
        "confirmed illegal, ordered to perform, or a mediation or settlement that corrected it) ÷ "
        "reconsideration cases decided in the period × 100%."
    ),
    model=ReconsiderationCase,
    base=_decided,
    numerator=lambda: Q(act_corrected=True),
)

reconsideration_compliance_rate = _metric(
    "disputes.reconsideration_compliance_rate",
    _("Reconsideration decisions complied with"),
    _(
        "Reconsideration decisions of the period that the respondent must carry out (revocation, alteration, "
        "confirmation of illegality, order to perform, mediation, settlement) and that were complied with ÷ such "
        "decisions of the period × 100%."
    ),
    model=ReconsiderationCase,
    base=lambda start, end: _decided(start, end) & Q(decision__in=sorted(DECISIONS_TO_PERFORM)),
    numerator=lambda: Q(complied=True),
)

head_appearance_rate = _metric(
    "disputes.head_appearance_rate",
    _("Agency heads appearing in court"),
    _(
        "Litigation cases heard in the period at which the agency head appeared in court ÷ litigation cases heard "
        "in the period × 100%."
    ),
    model=LitigationCase,
    base=lambda start, end: _between("hearing_on", start, end),
    numerator=lambda: Q(head_appeared=True),
)

judgment_compliance_rate = _metric(
    "disputes.judgment_compliance_rate",
    _("Judgments complied with"),
    _(
        "Judgments of the period that the agency lost and complied with ÷ judgments of the period that the agency "
        "lost × 100%."
    ),
    model=LitigationCase,
    base=lambda start, end: _between("closed_on", start, end) & Q(outcome="lost"),
    numerator=lambda: Q(complied=True),
)

mediation_rate = _metric(
    "disputes.mediation_rate",
    _("Mediation rate"),
    _("Disputes screened in the period that were mediated ÷ disputes screened in the period × 100%."),
    model=Mediation,
    base=lambda start, end: _between("screened_on", start, end),
    numerator=lambda: Q(mediated_on__isnull=False),
)

mediation_success_rate = _metric(
    "disputes.mediation_success_rate",
    _("Mediation success rate"),
    _(
        "Disputes screened in the period that were mediated and settled ÷ disputes screened in the period that "
        "were mediated × 100%."
    ),
    model=Mediation,
    base=lambda start, end: _between("screened_on", start, end),
    denominator=lambda: Q(mediated_on__isnull=False),
    numerator=lambda: Q(outcome="settled"),
)


def _disclosure_base(start, end) -> Q:
    # Answered in the period, or still unanswered with a due date in the period that has already passed.
    last_passed = min(end, timezone.localdate() - dt.timedelta(days=1))
    return _between("answered_on", start, end) | Q(answered_on__isnull=True, due_on__gte=start, due_on__lte=last_passed)


disclosure_on_time_rate = _metric(
    "disputes.disclosure_on_time_rate",
    _("Disclosure requests answered on time"),
    _(
        "Disclosure requests answered in the period by their due date (the statutory working days after receipt "
        "plus the one extension granted) ÷ (requests answered in the period + unanswered requests whose due date "
        "passed in the period) × 100%."
    ),
    model=DisclosureRequest,
    base=_disclosure_base,
    numerator=lambda: Q(answered_on__isnull=False, answered_on__lte=F("due_on")),
)
