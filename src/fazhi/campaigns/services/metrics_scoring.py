"""Scores from records: storing the metric-bound leaves' figures, and the reviewer's override of their scores.

- :func:`answers_metrics_store` writes each metric-bound leaf's figure on the application's self-assessment rows
  (the leaf's value as the answer, the numerator, the denominator, when it was computed) — when the clerk opens
  or saves the self-assessment and again at submission, so that what reviewers see after submission is stable.
  Only a change of figure is audited (``campaigns.application.metrics_computed``).
- :func:`sheet_metric_rows_fill` gives a reviewer's draft sheet a :class:`~fazhi.campaigns.models.LeafScore`
  row for every metric-bound leaf from the stored figure: the value as the answer, its score as both the
  computed and the effective score; a leaf whose metric had no records scores a
  :class:`~fazhi.indicators.scoring.Fixed` 0.
- :func:`leaf_score_override`: the assigned reviewer replaces a metric-bound leaf's score with another, only with
  a written reason (audited, ``campaigns.review.leaf_overridden``), or takes the computed score back. The
  effective score is what ``LeafScore.score`` holds and what the answer says (a ``Fixed`` score), so the set-based
  results path and the engine both use it.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.campaigns import workflow as wf
from fazhi.campaigns.models import Answer, Application, LeafScore, ScoreSheet
from fazhi.campaigns.selectors.applications import answer_encode, campaign_indicator_ids, campaign_spec
from fazhi.campaigns.selectors.metrics_scoring import (
    application_figures,
    campaign_metric_leaves,
    computed_leaf,
    fixed_json,
    leaf_value,
    stored_figures,
)
from fazhi.core.audit import audit_record
from fazhi.core.errors import DomainError
from fazhi.indicators import scoring, spec

REASON_MAX = 2000


def computed_refusal(code: str) -> str:
    return _(
        "Indicator %(code)s is computed from the ledgers for the assessment period and cannot be entered by hand."
    ) % {"code": code}


def answers_metrics_store(*, actor, application: Application) -> dict:
    """Compute every metric-bound leaf's figure for the application and store it on its self-assessment rows
    (inside the caller's transaction, the application row locked by the caller). Returns the changes by code."""
    bound = campaign_metric_leaves(application.campaign)
    if not bound:
        return {}
    figures = application_figures(application)
    ids = campaign_indicator_ids(application.campaign)
    existing = {
        row.indicator_id: row
        for row in Answer.objects.filter(application=application, indicator_id__in=[ids[c] for c in bound])
    }
    now = timezone.now()
    changes, created, changed, unchanged = {}, [], [], []
    for code, (leaf, metric) in bound.items():
        figure = figures[code]
        stored = answer_encode(leaf, leaf_value(leaf, metric, figure.metric_value))
        row = existing.get(ids[code])
        new = {"answer": stored, "numerator": figure.numerator, "denominator": figure.denominator}
        if row is None:
            created.append(
                Answer(
                    application=application,
                    indicator_id=ids[code],
                    answer=stored,
                    metric_numerator=figure.numerator,
                    metric_denominator=figure.denominator,
                    metric_computed_at=now,
                )
            )
            changes[code] = {"old": None, "new": new | {"metric": metric.code}}
            continue
        old = {"answer": row.answer, "numerator": row.metric_numerator, "denominator": row.metric_denominator}
        if old == new and row.metric_computed_at is not None:
            unchanged.append(row.pk)
            continue
        changes[code] = {"old": old, "new": new | {"metric": metric.code}}
        row.answer, row.metric_numerator, row.metric_denominator = stored, figure.numerator, figure.denominator
        row.metric_computed_at = now
        changed.append(row)
    # A few statements whatever the number of leaves: the new rows, the changed rows, the time of the others.
    Answer.objects.bulk_create(created)
    Answer.objects.bulk_update(changed, ["answer", "metric_numerator", "metric_denominator", "metric_computed_at"])
    if unchanged:
        Answer.objects.filter(pk__in=unchanged).update(metric_computed_at=now)
    if changes:
        start, end = application.campaign.assessment_period
        audit_record(
            actor=actor,
            action="campaigns.application.metrics_computed",
            obj=application,
            old={code: change["old"] for code, change in changes.items()},
            new={code: change["new"] for code, change in changes.items()}
            | {"period": [start.isoformat(), end.isoformat()]},
        )
    return changes


@transaction.atomic
def application_metrics_refresh(*, actor, application: Application) -> dict:
    """The figures recomputed when the clerk opens an editable self-assessment (nothing happens otherwise)."""
    from fazhi.campaigns import access
    from fazhi.campaigns.services.common import locked

    if not access.can_edit(actor, application):
        return {}
    row = locked(Application, application.pk)
    if row.state not in wf.EDITABLE or application.campaign.stage not in (wf.APPLICATION, wf.RECOMMENDATION):
        return {}
    row.campaign, row.org = application.campaign, application.org
    return answers_metrics_store(actor=actor, application=row)


# --- the reviewer's sheet ------------------------------------------------------------------------


def sheet_metric_rows_fill(sheet: ScoreSheet, application: Application) -> int:
    """Give a draft sheet its metric-bound leaves' rows (those it lacks); returns how many were made."""
    standard = campaign_spec(application.campaign)
    bound = campaign_metric_leaves(application.campaign)
    if not bound:
        return 0
    ids = campaign_indicator_ids(application.campaign)
    have = set(
        LeafScore.objects.filter(sheet=sheet, indicator_id__in=[ids[c] for c in bound]).values_list(
            "indicator_id", flat=True
        )
    )
    missing = [code for code in bound if ids[code] not in have]
    if not missing:
        return 0
    figures = stored_figures(application, standard)
    rows = []
    for code in missing:
        answer, computed = computed_leaf(bound[code][0], figures[code])
        rows.append(
            LeafScore(
                sheet=sheet,
                indicator_id=ids[code],
                answer=answer,
                score=computed or 0,
                computed_score=computed,
            )
        )
    LeafScore.objects.bulk_create(rows)
    return len(rows)


def _points(value: Any, leaf: spec.Indicator) -> int:
    try:
        number = value if isinstance(value, Decimal) else Decimal(str(value).strip())
    except InvalidOperation:
        number = None
    if isinstance(value, bool | float) or number is None or not number.is_finite():
        raise DomainError(
            _("Indicator %(code)s: the score must be a number of points.") % {"code": leaf.code},
            rule="review.override_not_number",
            field="score",
        )
    hundredths = number * 100
    if hundredths != hundredths.to_integral_value() or not 0 <= hundredths <= leaf.points:
        raise DomainError(
            _("Indicator %(code)s: the score must be 0 to %(points)s points, with at most two decimals.")
            % {"code": leaf.code, "points": scoring.points_text(leaf.points)},
            rule="review.override_out_of_range",
            field="score",
        )
    return int(hundredths)


@transaction.atomic
def leaf_score_override(*, actor, sheet: ScoreSheet, code: str, score: Any, reason: str = "") -> LeafScore:
    """The assigned reviewer overrides a metric-bound leaf's computed score with ``score`` points, giving a
    written reason; ``score`` None takes the computed score back."""
    from fazhi.campaigns.services.sheets import _sheet_for_reviewer

    sheet, application = _sheet_for_reviewer(actor, sheet, doing=_("overriding a score"))
    standard = campaign_spec(application.campaign)
    bound = campaign_metric_leaves(application.campaign)
    if code not in bound:
        raise DomainError(
            _("Indicator %(code)s is not computed from the ledgers: score it on the sheet.") % {"code": code},
            rule="review.override_not_computed",
            field="code",
        )
    leaf = bound[code][0]
    sheet_metric_rows_fill(sheet, application)
    row = LeafScore.objects.select_for_update().get(
        sheet=sheet, indicator_id=campaign_indicator_ids(application.campaign)[code]
    )
    old = {"code": code, "score": row.score, "computed_score": row.computed_score, "reason": row.override_reason}
    if score is None or (isinstance(score, str) and not score.strip()):
        if not row.override_reason:
            raise DomainError(
                _("Indicator %(code)s has no override to take back.") % {"code": code},
                rule="review.override_none",
                field="score",
            )
        figure = stored_figures(application, standard)[code]
        row.answer, computed = computed_leaf(leaf, figure)
        row.score, row.computed_score = computed or 0, computed
        row.override_reason, row.overridden_by, row.overridden_at = "", None, None
    else:
        points = _points(score, leaf)
        reason = (reason or "").strip()
        if not reason:
            raise DomainError(
                _("Give the reason for overriding the score computed from the ledgers."),
                rule="review.override_reason_required",
                field="reason",
            )
        if len(reason) > REASON_MAX:
            raise DomainError(
                _("The reason is too long (at most %(max)d characters).") % {"max": REASON_MAX},
                rule="review.override_reason_too_long",
                field="reason",
            )
        row.answer, row.score, row.override_reason = fixed_json(points), points, reason
        row.overridden_by = actor if getattr(actor, "is_authenticated", False) else None
        row.overridden_at = timezone.now()
    row.save(update_fields=["answer", "score", "computed_score", "override_reason", "overridden_by", "overridden_at"])
    sheet.save(update_fields=["updated_at"])
    audit_record(
        actor=actor,
        action="campaigns.review.leaf_overridden",
        obj=application,
        old=old,
        new={
            "sheet": sheet.pk,
            "code": code,
            "score": row.score,
            "computed_score": row.computed_score,
            "reason": row.override_reason,
        },
    )
    return row
