"""Public notice: objections from the public, and the administrator's decisions on them.

Anyone may object to a unit on notice while the campaign is in the notice stage and today lies within
``[notice_starts, notice_ends]``, both days included. A notice of N days runs N calendar days: it ends on
``notice_starts + N − 1`` (:func:`notice_ends_on`; 7 days from 1 March run to 7 March), and objections are refused
from the day after. An objection carries a name, a contact and reasons:

- **name**: 2–50 characters (after trimming spaces);
- **contact**: a mainland mobile number (11 digits starting ``13``–``19``, e.g. ``13800000000``), a fixed-line
  number with its area code (``0`` + 2–3 digits, an optional hyphen, 7–8 digits and an optional ``-``
  extension, e.g. ``0371-12345678``), or an e-mail address;
- **reasons**: 10–2000 characters.

Filing is rate-limited per *source*: the SHA-256 of the sender's IP address keyed with the server's secret
(HMAC), so the address itself is never stored. The count is read from the ``Objection`` table (no memory state,
so it holds across processes). The contact is personal data: it is never shown publicly, never written to the
audit log, and the administrators' reading of it is itself audited (``campaigns.objection.viewed``).

Upholding an objection removes the application from the notice and recomputes the results
(:func:`fazhi.campaigns.services.results.results_recompute`); a unit that the recomputation brings into the
quota goes on notice in turn.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import importlib
import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from fazhi.campaigns import workflow
from fazhi.campaigns.models import (
    Application,
    ApplicationResult,
    ApplicationState,
    Campaign,
    Objection,
    ObjectionStatus,
    ResultVersion,
)
from fazhi.campaigns.services.common import check_transition, locked, require_stage
from fazhi.core.audit import audit_record
from fazhi.core.errors import DomainError

NAME_MIN, NAME_MAX = 2, 50
REASONS_MIN, REASONS_MAX = 10, 2000
MOBILE = re.compile(r"^1[3-9]\d{9}$")
FIXED_LINE = re.compile(r"^0\d{2,3}-?\d{7,8}(?:-\d{1,6})?$")


# --- pure helpers --------------------------------------------------------------------------------


def objection_source(ip: str | None) -> str:
    """The rate-limit key of a sender: HMAC-SHA-256 of the IP address with the server secret."""
    return hmac.new(settings.SECRET_KEY.encode(), (ip or "unknown").encode(), hashlib.sha256).hexdigest()


def mask_name(name: str) -> str:
    """A name as the audit log keeps it: the first character, then one ``*`` per other character (张三 → 张*)."""
    name = name.strip()
    return name[:1] + "*" * max(len(name) - 1, 1) if name else ""


def contact_is_valid(contact: str) -> bool:
    contact = contact.strip()
    if MOBILE.match(contact) or FIXED_LINE.match(contact):
        return True
    try:
        validate_email(contact)
    except ValidationError:
        return False
    return True


def objection_problems(*, name: str, contact: str, reasons: str) -> dict[str, str]:
    """Every field that is not acceptable, with what is wrong (empty when all are fine)."""
    problems = {}
    name, contact, reasons = (name or "").strip(), (contact or "").strip(), (reasons or "").strip()
    if not NAME_MIN <= len(name) <= NAME_MAX:
        problems["name"] = _("The name must have %(min)d to %(max)d characters.") % {"min": NAME_MIN, "max": NAME_MAX}
    if not contact_is_valid(contact):
        problems["contact"] = _(
            "The contact must be a mainland mobile number (e.g. 13800000000), a telephone number with its "
            "area code (e.g. 0371-12345678) or an e-mail address."
        )
    if not REASONS_MIN <= len(reasons) <= REASONS_MAX:
        problems["reasons"] = _("The reasons must have %(min)d to %(max)d characters (now %(count)d).") % {
            "min": REASONS_MIN,
            "max": REASONS_MAX,
            "count": len(reasons),
        }
    return problems


def notice_ends_on(starts: dt.date, days: int) -> dt.date:
    """The last day of a notice of ``days`` calendar days starting on ``starts``, both days included."""
    return starts + dt.timedelta(days=days - 1)


def notice_is_open(campaign: Campaign, today: dt.date | None = None) -> bool:
    today = today or timezone.localdate()
    return (
        campaign.stage == workflow.NOTICE
        and campaign.notice_starts is not None
        and campaign.notice_ends is not None
        and campaign.notice_starts <= today <= campaign.notice_ends
    )


def _date(value: dt.date | None) -> str:
    return date_format(value, "DATE_FORMAT") if value else "—"


def latest_published_version(campaign: Campaign) -> ResultVersion | None:
    return campaign.result_versions.filter(published_at__isnull=False).order_by("-number").first()


# --- filing --------------------------------------------------------------------------------------


def objection_file(
    *,
    application: Application,
    name: str,
    contact: str,
    reasons: str,
    source: str,
    today: dt.date | None = None,
) -> Objection:
    """File a public objection against a unit on notice (no actor: the public)."""
    today = today or timezone.localdate()
    with transaction.atomic():
        application = locked(Application, application.pk)
        campaign = application.campaign
        if not notice_is_open(campaign, today):
            raise DomainError(
                _(
                    "Objections can be filed only during the public notice, from %(starts)s to %(ends)s "
                    "(both days included); it is not open today (%(today)s)."
                )
                % {"starts": _date(campaign.notice_starts), "ends": _date(campaign.notice_ends), "today": _date(today)},
                rule="campaigns.objection.closed",
            )
        if application.state != ApplicationState.ON_NOTICE:
            raise DomainError(
                _("%(org)s is not on public notice: there is nothing to object to.") % {"org": application.org},
                rule="campaigns.objection.not_on_notice",
            )
        problems = objection_problems(name=name, contact=contact, reasons=reasons)
        if problems:
            field, message = next(iter(problems.items()))
            raise DomainError(message, rule="campaigns.objection.invalid", field=field)
        since = timezone.now() - dt.timedelta(hours=1)
        limit = settings.FAZHI_OBJECTIONS_PER_HOUR
        if Objection.objects.filter(source=source, filed_at__gte=since).count() >= limit:
            raise DomainError(
                _("Too many objections from your address: at most %(limit)d an hour. Please try again later.")
                % {"limit": limit},
                rule="campaigns.objection.rate_limited",
            )
        objection = Objection.objects.create(
            application=application,
            name=name.strip(),
            contact=contact.strip(),
            reasons=reasons.strip(),
            source=source,
        )
        # Personal data stays out of the log: the name masked, no contact, no reasons text.
        audit_record(
            action="campaigns.objection.filed",
            obj=objection,
            object_repr=f"{application.org} · {mask_name(objection.name)}",
            org=campaign.organiser,
            new={"application": application.pk, "unit": str(application.org), "name": mask_name(objection.name)},
        )
    return objection


# --- the administrator's side --------------------------------------------------------------------


def objection_list_viewed(*, actor, campaign: Campaign, count: int) -> None:
    """Record that ``actor`` was shown the objectors' contacts of ``campaign`` (reading personal data)."""
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="campaigns.objection.viewed",
            obj=campaign,
            new={"objections_shown": count},
        )


def _require_reason(reason: str) -> str:
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Give the reason for the decision."), rule="campaigns.reason_required", field="reason")
    return reason


def _decided(objection: Objection) -> None:
    if objection.status != ObjectionStatus.FILED:
        raise DomainError(
            _("This objection was already decided (%(status)s).") % {"status": ObjectionStatus(objection.status).label},
            rule="campaigns.objection.decided",
        )


def _recompute(*, actor, campaign: Campaign, reason: str):
    # Looked up when called: the results area is written alongside, and tests replace the function.
    try:
        results_services = importlib.import_module("fazhi.campaigns.services.results")
    except ImportError:
        results_services = None
    recompute = getattr(results_services, "results_recompute", None)
    if recompute is None:
        raise DomainError(
            _("The results cannot be recomputed yet (results_recompute is missing)."),
            rule="campaigns.results.unavailable",
        )
    return recompute(actor=actor, campaign=campaign, reason=reason)


def notice_fill(*, actor, campaign: Campaign, version: ResultVersion | None = None) -> list[Application]:
    """Put on notice every application that ``version`` (default: the latest published) ranks passed and
    within the quota and that is still only ``passed``. Returns them. Runs inside the caller's transaction."""
    version = version or latest_published_version(campaign)
    if version is None:
        return []
    entering = list(
        Application.objects.select_for_update(of=("self",))
        .filter(
            pk__in=ApplicationResult.objects.filter(version=version, passed=True, in_quota=True).values(
                "application_id"
            ),
            state=ApplicationState.PASSED,
        )
        .select_related("org")
    )
    for application in entering:
        application.state = check_transition(application=application, action="notice", campaign=campaign)
        application.save(update_fields=["state", "updated_at"])
        audit_record(
            actor=actor,
            action="campaigns.application.put_on_notice",
            obj=application,
            org=campaign.organiser,
            old={"state": ApplicationState.PASSED},
            new={"state": application.state, "version": version.number},
        )
    return entering


def objection_uphold(*, actor, objection: Objection, reason: str) -> Objection:
    """Uphold: the application leaves the notice (removed), the results are recomputed, and any unit the new
    ranking brings into the quota goes on notice."""
    reason = _require_reason(reason)
    with transaction.atomic():
        objection = locked(Objection, objection.pk)
        _decided(objection)
        application = locked(Application, objection.application_id)
        campaign = application.campaign
        require_stage(campaign, workflow.NOTICE, doing=_("deciding objections"))
        removed = False
        if application.state != ApplicationState.REMOVED:  # an earlier objection may have removed it already
            old_state = application.state
            application.state = check_transition(application=application, action="remove", campaign=campaign)
            application.save(update_fields=["state", "updated_at"])
            removed = True
        objection.status = ObjectionStatus.UPHELD
        objection.decision_reason = reason
        objection.decided_by = actor
        objection.decided_at = timezone.now()
        objection.save(update_fields=["status", "decision_reason", "decided_by", "decided_at"])
        entering = []
        if removed:
            audit_record(
                actor=actor,
                action="campaigns.application.removed",
                obj=application,
                org=campaign.organiser,
                old={"state": old_state},
                new={"state": application.state, "objection": objection.pk, "reason": reason},
            )
            version = _recompute(
                actor=actor,
                campaign=campaign,
                reason=_("Objection upheld against %(org)s: %(reason)s") % {"org": application.org, "reason": reason},
            )
            entering = notice_fill(
                actor=actor, campaign=campaign, version=version if isinstance(version, ResultVersion) else None
            )
        audit_record(
            actor=actor,
            action="campaigns.objection.upheld",
            obj=objection,
            object_repr=f"{application.org} · {mask_name(objection.name)}",
            org=campaign.organiser,
            old={"status": ObjectionStatus.FILED},
            new={
                "status": objection.status,
                "reason": reason,
                "application_removed": removed,
                "now_on_notice": [a.pk for a in entering],
            },
        )
    return objection


def objection_dismiss(*, actor, objection: Objection, reason: str) -> Objection:
    """Dismiss: the unit stays on notice."""
    reason = _require_reason(reason)
    with transaction.atomic():
        objection = locked(Objection, objection.pk)
        _decided(objection)
        application = objection.application
        campaign = application.campaign
        require_stage(campaign, workflow.NOTICE, doing=_("deciding objections"))
        objection.status = ObjectionStatus.DISMISSED
        objection.decision_reason = reason
        objection.decided_by = actor
        objection.decided_at = timezone.now()
        objection.save(update_fields=["status", "decision_reason", "decided_by", "decided_at"])
        audit_record(
            actor=actor,
            action="campaigns.objection.dismissed",
            obj=objection,
            object_repr=f"{application.org} · {mask_name(objection.name)}",
            org=campaign.organiser,
            old={"status": ObjectionStatus.FILED},
            new={"status": objection.status, "reason": reason},
        )
    return objection
