"""Expert review: vetoes — an assigned reviewer proposes that a veto item of the standard applies, the
administrator records or withdraws it.

Each service is one transaction that checks the campaign's stage through :mod:`fazhi.campaigns.services.common`,
writes, and records audit events (``campaigns.veto.*``). Who may act: the view or API fetches the object through
:mod:`fazhi.campaigns.access` first (404/403); the services check again that only an assigned reviewer proposes
and only a campaign's administrator records and withdraws, and raise
:class:`~django.core.exceptions.PermissionDenied` otherwise. ``actor=None`` is the system (tests, commands).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from fazhi.campaigns import workflow as wf
from fazhi.campaigns.models import (
    Application,
    Assignment,
    Veto,
    VetoStatus,
)
from fazhi.campaigns.services.common import deny_unless_manager, locked, require_stage
from fazhi.core.audit import audit_record
from fazhi.core.errors import DomainError
from fazhi.indicators.models import VetoItem

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
    deny_unless_manager(actor, application.campaign)
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
    deny_unless_manager(actor, application.campaign)
    require_stage(application.campaign, *VETO_STAGES, doing=_("withdrawing a veto"))
    reason = _reason(reason)
    if veto.status == VetoStatus.WITHDRAWN:
        raise DomainError(_("This veto was already withdrawn."), rule="veto.withdrawn")
    old = {"status": veto.status, "reason": veto.reason}
    veto.status, veto.reason, veto.decided_by, veto.decided_at = VetoStatus.WITHDRAWN, reason, actor, timezone.now()
    veto.save(update_fields=["status", "reason", "decided_by", "decided_at"])
    _veto_audit(actor, "campaigns.veto.withdrawn", veto, application, old, {"status": veto.status, "reason": reason})
    return veto
