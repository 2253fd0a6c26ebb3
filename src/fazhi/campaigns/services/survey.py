"""The public satisfaction survey: single-use links per application, one answer each.

The administrator makes a number of links for an application during the inspection stage (only when the
campaign weights the survey); each link (``/public/survey/<token>/``) takes one answer, "satisfied" or
"not satisfied" with an optional comment, and only during the inspection stage. The survey component is
the share of satisfied answers × 100 (:func:`survey_component`).
"""

from __future__ import annotations

import secrets
from fractions import Fraction

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.campaigns import workflow as wf
from fazhi.campaigns.access import can_manage
from fazhi.campaigns.models import Application, ApplicationState, SurveyToken
from fazhi.campaigns.services.common import locked, require_stage
from fazhi.core.audit import audit_record
from fazhi.core.errors import DomainError
from fazhi.indicators.scoring import round_half_up

MAX_TOKENS = 1000  # links made at once
COMMENT_MAX = 2000
SURVEYED = (ApplicationState.SCORED, ApplicationState.PASSED, ApplicationState.FAILED)


def survey_component(satisfied: int, answered: int) -> int | None:
    """Satisfied ÷ answered × 100, in hundredths rounded half up (2 of 3 → 6667); None without answers."""
    if answered <= 0:
        return None
    return round_half_up(Fraction(satisfied * 10000, answered))


def new_token() -> str:
    return secrets.token_urlsafe(24)


@transaction.atomic
def survey_tokens_create(*, actor, application: Application, count: int) -> list[SurveyToken]:
    """``count`` new single-use questionnaire links for an application."""
    application = locked(Application, application.pk)
    campaign = application.campaign
    if actor is not None and not can_manage(actor, campaign):
        raise PermissionDenied
    require_stage(campaign, wf.INSPECTION, doing=_("making survey links"))
    if campaign.weight_survey <= 0:
        raise DomainError(
            _("This campaign gives the satisfaction survey no weight: there is no survey to run."),
            rule="survey.not_weighted",
        )
    if application.state not in SURVEYED:
        raise DomainError(
            _("%(org)s's application is %(state)s: only scored applications are surveyed.")
            % {"org": application.org, "state": ApplicationState(application.state).label},
            rule="campaigns.wrong_state",
        )
    if isinstance(count, bool) or not isinstance(count, int) or not 1 <= count <= MAX_TOKENS:
        raise DomainError(
            _("The number of links must be a whole number from 1 to %(max)d.") % {"max": MAX_TOKENS},
            rule="survey.bad_count",
            field="count",
        )
    tokens = SurveyToken.objects.bulk_create(
        SurveyToken(application=application, token=new_token()) for _i in range(count)
    )
    total = SurveyToken.objects.filter(application=application).count()
    audit_record(
        actor=actor, action="campaigns.survey.tokens_created", obj=application, new={"count": count, "links": total}
    )
    return tokens


def survey_token_find(token: str) -> SurveyToken | None:
    if not token or len(token) > 64:
        return None
    return SurveyToken.objects.select_related("application__campaign", "application__org").filter(token=token).first()


@transaction.atomic
def survey_answer(*, token: SurveyToken, satisfied: bool, comment: str = "") -> SurveyToken:
    """Record the one answer a link takes (anonymous: no actor)."""
    token = locked(SurveyToken, token.pk)
    application = token.application
    require_stage(application.campaign, wf.INSPECTION, doing=_("answering the survey"))
    if token.answered_at is not None:
        raise DomainError(
            _("This questionnaire link has already been answered; each link takes one answer."),
            rule="survey.answered",
        )
    if not isinstance(satisfied, bool):
        raise DomainError(_("Choose satisfied or not satisfied."), rule="survey.no_choice", field="satisfied")
    comment = (comment or "").strip()
    if len(comment) > COMMENT_MAX:
        raise DomainError(
            _("The comment is too long (at most %(max)d characters).") % {"max": COMMENT_MAX},
            rule="survey.comment_too_long",
            field="comment",
        )
    token.satisfied, token.comment, token.answered_at = satisfied, comment, timezone.now()
    token.save(update_fields=["satisfied", "comment", "answered_at"])
    audit_record(
        action="campaigns.survey.answered",
        obj=application,
        new={"token": token.token[:6], "satisfied": satisfied, "commented": bool(comment)},
    )
    return token
