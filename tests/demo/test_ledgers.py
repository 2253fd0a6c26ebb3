"""The demo's ledgers: every ledger has records, the seed's Le'an mediation figures give 95.37%, the deadline board
has overdue items and items due within the week, and the demo accounts open every ledger's index page."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from fazhi.core.audit import audit_verify
from fazhi.demo.city import DEMO_PASSWORD, demo_city_load
from fazhi.demo.ledgers import MEDIATION_TOWNSHIP
from fazhi.ledgers.common.board import board_scope, deadline_board
from fazhi.ledgers.common.registry import ledgers
from fazhi.ledgers.decisions.models import Decision
from fazhi.ledgers.disputes.models import DisclosureRequest, LitigationCase, Mediation, ReconsiderationCase
from fazhi.ledgers.documents.models import Document
from fazhi.ledgers.enforcement.models import CaseFile, Officer
from fazhi.ledgers.study.models import Learner, PublicityEvent, StudySession
from fazhi.metrics.registry import metric_get, metric_value
from fazhi.orgs.models import Org, User

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker):
    """The demo loaded once for the module (it takes a few seconds), removed afterwards."""
    with django_db_blocker.unblock():
        from django.db import transaction

        class Rollback(Exception):
            pass

        try:
            with transaction.atomic():
                demo_city_load()
                yield
                raise Rollback
        except Rollback:
            pass


def signed_in(username: str) -> Client:
    client = Client()
    assert client.login(username=username, password=DEMO_PASSWORD)
    return client


def test_every_ledger_has_records(demo):
    for model in (
        Document,
        Decision,
        Officer,
        CaseFile,
        ReconsiderationCase,
        LitigationCase,
        Mediation,
        DisclosureRequest,
        Learner,
        StudySession,
        PublicityEvent,
    ):
        assert model.objects.exists(), model.__name__
    statuses = set(Document.objects.values_list("status", flat=True))
    assert {"drafting", "comment", "review", "decision", "decided", "registered", "in_force", "expired"} <= statuses
    assert "repealed" in statuses
    assert Document.objects.filter(document_number__startswith="青政规", document_number__endswith="3号").exists()
    assert Decision.objects.filter(status="decided", technical=True).exists()


def test_the_mediation_township_shows_the_lean_figures(demo):
    township = Org.objects.get(name=MEDIATION_TOWNSHIP)
    today = timezone.localdate()
    start, end = dt.date(today.year, 1, 1), dt.date(today.year, 12, 31)
    for code, expected in (
        ("disputes.mediation_rate", Decimal("100.00")),
        ("disputes.mediation_success_rate", Decimal("95.37")),
    ):
        metric = metric_get(code)
        numerator, denominator = metric.counts([township.path], start, end)[township.path]
        assert metric_value(metric.kind, numerator, denominator).value == expected, code
    # And the metric's page shows it to the township's clerk.
    response = signed_in("township_clerk").get(
        reverse("metric_detail", args=["disputes.mediation_success_rate"]),
        {"org": township.code, "from": start.isoformat(), "to": end.isoformat()},
    )
    assert response.status_code == 200
    assert "95.37" in response.content.decode()


def test_the_deadline_board_has_overdue_items_and_items_due_this_week(demo):
    admin = User.objects.get(username="county_admin")
    board = deadline_board(scope=board_scope(admin, None), today=timezone.localdate())
    overdue = {row.deadline.ledger for row in board.overdue}
    assert {"documents", "disputes"} <= overdue
    assert board.due_soon
    page = signed_in("county_admin").get(reverse("ledger_deadlines"))
    assert page.status_code == 200
    assert "柳政复" in page.content.decode()


@pytest.mark.parametrize("username", ["county_admin", "township_clerk"])
def test_a_demo_account_opens_every_ledger_index(demo, username):
    client = signed_in(username)
    registered = ledgers()
    assert {info.name for info in registered} >= {"documents", "decisions", "enforcement", "disputes", "study"}
    for info in registered:
        response = client.get(reverse(info.index_url_name))
        assert response.status_code == 200, (info.name, response.status_code)


def test_the_demo_ledgers_keep_the_audit_chain_intact(demo):
    assert audit_verify().ok
