"""Expert review: assigning reviewers, score sheets, vetoes, on-site inspection scores.

Each service is one transaction that checks the campaign's stage and the object's state through
:mod:`fazhi.campaigns.services.common`, writes, and records audit events (``campaigns.review.*``,
``campaigns.veto.*``, ``campaigns.inspection.*``). Who may act: the view or API fetches the object
through :mod:`fazhi.campaigns.access` first (404/403); the services check again the rules that belong to
the domain — only the assigned reviewer saves a sheet, only a campaign's administrator assigns, reopens
and records vetoes, only an inspector of the pool enters an inspection score — and raise
:class:`~django.core.exceptions.PermissionDenied` otherwise. ``actor=None`` is the system (tests, commands).

Row locks are taken in one order — application, then score sheet — so that two reviewers submitting the
last two sheets of an application at once cannot both miss that the application is now fully scored.

The satisfaction survey is in :mod:`fazhi.campaigns.services.survey`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from fazhi.campaigns import assignment as planner
from fazhi.campaigns import workflow as wf
from fazhi.campaigns.access import can_manage
from fazhi.campaigns.models import (
    Application,
    ApplicationState,
    Assignment,
    BonusAward,
    Campaign,
    Conflict,
    InspectionScore,
    LeafScore,
    PoolMember,
    PoolRole,
    ScoreSheet,
    SheetStatus,
    Veto,
    VetoStatus,
)
from fazhi.campaigns.selectors.applications import answer_decode
from fazhi.campaigns.selectors.metrics_scoring import campaign_metric_leaves
from fazhi.campaigns.services.common import check_transition, locked, require_stage
from fazhi.campaigns.services.metrics_scoring import computed_refusal, sheet_metric_rows_fill
from fazhi.core.audit import audit_record, audit_record_many
from fazhi.core.errors import DomainError
from fazhi.core.i18n import translate
from fazhi.indicators import scoring, spec
from fazhi.indicators.models import BonusItem, Indicator, Standard, VetoItem
from fazhi.indicators.services import standard_to_spec
from fazhi.orgs.models import Membership

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


# --- assignment ----------------------------------------------------------------------------------


@dataclass
class RunOutcome:
    assigned: int = 0  # new assignments
    applications: int = 0  # applications that got at least one
    shortfalls: list[dict] = field(
        default_factory=list
    )  # {application, application_id, missing, eligible, pool, message}
    spread: int = 0  # largest minus smallest reviewer load afterwards


def _require_manager(actor, campaign: Campaign) -> None:
    if actor is not None and not can_manage(actor, campaign):
        raise PermissionDenied


def reviewer_pool(campaign: Campaign) -> list[planner.ReviewerIn]:
    """The campaign's reviewers with their memberships, conflicts and current loads (four queries)."""
    ids = list(PoolMember.objects.filter(campaign=campaign, role=PoolRole.REVIEWER).values_list("user_id", flat=True))
    members, conflicts = defaultdict(list), defaultdict(list)
    for user_id, path in Membership.objects.filter(user_id__in=ids).values_list("user_id", "org__path"):
        members[user_id].append(path)
    for user_id, path in Conflict.objects.filter(campaign=campaign, reviewer_id__in=ids).values_list(
        "reviewer_id", "org__path"
    ):
        conflicts[user_id].append(path)
    loads = dict(
        Assignment.objects.filter(application__campaign=campaign, reviewer_id__in=ids)
        .values("reviewer_id")
        .annotate(n=Count("id"))
        .values_list("reviewer_id", "n")
    )
    return [
        planner.ReviewerIn(
            user_id, tuple(sorted(members[user_id])), tuple(sorted(conflicts[user_id])), loads.get(user_id, 0)
        )
        for user_id in sorted(ids)
    ]


def shortfall_message(name: str, shortfall: planner.Shortfall) -> str:
    if shortfall.pool == 0:
        return _("%(application)s: no reviewer assigned — the campaign has no reviewers in its pool.") % {
            "application": name
        }
    return ngettext(
        "%(application)s: %(missing)d reviewer missing — only %(eligible)d of the %(pool)d reviewers may review "
        "it (the others belong to its area or declared a conflict).",
        "%(application)s: %(missing)d reviewers missing — only %(eligible)d of the %(pool)d reviewers may review "
        "it (the others belong to its area or declared a conflict).",
        shortfall.missing,
    ) % {"application": name, "missing": shortfall.missing, "eligible": shortfall.eligible, "pool": shortfall.pool}


@transaction.atomic
def assignments_run(*, actor, campaign: Campaign) -> RunOutcome:
    """Give every recommended application (and every one in review short of reviewers) the campaign's number
    of reviewers from its pool; create the assignments with empty score sheets; move the applications to
    in review. Shortfalls come back by application name."""
    campaign = locked(Campaign, campaign.pk)
    _require_manager(actor, campaign)
    require_stage(campaign, wf.REVIEW, doing=_("assigning reviewers"))
    applications = list(
        Application.objects.select_for_update(of=("self",))
        .filter(campaign=campaign, state__in=[ApplicationState.RECOMMENDED, ApplicationState.IN_REVIEW])
        .select_related("org")
        .order_by("decided_at", "first_submitted_at", "pk")
    )
    existing = defaultdict(set)
    for application_id, reviewer_id in Assignment.objects.filter(application__in=applications).values_list(
        "application_id", "reviewer_id"
    ):
        existing[application_id].add(reviewer_id)
    plan = planner.plan(
        [
            planner.ApplicationIn(a.pk, a.org.path, order=index, reviewers=frozenset(existing[a.pk]))
            for index, a in enumerate(applications)
        ],
        reviewer_pool(campaign),
        campaign.reviewers_per_application,
    )
    by_id = {a.pk: a for a in applications}
    created = Assignment.objects.bulk_create(
        Assignment(application_id=a, reviewer_id=r, assigned_by=actor) for a, r in plan.assignments
    )
    if created and created[0].pk is None:  # a backend that does not return keys from bulk inserts
        created = list(
            Assignment.objects.filter(application__in=applications, sheet__isnull=True).select_related("reviewer")
        )
    ScoreSheet.objects.bulk_create(ScoreSheet(assignment=a) for a in created)
    moved = []
    for application in applications:
        if application.state == ApplicationState.RECOMMENDED and existing[application.pk] | {
            a.reviewer_id for a in created if a.application_id == application.pk
        }:
            application.state = check_transition(application=application, action="assign", campaign=campaign)
            moved.append(application)
    now = timezone.now()
    for application in moved:
        application.updated_at = now
    Application.objects.bulk_update(moved, ["state", "updated_at"])
    reviewers = {r.pk: r for r in _users({a.reviewer_id for a in created})}
    audit_record_many(
        actor=actor,
        action="campaigns.review.assigned",
        entries=[
            (by_id[a.application_id], None, {"assignment": a.pk, "reviewer": reviewers[a.reviewer_id].get_username()})
            for a in created
        ],
    )
    audit_record_many(
        actor=actor,
        action="campaigns.review.in_review",
        entries=[(a, {"state": ApplicationState.RECOMMENDED}, {"state": a.state}) for a in moved],
    )
    outcome = RunOutcome(
        assigned=len(created), applications=len({a.application_id for a in created}), spread=plan.spread
    )
    for shortfall in plan.shortfalls:
        name = str(by_id[shortfall.application].org)
        outcome.shortfalls.append(
            {
                "application": name,
                "application_id": shortfall.application,
                "missing": shortfall.missing,
                "eligible": shortfall.eligible,
                "pool": shortfall.pool,
                "message": shortfall_message(name, shortfall),
            }
        )
    audit_record(
        actor=actor,
        action="campaigns.review.assignment_run",
        obj=campaign,
        new={
            "assigned": outcome.assigned,
            "spread": outcome.spread,
            "shortfalls": {s["application"]: s["missing"] for s in outcome.shortfalls},
        },
    )
    return outcome


def _users(ids):
    from django.contrib.auth import get_user_model

    return get_user_model().objects.filter(pk__in=ids)


def reviewer_may_review(campaign: Campaign, reviewer_id: int, application: Application) -> bool:
    for candidate in reviewer_pool(campaign):
        if candidate.id == reviewer_id:
            return planner.eligible(candidate, application.org.path)
    return False


@transaction.atomic
def assignment_reassign(*, actor, assignment: Assignment, reviewer) -> Assignment:
    """Give the assignment to another reviewer of the pool (while its sheet is not submitted). The draft
    answers of the old reviewer are discarded: the new one scores afresh."""
    application = locked(Application, assignment.application_id)
    campaign = application.campaign
    _require_manager(actor, campaign)
    require_stage(campaign, wf.REVIEW, doing=_("reassigning a review"))
    assignment = Assignment.objects.select_related("reviewer").get(pk=assignment.pk)
    sheet = locked(ScoreSheet, assignment.sheet.pk)
    if sheet.status == SheetStatus.SUBMITTED:
        raise DomainError(
            _("%(reviewer)s has already submitted this score sheet: reopen it before reassigning.")
            % {"reviewer": assignment.reviewer},
            rule="review.sheet_submitted",
        )
    if reviewer.pk == assignment.reviewer_id:
        raise DomainError(_("This reviewer is already assigned."), rule="review.same_reviewer", field="reviewer")
    if Assignment.objects.filter(application=application, reviewer=reviewer).exists():
        raise DomainError(
            _("%(reviewer)s already reviews this application.") % {"reviewer": reviewer},
            rule="review.already_assigned",
            field="reviewer",
        )
    if not reviewer_may_review(campaign, reviewer.pk, application):
        raise DomainError(
            _(
                "%(reviewer)s may not review %(application)s: not in the campaign's reviewer pool, "
                "a member of its area, or a declared conflict."
            )
            % {"reviewer": reviewer, "application": application.org},
            rule="review.not_eligible",
            field="reviewer",
        )
    old = assignment.reviewer
    LeafScore.objects.filter(sheet=sheet).delete()
    BonusAward.objects.filter(sheet=sheet).delete()
    assignment.reviewer = reviewer
    assignment.assigned_by = actor
    assignment.save(update_fields=["reviewer", "assigned_by"])
    sheet.save(update_fields=["updated_at"])
    audit_record(
        actor=actor,
        action="campaigns.review.reassigned",
        obj=application,
        old={"assignment": assignment.pk, "reviewer": old.get_username()},
        new={"assignment": assignment.pk, "reviewer": reviewer.get_username()},
    )
    return assignment


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
    _require_manager(actor, campaign)
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


# --- vetoes --------------------------------------------------------------------------------------

VETO_STAGES = (wf.REVIEW, wf.INSPECTION)


def _veto_item(application: Application, item) -> VetoItem:
    item_id = getattr(item, "pk", item)
    found = VetoItem.objects.filter(standard_id=application.campaign.standard_id, pk=item_id).first()
    if found is None:
        raise DomainError(
            _("This is not a veto item of the campaign's scoring standard."), rule="veto.item_unknown", field="item"
        )
    return found


def _reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give a reason."), rule="veto.reason_required", field="reason")
    return reason


def _active_veto(application: Application, item: VetoItem) -> Veto | None:
    return (
        Veto.objects.select_for_update()
        .filter(application=application, item=item, status__in=[VetoStatus.PROPOSED, VetoStatus.RECORDED])
        .first()
    )


def _veto_audit(actor, action, veto: Veto, application: Application, old, new) -> None:
    audit_record(actor=actor, action=action, obj=veto, org=application.org, old=old, new=new)


@transaction.atomic
def veto_propose(*, actor, application: Application, item, reason: str) -> Veto:
    """An assigned reviewer proposes that a veto item applies; the administrator records or withdraws it."""
    application = locked(Application, application.pk)
    if actor is not None and not Assignment.objects.filter(application=application, reviewer=actor).exists():
        raise PermissionDenied
    require_stage(application.campaign, *VETO_STAGES, doing=_("proposing a veto"))
    item, reason = _veto_item(application, item), _reason(reason)
    active = _active_veto(application, item)
    if active is not None:
        raise DomainError(
            _("Veto item %(item)s is already %(status)s for this application.")
            % {"item": item.code, "status": VetoStatus(active.status).label.lower()},
            rule="veto.already",
            field="item",
        )
    veto = Veto.objects.create(
        application=application, item=item, status=VetoStatus.PROPOSED, reason=reason, proposed_by=actor
    )
    _veto_audit(actor, "campaigns.veto.proposed", veto, application, None, {"item": item.code, "reason": reason})
    return veto


@transaction.atomic
def veto_record(*, actor, application: Application, item, reason: str) -> Veto:
    """The administrator records that a veto item applies (confirming a reviewer's proposal if there is one)."""
    application = locked(Application, application.pk)
    _require_manager(actor, application.campaign)
    require_stage(application.campaign, *VETO_STAGES, doing=_("recording a veto"))
    item, reason = _veto_item(application, item), _reason(reason)
    veto = _active_veto(application, item)
    now = timezone.now()
    if veto is not None and veto.status == VetoStatus.RECORDED:
        raise DomainError(
            _("Veto item %(item)s is already recorded for this application.") % {"item": item.code},
            rule="veto.already",
            field="item",
        )
    if veto is None:
        veto = Veto.objects.create(
            application=application,
            item=item,
            status=VetoStatus.RECORDED,
            reason=reason,
            decided_by=actor,
            decided_at=now,
        )
        old = None
    else:
        old = {"status": veto.status, "reason": veto.reason}
        veto.status, veto.reason, veto.decided_by, veto.decided_at = VetoStatus.RECORDED, reason, actor, now
        veto.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    _veto_audit(
        actor,
        "campaigns.veto.recorded",
        veto,
        application,
        old,
        {"item": item.code, "status": veto.status, "reason": reason},
    )
    return veto


@transaction.atomic
def veto_withdraw(*, actor, veto: Veto, reason: str) -> Veto:
    """The administrator withdraws a proposed or recorded veto, with a reason."""
    application = locked(Application, veto.application_id)
    veto = locked(Veto, veto.pk)
    _require_manager(actor, application.campaign)
    require_stage(application.campaign, *VETO_STAGES, doing=_("withdrawing a veto"))
    reason = _reason(reason)
    if veto.status == VetoStatus.WITHDRAWN:
        raise DomainError(_("This veto was already withdrawn."), rule="veto.withdrawn")
    old = {"status": veto.status, "reason": veto.reason}
    veto.status, veto.reason, veto.decided_by, veto.decided_at = VetoStatus.WITHDRAWN, reason, actor, timezone.now()
    veto.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    _veto_audit(actor, "campaigns.veto.withdrawn", veto, application, old, {"status": veto.status, "reason": reason})
    return veto


# --- on-site inspection --------------------------------------------------------------------------

INSPECTABLE = (ApplicationState.SCORED,)


def is_inspector(user, campaign: Campaign) -> bool:
    return PoolMember.objects.filter(campaign=campaign, user=user, role=PoolRole.INSPECTOR).exists()


def parse_score(value) -> int:
    """A 0–100 score (a Decimal, int or text, at most two decimals) as hundredths."""
    try:
        number = Decimal(str(value).strip()) if not isinstance(value, Decimal) else value
    except InvalidOperation:
        number = None
    if isinstance(value, bool | float) or number is None or not number.is_finite():
        raise DomainError(_("The score must be a number from 0 to 100."), rule="inspection.not_number", field="score")
    if not 0 <= number <= 100:
        raise DomainError(
            _("The score %(score)s is outside 0 to 100.") % {"score": number},
            rule="inspection.out_of_range",
            field="score",
        )
    hundredths = number * 100
    if hundredths != hundredths.to_integral_value():
        raise DomainError(
            _("The score %(score)s has more than two decimals.") % {"score": number},
            rule="inspection.too_precise",
            field="score",
        )
    return int(hundredths)


@transaction.atomic
def inspection_score_enter(*, actor, application: Application, score, note: str = "") -> InspectionScore:
    """An inspector of the campaign's pool enters (or corrects) their on-site score for an application."""
    application = locked(Application, application.pk)
    campaign = application.campaign
    if actor is None or not is_inspector(actor, campaign):
        raise PermissionDenied
    require_stage(campaign, wf.INSPECTION, doing=_("entering an inspection score"))
    if campaign.weight_inspection <= 0:
        raise DomainError(
            _("This campaign gives on-site inspection no weight: there is no inspection score to enter."),
            rule="inspection.not_weighted",
        )
    if application.state not in INSPECTABLE:
        raise DomainError(
            _("%(org)s's application is %(state)s: only scored applications are inspected.")
            % {"org": application.org, "state": ApplicationState(application.state).label},
            rule="campaigns.wrong_state",
        )
    hundredths = parse_score(score)
    row = InspectionScore.objects.filter(application=application, inspector=actor).first()
    old = {"score": row.score, "note": row.note} if row else None
    if row is None:
        row = InspectionScore.objects.create(
            application=application, inspector=actor, score=hundredths, note=note or ""
        )
    else:
        row.score, row.note = hundredths, note or ""
        row.save(update_fields=["score", "note", "entered_at"])
    audit_record(
        actor=actor,
        action="campaigns.inspection.score_entered",
        obj=application,
        old=old,
        new={"score": hundredths, "note": row.note},
    )
    return row
