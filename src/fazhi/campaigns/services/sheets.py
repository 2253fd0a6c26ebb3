"""Expert review: the reviewers' score sheets — the standard as the engine sees it, answers, saving,
submitting and reopening a sheet.

Each service is one transaction that checks the campaign's stage and the sheet's state through
:mod:`fazhi.campaigns.services.common`, writes, and records audit events (``campaigns.review.sheet_*``,
``campaigns.review.scored``). Who may act: the view or API fetches the object through
:mod:`fazhi.campaigns.access` first (404/403); the services check again the rules that belong to the domain —
only the assigned reviewer saves and submits a sheet, only a campaign's administrator reopens one — and raise
:class:`~django.core.exceptions.PermissionDenied` otherwise. ``actor=None`` is the system (tests, commands).

Row locks are taken in one order — application, then score sheet — so that two reviewers submitting the
last two sheets of an application at once cannot both miss that the application is now fully scored.

Assigning reviewers is :mod:`fazhi.campaigns.services.assignments`; vetoes :mod:`~fazhi.campaigns.services.vetoes`;
on-site inspection :mod:`~fazhi.campaigns.services.inspection`; the satisfaction survey
:mod:`~fazhi.campaigns.services.survey`.
"""

from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fazhi.campaigns import workflow as wf
from fazhi.campaigns.models import (
    Application,
    ApplicationState,
    Assignment,
    BonusAward,
    LeafScore,
    ScoreSheet,
    SheetStatus,
)
from fazhi.campaigns.selectors.applications import answer_decode
from fazhi.campaigns.selectors.metrics_scoring import campaign_metric_leaves
from fazhi.campaigns.services.common import check_transition, deny_unless_manager, locked, require_stage
from fazhi.campaigns.services.metrics_scoring import computed_refusal, sheet_metric_rows_fill
from fazhi.core.audit import audit_record
from fazhi.core.errors import DomainError
from fazhi.core.i18n import translate
from fazhi.indicators import scoring, spec
from fazhi.indicators.models import BonusItem, Indicator, Standard
from fazhi.indicators.services import standard_to_spec

# --- the standard as the engine sees it ------------------------------------------------------------

_SPECS: dict[tuple, spec.Standard] = {}


def standard_spec(standard: Standard) -> spec.Standard:
    """The campaign's standard as plain data, cached (a published standard never changes)."""
    key = (standard.pk, standard.code, standard.version, standard.status, standard.updated_at)
    found = _SPECS.get(key)
    if found is None:
        if len(_SPECS) > 64:
            _SPECS.clear()
        found = _SPECS[key] = standard_to_spec(standard)
    return found


def leaves_by_code(standard: Standard) -> dict[str, spec.Indicator]:
    return {leaf.code: leaf for leaf in standard_spec(standard).leaves()}


# --- answers: input, storage, the engine ---------------------------------------------------------


class SheetProblems(DomainError):
    """Answers the engine refused: ``problems`` maps each leaf (or bonus) code to its message."""

    def __init__(self, problems: dict[str, str]):
        first = next(iter(problems))
        message = (
            _("Nothing was saved: %(problem)s") % {"problem": problems[first]}
            if len(problems) == 1
            else ngettext(
                "Nothing was saved: %(count)d answer is wrong, first %(problem)s",
                "Nothing was saved: %(count)d answers are wrong, first %(problem)s",
                len(problems),
            )
            % {"count": len(problems), "problem": problems[first]}
        )
        super().__init__(message, rule="review.answer_invalid", field=first)
        self.problems = problems


def answer_value(leaf: spec.Indicator, value: Any) -> Any:
    """An answer from a form, the API or the database, in the form the engine takes: ratio and tier values
    as Decimals (from a number or a string), checklist items as a set. Anything else is left for the engine
    to judge."""
    kind = leaf.rule.kind if leaf.rule else None
    if kind in (spec.RATIO, spec.TIERS) and isinstance(value, int | float | str) and not isinstance(value, bool):
        try:
            number = Decimal(str(value).strip())
        except InvalidOperation:
            return value
        return number if number.is_finite() else value
    if kind == spec.CHECKLIST and isinstance(value, list | tuple | set | frozenset):
        return set(value)
    return value


def answer_json(value: Any) -> Any:
    """An engine answer as stored (``LeafScore.answer``): sets as sorted lists, Decimals as strings."""
    if isinstance(value, set | frozenset):
        return sorted(value)
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, scoring.Fixed):
        return {"fixed": value.points}
    return value


def _score(leaf: spec.Indicator, value: Any) -> int:
    try:
        return scoring.leaf_score(leaf, value)
    except scoring.ScoringError as error:
        raise SheetProblems({leaf.code: translate(error.problem)}) from None


# --- score sheets --------------------------------------------------------------------------------


def _sheet_for_reviewer(actor, sheet: ScoreSheet, *, doing: str) -> tuple[ScoreSheet, Application]:
    """The sheet and its application, locked (application first), after the reviewer, stage and state checks."""
    assignment = Assignment.objects.select_related("application").get(pk=sheet.assignment_id)
    application = locked(Application, assignment.application_id)
    sheet = locked(ScoreSheet, sheet.pk)
    if actor is not None and assignment.reviewer_id != actor.pk:
        raise PermissionDenied
    require_stage(application.campaign, wf.REVIEW, doing=doing)
    if sheet.status == SheetStatus.SUBMITTED:
        raise DomainError(
            _("This score sheet was submitted on %(when)s and is locked; the administrator may reopen it.")
            % {"when": timezone.localtime(sheet.submitted_at).strftime("%Y-%m-%d %H:%M")},
            rule="review.sheet_submitted",
        )
    sheet.assignment = assignment
    return sheet, application


@transaction.atomic
def sheet_save(
    *,
    actor,
    sheet: ScoreSheet,
    answers: Mapping[str, Any] | None = None,
    bonus: Mapping[str, bool] | None = None,
    comments: Mapping[str, str] | None = None,
) -> ScoreSheet:
    """Save answers to a draft sheet. ``answers`` maps leaf codes to answers (None clears one); leaves not
    named keep their saved answer, so a draft may be partial and two saves of different leaves both stay.
    ``bonus`` maps bonus item codes to awarded or not; ``comments`` leaf codes to a comment (a leaf needs an
    answer to carry one). Every answer is checked first: one refused answer and nothing is saved."""
    answers, bonus, comments = dict(answers or {}), dict(bonus or {}), dict(comments or {})
    sheet, application = _sheet_for_reviewer(actor, sheet, doing=_("scoring"))
    standard = application.campaign.standard
    leaves = leaves_by_code(standard)
    problems: dict[str, str] = {}
    # metric-bound leaves are scored from the ledgers (overridden only with a reason: leaf_score_override)
    bound = campaign_metric_leaves(application.campaign)
    sheet_metric_rows_fill(sheet, application)
    for code in [code for code in answers if code in bound]:
        if answers.pop(code) not in (None, ""):
            problems[code] = computed_refusal(code)
    for code in [*answers, *comments]:
        if code not in leaves:
            problems[code] = _("%(code)s is not an indicator of this standard that is scored.") % {"code": code}
    bonus_items = {item.code: item for item in BonusItem.objects.filter(standard=standard)}
    for code, awarded in bonus.items():
        if code not in bonus_items:
            problems[code] = _("%(code)s is not a bonus item of this standard.") % {"code": code}
        elif not isinstance(awarded, bool):
            problems[code] = _("Bonus item %(code)s is awarded or not (true or false).") % {"code": code}
    scores: dict[str, tuple[Any, int]] = {}
    for code, raw in answers.items():
        if code in leaves and raw is not None and raw != "":
            value = answer_value(leaves[code], raw)
            try:
                scores[code] = (value, _score(leaves[code], value))
            except SheetProblems as error:
                problems.update(error.problems)
    saved = {row.indicator_id: row for row in LeafScore.objects.filter(sheet=sheet)}
    indicators = dict(Indicator.objects.filter(standard=standard, code__in=list(leaves)).values_list("code", "pk"))
    for code, text in comments.items():
        has_answer = code in scores or (code not in answers and indicators.get(code) in saved)
        if text and code in leaves and not has_answer:
            problems[code] = _("Indicator %(code)s: give a score before a comment.") % {"code": code}
    if problems:
        raise SheetProblems(problems)

    old, new = {}, {}
    for code in answers:
        row = saved.get(indicators[code])
        if code not in scores:  # cleared
            if row is not None:
                old[code] = row.answer
                new[code] = None
                row.delete()
            continue
        value, score = scores[code]
        stored = answer_json(value)
        comment = comments.get(code, row.comment if row else "")
        if row is None:
            LeafScore.objects.create(
                sheet=sheet, indicator_id=indicators[code], answer=stored, score=score, comment=comment
            )
            old[code], new[code] = None, stored
        elif row.answer != stored or row.comment != comment:
            if row.answer != stored:
                old[code], new[code] = row.answer, stored
            row.answer, row.score, row.comment = stored, score, comment
            row.save(update_fields=["answer", "score", "comment"])
    for code, text in comments.items():
        row = saved.get(indicators[code])
        if code not in answers and row is not None and row.comment != text:
            row.comment = text
            row.save(update_fields=["comment"])
    awarded_now = set(BonusAward.objects.filter(sheet=sheet).values_list("item__code", flat=True))
    for code, awarded in bonus.items():
        if awarded and code not in awarded_now:
            BonusAward.objects.create(sheet=sheet, item=bonus_items[code], points=bonus_items[code].points)
            old[f"bonus:{code}"], new[f"bonus:{code}"] = False, True
        elif not awarded and code in awarded_now:
            BonusAward.objects.filter(sheet=sheet, item=bonus_items[code]).delete()
            old[f"bonus:{code}"], new[f"bonus:{code}"] = True, False
    sheet.save(update_fields=["updated_at"])
    if new:
        audit_record(
            actor=actor, action="campaigns.review.sheet_saved", obj=application, old=old, new={"sheet": sheet.pk, **new}
        )
    return sheet


def sheet_answers(sheet: ScoreSheet, leaves: Mapping[str, spec.Indicator]) -> dict[str, Any]:
    """The saved answers of a sheet, by leaf code, in the engine's form."""
    rows = LeafScore.objects.filter(sheet=sheet).values_list("indicator__code", "answer")
    return {code: answer_decode(leaves[code], answer) for code, answer in rows if code in leaves}


@transaction.atomic
def sheet_submit(*, actor, sheet: ScoreSheet) -> ScoreSheet:
    """Lock a complete sheet with its total. The last sheet of an application moves it to scored."""
    sheet, application = _sheet_for_reviewer(actor, sheet, doing=_("submitting a score sheet"))
    sheet_metric_rows_fill(sheet, application)
    standard = application.campaign.standard
    std = standard_spec(standard)
    leaves = {leaf.code: leaf for leaf in std.leaves()}
    answers = sheet_answers(sheet, leaves)
    missing = [code for code in leaves if code not in answers]
    if missing:
        raise DomainError(
            ngettext(
                "The sheet cannot be submitted: indicator %(codes)s has no score yet.",
                "The sheet cannot be submitted: indicators %(codes)s have no score yet.",
                len(missing),
            )
            % {"codes": ", ".join(missing)},
            rule="review.sheet_incomplete",
            field=missing[0],
        )
    awarded = set(BonusAward.objects.filter(sheet=sheet).values_list("item__code", flat=True))
    try:
        scored = scoring.sheet_score(
            std,
            scoring.Sheet(reviewer=sheet.assignment.reviewer_id, answers=answers, bonus=dict.fromkeys(awarded, True)),
        )
    except scoring.ScoringError as error:  # the standard changed under a saved answer: should not happen
        raise SheetProblems({error.code or "": translate(error.problem)}) from None
    sheet.status = SheetStatus.SUBMITTED
    sheet.total = scored.total
    sheet.submitted_at = timezone.now()
    sheet.save(update_fields=["status", "total", "submitted_at", "updated_at"])
    audit_record(
        actor=actor,
        action="campaigns.review.sheet_submitted",
        obj=application,
        old={"sheet": sheet.pk, "status": SheetStatus.DRAFT},
        new={"sheet": sheet.pk, "status": SheetStatus.SUBMITTED, "total": scored.total},
    )
    pending = ScoreSheet.objects.filter(assignment__application=application).exclude(status=SheetStatus.SUBMITTED)
    if application.state == ApplicationState.IN_REVIEW and not pending.exists():
        application.state = check_transition(application=application, action="score")
        application.save(update_fields=["state", "updated_at"])
        audit_record(
            actor=actor,
            action="campaigns.review.scored",
            obj=application,
            old={"state": ApplicationState.IN_REVIEW},
            new={"state": application.state},
        )
    return sheet


@transaction.atomic
def sheet_reopen(*, actor, sheet: ScoreSheet, reason: str) -> ScoreSheet:
    """Unlock a submitted sheet (the administrator), with a reason; its application goes back to in review."""
    assignment = Assignment.objects.select_related("reviewer").get(pk=sheet.assignment_id)
    application = locked(Application, assignment.application_id)
    sheet = locked(ScoreSheet, sheet.pk)
    campaign = application.campaign
    deny_unless_manager(actor, campaign)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for reopening the sheet."), rule="review.reason_required", field="reason")
    if sheet.status != SheetStatus.SUBMITTED:
        raise DomainError(
            _("%(reviewer)s's score sheet is still a draft: there is nothing to reopen.")
            % {"reviewer": assignment.reviewer},
            rule="review.sheet_not_submitted",
        )
    target = check_transition(application=application, action="reopen", campaign=campaign)
    old_total = sheet.total
    sheet.status, sheet.total, sheet.submitted_at = SheetStatus.DRAFT, None, None
    sheet.reopened += 1
    sheet.save(update_fields=["status", "total", "submitted_at", "reopened", "updated_at"])
    old_state = application.state
    if old_state != target:
        application.state = target
        application.save(update_fields=["state", "updated_at"])
    audit_record(
        actor=actor,
        action="campaigns.review.sheet_reopened",
        obj=application,
        old={
            "sheet": sheet.pk,
            "reviewer": assignment.reviewer.get_username(),
            "status": "submitted",
            "total": old_total,
            "state": old_state,
        },
        new={"sheet": sheet.pk, "status": "draft", "state": application.state, "reason": reason},
    )
    return sheet
