"""Reading the ledger "Disputes": scoped lists with filters, one record for a user, the deadlines.

Every read is scoped by ``scope_q(user, LEDGER_VIEW, "org__path")``; one record outside the user's scope is a 404,
a write without LEDGER_EDIT a 403. Lists take a constant number of queries whatever their length.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import F, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from fazhi.ledgers.common.registry import Deadline
from fazhi.ledgers.disputes.models import DisclosureRequest, LitigationCase, Mediation, ReconsiderationCase
from fazhi.orgs import roles
from fazhi.orgs.access import has_capability, scope_q
from fazhi.orgs.models import Org, subtree_q


@dataclass(frozen=True)
class Status:
    label: object
    q: Callable[[dt.date], Q]


@dataclass(frozen=True)
class RegisterView:
    """How a register is listed: its model, the date its year filter reads, and its statuses."""

    name: str
    model: type
    date_field: str
    statuses: dict[str, Status]


def _open_q(done_field: str):
    return lambda today: Q(**{f"{done_field}__isnull": True})


def _overdue_q(done_field: str):
    return lambda today: Q(**{f"{done_field}__isnull": True, "due_on__lt": today})


def _on_time_q(done_field: str):
    return lambda today: Q(**{f"{done_field}__isnull": False, f"{done_field}__lte": F("due_on")})


def _late_q(done_field: str):
    return lambda today: Q(**{f"{done_field}__isnull": False, f"{done_field}__gt": F("due_on")})


REGISTERS: dict[str, RegisterView] = {
    "reconsideration": RegisterView(
        "reconsideration",
        ReconsiderationCase,
        "received_on",
        {
            "open": Status(_("Not yet decided"), _open_q("decided_on")),
            "overdue": Status(_("Overdue"), _overdue_q("decided_on")),
            "on_time": Status(_("Decided on time"), _on_time_q("decided_on")),
            "late": Status(_("Decided late"), _late_q("decided_on")),
        },
    ),
    "litigation": RegisterView(
        "litigation",
        LitigationCase,
        "filed_on",
        {
            "pending": Status(_("Pending"), lambda today: Q(outcome="pending")),
            "closed": Status(_("Judged or closed"), lambda today: ~Q(outcome="pending")),
            "not_complied": Status(
                _("Judgment not complied with"), lambda today: Q(outcome="lost") & ~Q(complied=True)
            ),
        },
    ),
    "mediation": RegisterView(
        "mediation",
        Mediation,
        "screened_on",
        {
            "screened": Status(_("Screened, not mediated"), lambda today: Q(mediated_on__isnull=True)),
            "mediating": Status(_("Being mediated"), lambda today: Q(mediated_on__isnull=False, outcome="")),
            "settled": Status(_("Settled"), lambda today: Q(outcome="settled")),
            "failed": Status(_("Not settled"), lambda today: Q(outcome="failed")),
        },
    ),
    "disclosure": RegisterView(
        "disclosure",
        DisclosureRequest,
        "received_on",
        {
            "open": Status(_("Not yet answered"), _open_q("answered_on")),
            "overdue": Status(_("Overdue"), _overdue_q("answered_on")),
            "on_time": Status(_("Answered on time"), _on_time_q("answered_on")),
            "late": Status(_("Answered late"), _late_q("answered_on")),
        },
    ),
}


def records_for_user(user, register: str, *, org: Org | None = None, year: int | None = None, status: str = ""):
    """The register's records the user may see, filtered by org subtree, year (of the register's date) and status;
    newest first, with their org (one query whatever the number of rows)."""
    spec = REGISTERS[register]
    queryset = spec.model.objects.filter(scope_q(user, roles.LEDGER_VIEW, "org__path")).select_related("org")
    if org is not None:
        queryset = queryset.filter(subtree_q(org.path, "org__path"))
    if year:
        queryset = queryset.filter(**{f"{spec.date_field}__year": year})
    if status in spec.statuses:
        queryset = queryset.filter(spec.statuses[status].q(timezone.localdate()))
    return queryset.order_by(f"-{spec.date_field}", "-pk")


def record_get_for_user(user, register: str, pk, *, write: bool = False):
    """One record: 404 outside the user's LEDGER_VIEW scope, 403 for a write without LEDGER_EDIT."""
    model = REGISTERS[register].model
    try:
        record = model.objects.select_related("org").get(pk=pk)
    except (model.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not has_capability(user, roles.LEDGER_VIEW, record.org):
        raise Http404
    if write and not has_capability(user, roles.LEDGER_EDIT, record.org):
        raise PermissionDenied
    return record


def reconsideration_get_for_user(user, pk, *, write: bool = False) -> ReconsiderationCase:
    return record_get_for_user(user, "reconsideration", pk, write=write)


def litigation_get_for_user(user, pk, *, write: bool = False) -> LitigationCase:
    return record_get_for_user(user, "litigation", pk, write=write)


def mediation_get_for_user(user, pk, *, write: bool = False) -> Mediation:
    return record_get_for_user(user, "mediation", pk, write=write)


def disclosure_get_for_user(user, pk, *, write: bool = False) -> DisclosureRequest:
    return record_get_for_user(user, "disclosure", pk, write=write)


def register_counts(user) -> dict[str, dict[str, int]]:
    """For the ledger's index: per register, how many records the user sees, how many are open and overdue."""
    from django.db.models import Count

    today = timezone.localdate()
    counts = {}
    for name, spec in REGISTERS.items():
        aggregates = {"total": Count("pk")}
        if "overdue" in spec.statuses:
            aggregates["open"] = Count("pk", filter=spec.statuses["open"].q(today))
            aggregates["overdue"] = Count("pk", filter=spec.statuses["overdue"].q(today))
        counts[name] = spec.model.objects.filter(scope_q(user, roles.LEDGER_VIEW, "org__path")).aggregate(**aggregates)
    return counts


def deadlines(scope: Q, start: dt.date, end: dt.date) -> Iterator[Deadline]:
    """Undecided reconsideration cases and unanswered disclosure requests due from ``start`` to ``end``."""
    sources: list[tuple[QuerySet, str]] = [
        (
            ReconsiderationCase.objects.filter(decided_on__isnull=True),
            gettext("Reconsideration decision"),
        ),
        (
            DisclosureRequest.objects.filter(answered_on__isnull=True),
            gettext("Disclosure answer"),
        ),
    ]
    for queryset, what in sources:
        rows = queryset.filter(scope, due_on__gte=start, due_on__lte=end).select_related("org").order_by("due_on", "pk")
        for record in rows:
            yield Deadline(
                ledger="disputes",
                what=what,
                record=str(record),
                url=record.get_absolute_url(),
                org_id=record.org_id,
                org_name=record.org.name,
                due=record.due_on,
            )
