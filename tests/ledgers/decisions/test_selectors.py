"""The decisions ledger's deadlines for the board: comment periods ending, evaluations due."""

from __future__ import annotations

import datetime as dt

from django.db.models import Q

from fazhi.ledgers.common.registry import ledger
from fazhi.ledgers.decisions import services
from fazhi.orgs.models import subtree_q
from tests.ledgers.decisions.factories import make_decided, make_decision

D = dt.date


def test_deadlines_list_open_comment_periods_and_evaluations_due(tree):
    open_one = make_decision(
        tree.township, title="征求意见中", steps={"public_participation": (D(2026, 3, 2), D(2026, 4, 1))}
    )
    decided = make_decided(tree.village, title="待评估", evaluation_due=D(2026, 10, 1))
    evaluated = make_decided(tree.township, title="已评估", evaluation_due=D(2026, 10, 1))
    services.decision_evaluate(actor=None, decision=evaluated, evaluated_on=D(2026, 9, 1), finding="良好")
    make_decided(tree.other_county, title="别的县", evaluation_due=D(2026, 10, 1))
    source = ledger("decisions").deadlines
    found = list(source(subtree_q(tree.county.path, "org__path"), D(2026, 1, 1), D(2026, 12, 31)))
    assert [(d.record, d.due, d.url) for d in found] == [
        (str(open_one), D(2026, 4, 1), open_one.get_absolute_url()),
        (str(decided), D(2026, 10, 1), decided.get_absolute_url()),
    ]
    assert found[1].org_name == "东门村" and found[0].ledger == "decisions"
    # The decided ones' comment periods (ending 2026-04-01 too) are not listed above; outside the range, nothing.
    assert list(source(Q(), D(2026, 4, 2), D(2026, 9, 30))) == []
