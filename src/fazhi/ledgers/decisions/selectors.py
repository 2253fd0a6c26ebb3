"""Reads of the ledger of major decisions, always within the reader's scope (``ledger.view`` over the org subtree)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from fazhi.ledgers.common.registry import Deadline
from fazhi.ledgers.decisions.models import Decision, Procedure, ProcedureEvidence, ProcedureKind, Status
from fazhi.orgs import roles
from fazhi.orgs.access import has_capability, orgs_for_user, scope_q
from fazhi.orgs.models import Org, subtree_q

PAGE_SIZE = 50


def decisions_for_user(user, *, org: Org | None = None, year: int | None = None, status: str = ""):
    """The decisions the user may see, filtered by org subtree, catalogue year and status, newest first."""
    queryset = Decision.objects.filter(scope_q(user, roles.LEDGER_VIEW, "org__path")).select_related("org")
    if org is not None:
        queryset = queryset.filter(subtree_q(org.path, "org__path"))
    if year:
        queryset = queryset.filter(year=year)
    if status:
        queryset = queryset.filter(status=status)
    return queryset.annotate(steps=Count("procedures")).order_by("-year", "org__path", "id")


def decision_get_for_user(user, pk, *, write: bool = False) -> Decision:
    """The decision: 404 outside the user's scope, 403 for a write without ``ledger.edit``."""
    try:
        decision = Decision.objects.select_related("org").get(pk=pk)
    except (Decision.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    if not has_capability(user, roles.LEDGER_VIEW, decision.org) and not has_capability(
        user, roles.LEDGER_EDIT, decision.org
    ):
        raise Http404
    if write and not has_capability(user, roles.LEDGER_EDIT, decision.org):
        raise PermissionDenied
    return decision


def decision_procedures(decision: Decision) -> list[Procedure]:
    """The decision's procedures in the regulation's order, each with its evidence files."""
    order = {kind: i for i, kind in enumerate(ProcedureKind.values)}
    procedures = list(
        decision.procedures.prefetch_related(
            Prefetch("evidence", queryset=ProcedureEvidence.objects.select_related("uploaded_by"))
        )
    )
    for procedure in procedures:
        procedure.decision = decision
    return sorted(procedures, key=lambda p: order[p.kind])


def procedure_get_for_user(user, pk, *, write: bool = False) -> Procedure:
    try:
        procedure = Procedure.objects.get(pk=pk)
    except (Procedure.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    procedure.decision = decision_get_for_user(user, procedure.decision_id, write=write)
    return procedure


def evidence_get_for_user(user, pk, *, write: bool = False) -> ProcedureEvidence:
    try:
        evidence = ProcedureEvidence.objects.select_related("procedure").get(pk=pk)
    except (ProcedureEvidence.DoesNotExist, ValueError, TypeError):
        raise Http404 from None
    evidence.procedure.decision = decision_get_for_user(user, evidence.procedure.decision_id, write=write)
    return evidence


def filter_orgs(user) -> QuerySet[Org]:
    """The orgs the list's subtree filter takes (typed by code): the active ones of the user's ledger scope."""
    return orgs_for_user(user, roles.LEDGER_VIEW).filter(is_active=True)


def edit_orgs(user) -> QuerySet[Org]:
    """The orgs whose catalogue the user may add a decision to: the active ones of the user's LEDGER_EDIT scope."""
    return orgs_for_user(user, roles.LEDGER_EDIT).filter(is_active=True)


def decision_years(user) -> list[int]:
    return list(
        Decision.objects.filter(scope_q(user, roles.LEDGER_VIEW, "org__path"))
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


def deadlines(scope, start: dt.date, end: dt.date) -> Iterator[Deadline]:
    """What the deadline board shows: public comment periods ending (decision still open) and evaluations due
    (decided, not yet evaluated), from ``start`` to ``end``."""
    comment = (
        Procedure.objects.filter(
            kind=ProcedureKind.PUBLIC_PARTICIPATION,
            ended_on__range=(start, end),
            decision__status=Status.CATALOGUED,
        )
        .filter(_prefixed(scope, "decision__"))
        .select_related("decision__org")
        .order_by("ended_on", "id")
    )
    for procedure in comment:
        decision = procedure.decision
        yield Deadline(
            ledger="decisions",
            what=_("Public comment period ends"),
            record=str(decision),
            url=decision.get_absolute_url(),
            org_id=decision.org_id,
            org_name=decision.org.name,
            due=procedure.ended_on,
        )
    evaluations = (
        Decision.objects.filter(scope, status=Status.DECIDED, evaluated_on=None, evaluation_due__range=(start, end))
        .select_related("org")
        .order_by("evaluation_due", "id")
    )
    for decision in evaluations:
        yield Deadline(
            ledger="decisions",
            what=_("Post-decision evaluation due"),
            record=str(decision),
            url=decision.get_absolute_url(),
            org_id=decision.org_id,
            org_name=decision.org.name,
            due=decision.evaluation_due,
        )


def _prefixed(q: Q, prefix: str) -> Q:
    """The same filter, every field looked up through ``prefix`` (``org__path`` → ``decision__org__path``)."""
    clone = Q()
    clone.connector, clone.negated = q.connector, q.negated
    for child in q.children:
        if isinstance(child, Q):
            clone.children.append(_prefixed(child, prefix))
        else:
            key, value = child
            clone.children.append((prefix + key, value))
    return clone
