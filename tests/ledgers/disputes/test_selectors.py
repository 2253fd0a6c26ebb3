"""Selectors: scope, the deadlines the board shows, the ledger's registration."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from fazhi.ledgers.common.registry import ledger
from fazhi.ledgers.disputes import selectors, services
from fazhi.orgs.models import subtree_q
from tests.ledgers.disputes import factories

D = dt.date


def test_deadlines_list_undone_items_due_in_the_range(tree):
    open_case = factories.reconsideration(tree.township)
    decided = factories.reconsideration(tree.township)
    services.reconsideration_update(actor=None, case=decided, decided_on=D(2026, 4, 1), decision="uphold")
    request = factories.disclosure(tree.village)
    factories.disclosure(tree.other_village)
    found = list(selectors.deadlines(subtree_q(tree.county.path, "org__path"), D(2026, 1, 1), D(2026, 12, 31)))
    assert sorted((d.record, d.due) for d in found) == sorted(
        [(str(open_case), open_case.due_on), (str(request), request.due_on)]
    )
    assert {d.ledger for d in found} == {"disputes"}
    assert list(selectors.deadlines(Q(), D(2026, 6, 1), D(2026, 12, 31))) == []


def test_the_ledger_is_registered_with_its_deadlines():
    info = ledger("disputes")
    assert info.index_url_name == "disputes_index" and info.deadlines is selectors.deadlines


def test_record_scope(tree, personas):
    case = factories.litigation(tree.township)
    assert selectors.litigation_get_for_user(personas["leader"], case.pk) == case
    with pytest.raises(PermissionDenied):
        selectors.litigation_get_for_user(personas["leader"], case.pk, write=True)
    with pytest.raises(Http404):
        selectors.litigation_get_for_user(personas["village_clerk_elsewhere"], case.pk)
    with pytest.raises(Http404):
        selectors.litigation_get_for_user(personas["reviewer"], case.pk)
    assert list(selectors.records_for_user(personas["village_clerk_elsewhere"], "litigation")) == []
