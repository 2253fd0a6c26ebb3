"""Deadlines of normative documents (review report, filing, evaluation) for the board, and the ledger's daily job
as registered."""

import datetime as dt

from django.db.models import Q
from django.utils import translation

from fazhi.ledgers.common.registry import ledger
from fazhi.ledgers.documents import services
from fazhi.orgs.models import subtree_q
from tests.ledgers.documents.factories import document_through

D = dt.date
ALL_TIME = (D(2000, 1, 1), D(2100, 1, 1))


def due(scope=None, start=ALL_TIME[0], end=ALL_TIME[1]):
    scope = Q() if scope is None else scope
    with translation.override("en"):
        return sorted((d.what, d.record, d.due) for d in ledger("documents").deadlines(scope, start, end))


def test_review_filing_and_evaluation_fall_due_and_disappear_when_done(tree):
    in_review = document_through(tree.township, "review", title="审核中")
    published = document_through(tree.county, title="已公布")
    items = due()
    assert ("Legality review report", str(in_review), in_review.review_due) in items
    assert ("Filing with the government above", str(published), published.filing_due) in items
    assert ("Evaluation before expiry", str(published), published.evaluation_due) in items
    services.document_file(actor=None, document=published, filed_on=published.published_on)
    services.document_review(actor=None, document=in_review, reported_on=in_review.review_due, outcome="pass")
    services.document_evaluate(actor=None, document=published, evaluated_on=published.evaluation_due)
    assert due() == []


def test_deadlines_are_limited_to_the_scope_and_the_range(tree):
    township = document_through(tree.township, "review", title="镇")
    document_through(tree.other_county, "review", title="外县")
    assert [r for _w, r, _d in due(subtree_q(tree.county.path, "org__path"))] == [str(township)]
    assert due(start=township.review_due + dt.timedelta(days=1), end=ALL_TIME[1]) == [
        w for w in due() if w[2] > township.review_due
    ]


def test_the_registered_daily_job_expires_and_says_how_many(tree):
    document = document_through(tree.county, validity_years=1)
    with translation.override("en"):
        summary = ledger("documents").daily(document.expires_on + dt.timedelta(days=1))
    assert summary == "Normative documents: 1 expired."
    document.refresh_from_db()
    assert document.status == "expired"
