"""Applications: create, self-assess, submit, and the recommending authority's decisions.

Each service is keyword-only, runs in one transaction on the application row it locked
(:func:`~fazhi.campaigns.services.common.locked`), checks the state and stage through
:mod:`~fazhi.campaigns.services.common`, and writes one ``campaigns.application.*`` audit event. A broken
rule is a :class:`~fazhi.core.errors.DomainError` and nothing is written; acting without the capability
(``application.edit`` over the applicant, ``application.recommend`` over the recommending org) is a
:class:`~django.core.exceptions.PermissionDenied`.

Answers are the engine's (:func:`fazhi.indicators.scoring.leaf_score`): ``manual`` hundredths, ``checklist``
item indexes, ``deduction`` a count, ``ratio``/``tiers`` a :class:`~decimal.Decimal`. Loose input from a
form or the API becomes that through :func:`answer_coerce`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from fazhi.campaigns import access
from fazhi.campaigns import workflow as wf
from fazhi.campaigns.models import Answer, Application, ApplicationState, Campaign
from fazhi.campaigns.selectors.applications import (
    answer_encode,
    campaign_indicator_ids,
    campaign_leaves,
    org_eligible,
)
from fazhi.campaigns.selectors.metrics_scoring import campaign_metric_leaves
from fazhi.campaigns.services.common import check_transition, locked, require_stage
from fazhi.campaigns.services.metrics_scoring import answers_metrics_store, computed_refusal
from fazhi.core.audit import audit_record
from fazhi.core.errors import DomainError
from fazhi.core.i18n import translate
from fazhi.indicators import spec as specs
from fazhi.indicators.scoring import ScoringError, leaf_score
from fazhi.orgs import roles
from fazhi.orgs.access import has_capability
from fazhi.orgs.models import Org

# Unanswered leaves named in a refused submission before "and N more".
UNANSWERED_SHOWN = 10
REASON_MAX = 2000
STATEMENT_MAX = 5000


# --- shared checks ---------------------------------------------------------------------------------


def _lock(application: Application) -> Application:
    row = locked(Application, application.pk)
    # Keep the caller's related objects (campaign, org): the lock re-reads the row's own fields only.
    row.campaign = application.campaign
    row.org = application.org
    return row


def _require_editor(actor, application: Application) -> None:
    if not access.can_edit(actor, application):
        raise PermissionDenied


def _require_recommender(actor, application: Application) -> None:
    if not access.can_recommend(actor, application):
        raise PermissionDenied


def require_editable(application: Application) -> None:
    """Refuse a change to the self-assessment or evidence unless the application is a draft or returned,
    during the application or recommendation stage."""
    if application.state not in wf.EDITABLE:
        raise DomainError(
            _("%(org)s's application is %(state)s: its self-assessment and evidence can no longer change.")
            % {"org": application.org, "state": ApplicationState(application.state).label},
            rule="campaigns.wrong_state",
        )
    require_stage(application.campaign, wf.APPLICATION, wf.RECOMMENDATION, doing=_("changing a self-assessment"))


def _reason(reason: str | None) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give a reason."), rule="campaigns.reason_required", field="reason")
    if len(reason) > REASON_MAX:
        raise DomainError(
            _("The reason is too long (at most %(max)d characters).") % {"max": REASON_MAX},
            rule="campaigns.reason_too_long",
            field="reason",
        )
    return reason


def _state(application: Application) -> dict:
    return {
        "state": application.state,
        "submissions": application.submissions,
        "decision_reason": application.decision_reason,
    }


# --- create ----------------------------------------------------------------------------------------


def recommender_for(campaign: Campaign, org: Org) -> Org:
    """The org whose recommenders decide on ``org``'s application: its ancestor at the campaign's
    recommending level, or its parent when the campaign names none."""
    if campaign.recommend_level is None:
        if org.parent_id is None:
            raise DomainError(
                _("%(org)s has no org above it to recommend it.") % {"org": org}, rule="campaigns.no_recommender"
            )
        return org.parent if org.parent is not None else Org.objects.get(pk=org.parent_id)
    ancestors = Org.objects.filter(path__in=org.ancestor_paths()[:-1], level=campaign.recommend_level)
    found = ancestors.order_by("-path").first()
    if found is None:
        raise DomainError(
            _("%(org)s has no org above it at the campaign's recommending level.") % {"org": org},
            rule="campaigns.no_recommender",
        )
    return found


@transaction.atomic
def application_create(*, actor, campaign: Campaign, org: Org) -> Application:
    """Open ``org``'s application to ``campaign`` as a draft."""
    if not has_capability(actor, roles.APPLICATION_EDIT, org):
        raise PermissionDenied
    campaign = Campaign.objects.select_for_update().select_related("organiser", "standard").get(pk=campaign.pk)
    require_stage(campaign, wf.APPLICATION, doing=_("applying"))
    if not org_eligible(campaign, org):
        raise DomainError(
            _(
                "%(org)s may not apply to this campaign: it must be an active org of an eligible kind and level "
                "inside %(organiser)s."
            )
            % {"org": org, "organiser": campaign.organiser},
            rule="campaigns.not_eligible",
            field="org",
        )
    if Application.objects.filter(campaign=campaign, org=org).exists():
        raise DomainError(
            _("%(org)s has already applied to this campaign.") % {"org": org},
            rule="campaigns.already_applied",
            field="org",
        )
    recommender = recommender_for(campaign, org)
    try:
        with transaction.atomic():
            application = Application.objects.create(
                campaign=campaign,
                org=org,
                recommender_org=recommender,
                created_by=actor if getattr(actor, "is_authenticated", False) else None,
            )
    except IntegrityError:
        raise DomainError(
            _("%(org)s has already applied to this campaign.") % {"org": org},
            rule="campaigns.already_applied",
            field="org",
        ) from None
    audit_record(
        actor=actor,
        action="campaigns.application.created",
        obj=application,
        new={"campaign": campaign.pk, "org": org.pk, "recommender_org": recommender.pk, "state": application.state},
    )
    return application


# --- self-assessment -------------------------------------------------------------------------------


def _points(value: Any) -> Decimal:
    if isinstance(value, bool):
        raise InvalidOperation
    if isinstance(value, float):
        value = repr(value)
    number = Decimal(str(value).strip())
    if not number.is_finite():
        raise InvalidOperation
    return number


def answer_coerce(leaf: specs.Indicator, value: Any) -> Any:
    """Loose input (a form's text, the API's JSON) as the engine's answer for ``leaf``.

    ``manual``: points (``3.5``); ``checklist``: item numbers (ints or digit strings); ``deduction``: a whole
    count; ``ratio``: a decimal from 0 to 1; ``tiers``: a decimal. Empty input is None (no answer). Only the
    form is checked here; the range is the engine's to judge.
    """
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    kind = leaf.rule.kind if leaf.rule else None
    try:
        if kind == specs.MANUAL:
            hundredths = _points(value) * 100
            if hundredths != hundredths.to_integral_value():
                raise InvalidOperation
            return int(hundredths)
        if kind == specs.CHECKLIST:
            if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
                raise InvalidOperation
            return [
                int(item) if isinstance(item, str) and item.strip().lstrip("-").isdigit() else item for item in value
            ]
        if kind == specs.DEDUCTION:
            count = _points(value)
            if count != count.to_integral_value():
                raise InvalidOperation
            return int(count)
        if kind in (specs.RATIO, specs.TIERS):
            return _points(value)
    except (InvalidOperation, ValueError, TypeError):
        pass
    raise DomainError(
        _("Indicator %(code)s: %(value)s is not a valid answer (%(expected)s).")
        % {"code": leaf.code, "value": value, "expected": EXPECTED.get(kind, "")},
        rule="campaigns.answer_malformed",
        field=leaf.code,
    )


EXPECTED = {
    specs.MANUAL: gettext_lazy("points"),
    specs.CHECKLIST: gettext_lazy("the numbers of the items met"),
    specs.DEDUCTION: gettext_lazy("a whole count"),
    specs.RATIO: gettext_lazy("a decimal from 0 to 1"),
    specs.TIERS: gettext_lazy("a number"),
}


@dataclass(frozen=True)
class AnswerInput:
    code: str  # the leaf's code
    answer: Any  # the engine's form (see answer_coerce); None: no answer yet
    statement: str = ""


class AnswersInvalid(DomainError):
    """Some answers were refused; ``errors`` lists each: ``{"code", "rule", "message"}``. Nothing was saved."""

    def __init__(self, errors: list[dict]):
        if len(errors) == 1:
            message, rule = errors[0]["message"], errors[0]["rule"]
        else:
            message = ngettext(
                "%(count)d answer is invalid; nothing was saved.",
                "%(count)d answers are invalid; nothing was saved.",
                len(errors),
            ) % {"count": len(errors)}
            rule = "campaigns.answers_invalid"
        super().__init__(message, rule=rule, field=errors[0]["code"] if len(errors) == 1 else None)
        self.errors = errors


def answer_problem(leaves: dict[str, specs.Indicator], entry: AnswerInput) -> dict | None:
    """Why the engine (or the standard) refuses ``entry`` — ``{"code", "rule", "message"}`` — or None."""
    leaf = leaves.get(entry.code)
    if leaf is None:
        return {
            "code": entry.code,
            "rule": "campaigns.not_a_leaf",
            "message": _("%(code)s is not a scored indicator of this campaign's standard.") % {"code": entry.code},
        }
    if len(entry.statement or "") > STATEMENT_MAX:
        return {
            "code": entry.code,
            "rule": "campaigns.statement_too_long",
            "message": _("Indicator %(code)s: the statement is too long (at most %(max)d characters).")
            % {"code": entry.code, "max": STATEMENT_MAX},
        }
    if entry.answer is None:
        return None
    try:
        leaf_score(leaf, entry.answer)
    except ScoringError as error:
        return {"code": entry.code, "rule": error.rule, "message": translate(error.problem)}
    return None


@transaction.atomic
def answers_save(*, actor, application: Application, answers: Iterable[AnswerInput]) -> list[Answer]:
    """Save several leaves' answers and statements at once: all of them, or none when any is refused
    (:class:`AnswersInvalid` lists every refused leaf)."""
    _require_editor(actor, application)
    application = _lock(application)
    require_editable(application)
    entries = list(answers)
    leaves = campaign_leaves(application.campaign)  # the standard read once for the whole call
    bound = campaign_metric_leaves(application.campaign)
    errors = [error for entry in entries if (error := answer_problem(leaves, entry))]
    errors += [
        {"code": entry.code, "rule": "campaigns.answer_computed", "message": computed_refusal(entry.code)}
        for entry in entries
        if entry.code in bound and entry.answer is not None
    ]
    if errors:
        raise AnswersInvalid(errors)
    ids = campaign_indicator_ids(application.campaign)
    existing = {row.indicator_id: row for row in Answer.objects.filter(application=application)}
    saved, changes = [], {}
    for entry in entries:
        leaf = leaves[entry.code]
        row = existing.get(ids[entry.code])
        # a metric-bound leaf keeps its computed value (stored below): only its statement is the clerk's
        stored = (row.answer if row else None) if entry.code in bound else answer_encode(leaf, entry.answer)
        statement = (entry.statement or "").strip()
        old = {"answer": row.answer, "statement": row.statement} if row else None
        if row is None:
            row = Answer.objects.create(
                application=application, indicator_id=ids[entry.code], answer=stored, statement=statement
            )
        elif row.answer != stored or row.statement != statement:
            row.answer, row.statement = stored, statement
            row.save(update_fields=["answer", "statement", "updated_at"])
        new = {"answer": stored, "statement": statement}
        if old != new:
            changes[entry.code] = {"old": old, "new": new}
        saved.append(row)
    if any(entry.code in bound for entry in entries):  # a metric-bound leaf's statement: its figure afresh
        answers_metrics_store(actor=actor, application=application)
    if changes:
        Application.objects.filter(pk=application.pk).update(updated_at=timezone.now())
        audit_record(
            actor=actor,
            action="campaigns.application.answers_saved",
            obj=application,
            old={code: change["old"] for code, change in changes.items()},
            new={code: change["new"] for code, change in changes.items()},
        )
    return saved


def answer_save(*, actor, application: Application, indicator, answer: Any, statement: str = "") -> Answer:
    """Save one leaf's answer (the engine's form, or None) and statement."""
    if indicator.standard_id != application.campaign.standard_id:
        raise DomainError(
            _("%(code)s is not a scored indicator of this campaign's standard.") % {"code": indicator.code},
            rule="campaigns.not_a_leaf",
        )
    return answers_save(actor=actor, application=application, answers=[AnswerInput(indicator.code, answer, statement)])[
        0
    ]


# --- the workflow ----------------------------------------------------------------------------------


def _unanswered(application: Application) -> list[str]:
    leaves = campaign_leaves(application.campaign)
    ids = campaign_indicator_ids(application.campaign)
    bound = campaign_metric_leaves(application.campaign)  # computed at submission, even without records
    leaves = {code: leaf for code, leaf in leaves.items() if code not in bound}
    answered = set(
        Answer.objects.filter(application=application, answer__isnull=False).values_list("indicator_id", flat=True)
    )
    return [code for code in leaves if ids[code] not in answered]


@transaction.atomic
def application_submit(*, actor, application: Application) -> Application:
    """Submit the self-assessment to the recommending org; every leaf must be answered."""
    _require_editor(actor, application)
    application = _lock(application)
    old = _state(application)
    target = check_transition(application=application, action="submit")
    answers_metrics_store(actor=actor, application=application)  # the figures as submitted
    missing = _unanswered(application)
    if missing:
        shown = ", ".join(missing[:UNANSWERED_SHOWN])
        if len(missing) > UNANSWERED_SHOWN:
            more = len(missing) - UNANSWERED_SHOWN
            shown = ngettext("%(codes)s and %(count)d more", "%(codes)s and %(count)d more", more) % {
                "codes": shown,
                "count": more,
            }
        raise DomainError(
            ngettext(
                "Answer every indicator before submitting; %(count)d is unanswered: %(codes)s.",
                "Answer every indicator before submitting; %(count)d are unanswered: %(codes)s.",
                len(missing),
            )
            % {"count": len(missing), "codes": shown},
            rule="campaigns.unanswered",
        )
    now = timezone.now()
    application.state = target
    application.submissions += 1
    application.submitted_at = now
    application.first_submitted_at = application.first_submitted_at or now
    application.save(update_fields=["state", "submissions", "submitted_at", "first_submitted_at", "updated_at"])
    audit_record(
        actor=actor, action="campaigns.application.submitted", obj=application, old=old, new=_state(application)
    )
    return application


def _decide(*, actor, application: Application, action: str, audit: str, reason: str | None = None) -> Application:
    """The recommender's decision: ``reason`` None for none, else required (checked after the state and
    stage, so that "not now" is said first)."""
    _require_recommender(actor, application)
    application = _lock(application)
    old = _state(application)
    target = check_transition(application=application, action=action)
    application.state = target
    application.decision_reason = "" if reason is None else _reason(reason)
    application.decided_by = actor if getattr(actor, "is_authenticated", False) else None
    application.decided_at = timezone.now()
    application.save(update_fields=["state", "decision_reason", "decided_by", "decided_at", "updated_at"])
    audit_record(actor=actor, action=audit, obj=application, old=old, new=_state(application))
    return application


@transaction.atomic
def application_return(*, actor, application: Application, reason: str) -> Application:
    """Send a submitted application back to its clerk for correction, with the reason."""
    return _decide(
        actor=actor, application=application, action="return", audit="campaigns.application.returned", reason=reason
    )


@transaction.atomic
def application_recommend(*, actor, application: Application) -> Application:
    """Recommend a submitted application for expert review."""
    return _decide(actor=actor, application=application, action="recommend", audit="campaigns.application.recommended")


@transaction.atomic
def application_not_recommend(*, actor, application: Application, reason: str) -> Application:
    """Turn a submitted application down, with the reason."""
    return _decide(
        actor=actor,
        application=application,
        action="not_recommend",
        audit="campaigns.application.not_recommended",
        reason=reason,
    )
