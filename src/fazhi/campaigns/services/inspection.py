"""Expert review: on-site inspection — an inspector of the campaign's pool enters (or corrects) a 0–100 score
for a scored application.

The service is one transaction that checks the campaign's stage through :mod:`fazhi.campaigns.services.common`,
writes, and records its audit event (``campaigns.inspection.score_entered``). Who may act: the view or API fetches
the application through :mod:`fazhi.campaigns.access` first (404/403); the service checks again that only an
inspector of the pool enters a score, and raises :class:`~django.core.exceptions.PermissionDenied` otherwise.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils.translation import gettext as _

from fazhi.campaigns import workflow as wf
from fazhi.campaigns.models import (
    Application,
    ApplicationState,
    Campaign,
    InspectionScore,
    PoolMember,
    PoolRole,
)
from fazhi.campaigns.services.common import locked, require_stage
from fazhi.core.audit import audit_record
from fazhi.core.errors import DomainError

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
