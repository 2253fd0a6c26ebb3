"""The ledgers' index, the deadline board and the working-day calendar page."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from fazhi.core.models import AuditEvent, CalendarDay
from fazhi.ledgers.common import registry
from fazhi.ledgers.common.board import deadline_board
from fazhi.orgs.models import subtree_q
from tests.factories import make_user
from tests.ledgers.common.fakes import fake_item
from tests.spreadsheets import read_xlsx

pytestmark = pytest.mark.django_db


@pytest.fixture
def root_admin_client(tree, client_for):
    client = client_for("anonymous")
    client.force_login(make_user("province_admin", org=tree.province, role="administrator"))
    return client


# --- the index and the navigation -------------------------------------------------------------------------------


def test_the_index_shows_a_card_per_ledger_the_board_and_the_calendar(fake_ledger, client_for):
    page = client_for("township_clerk").get(reverse("ledger_index")).content.decode()
    for info in registry.ledgers():
        assert str(info.title) in page
        assert f'href="{reverse(info.index_url_name)}"' in page, info.name
    assert "测试台账" in page
    assert reverse("ledger_deadlines") in page and reverse("ledger_calendar") in page
    assert reverse("ledger_import", kwargs={"importer_key": "fake"}) in page  # the clerk may import the fake ledger
    assert reverse("ledger_import", kwargs={"importer_key": "calendar"}) not in page  # but not the calendar


def test_the_navigation_shows_ledgers_to_those_who_may_read_them(client_for):
    link = f'href="{reverse("ledger_index")}"'
    for name, shown in (("county_admin", True), ("township_clerk", True), ("leader", True), ("reviewer", False)):
        page = client_for(name).get(reverse("org_tree")).content.decode()
        assert (link in page) is shown, name
    assert client_for("reviewer").get(reverse("ledger_index")).status_code == 403


# --- the deadline board -----------------------------------------------------------------------------------------


def test_the_board_lists_overdue_and_due_soon_in_scope_sorted(fake_only, tree, client_for, settings):
    settings.FAZHI_DEADLINE_SOON_DAYS = 7
    today = timezone.localdate()
    fake_item(org=tree.village, title="东门村逾期", due=today - dt.timedelta(days=3))
    fake_item(org=tree.township, title="城关镇今天", due=today)
    fake_item(org=tree.village, title="东门村七天后", due=today + dt.timedelta(days=7))
    fake_item(org=tree.village, title="东门村八天后", due=today + dt.timedelta(days=8))  # not yet
    fake_item(org=tree.township2, title="河口镇逾期", due=today - dt.timedelta(days=1))  # outside 城关镇
    fake_item(org=tree.other_village, title="白水村逾期", due=today - dt.timedelta(days=1))  # other county
    page = client_for("township_clerk").get(reverse("ledger_deadlines")).content.decode()
    overdue, soon = page.split('id="due-soon"')
    assert "东门村逾期" in overdue and "城关镇今天" not in overdue
    assert soon.index("城关镇今天") < soon.index("东门村七天后")
    for hidden in ("东门村八天后", "河口镇逾期", "白水村逾期"):
        assert hidden not in page
    # The county administrator sees both townships; narrowed to 河口镇, only its item.
    page = client_for("county_admin").get(reverse("ledger_deadlines")).content.decode()
    assert "河口镇逾期" in page and "东门村逾期" in page and "白水村逾期" not in page
    page = client_for("county_admin").get(reverse("ledger_deadlines") + f"?org={tree.township2.code}")
    assert "河口镇逾期" in page.content.decode() and "东门村逾期" not in page.content.decode()
    # An org outside the scope is not found.
    response = client_for("township_clerk").get(reverse("ledger_deadlines") + f"?org={tree.other_village.code}")
    assert response.status_code == 404


def test_the_board_org_box_suggests_the_scope_and_takes_any_code_in_it(fake_only, tree, client_for, monkeypatch):
    from fazhi.ledgers.common import forms as common_forms

    monkeypatch.setattr(common_forms, "SUGGESTIONS", 1)
    today = timezone.localdate()
    fake_item(org=tree.village2, title="河口村逾期", due=today - dt.timedelta(days=1))
    page = client_for("county_admin").get(reverse("ledger_deadlines")).content.decode()
    assert f'<option value="{tree.county.code}">' in page
    assert f'<option value="{tree.township2.code}">' not in page  # beyond the suggestions, yet reachable:
    page = client_for("county_admin").get(reverse("ledger_deadlines") + f"?org={tree.township2.code}")
    assert "河口村逾期" in page.content.decode()
    assert f'value="{tree.township2.code}"' in page.content.decode()


def test_the_board_export(fake_only, tree, client_for):
    today = timezone.localdate()
    fake_item(org=tree.village, title="东门村逾期", due=today - dt.timedelta(days=3))
    fake_item(org=tree.village, title="东门村明天", due=today + dt.timedelta(days=1))
    response = client_for("township_clerk").get(reverse("ledger_deadlines") + "?format=xlsx")
    rows = read_xlsx(response.content)
    assert len(rows) == 3
    assert rows[1][2] == 3 and rows[1][3] == "测试台账" and rows[1][5] == "东门村逾期" and rows[1][6] == "东门村"
    assert rows[2][5] == "东门村明天" and rows[2][2] in (None, "")


def test_the_board_keeps_a_constant_number_of_queries(fake_ledger, tree, client_for):
    """With every registered ledger's source (the real ones too), 3 items or 30 cost the same queries."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    today = timezone.localdate()
    client = client_for("county_admin")
    client.get(reverse("ledger_deadlines"))  # warm the session
    counts, made = [], 0
    for items in (3, 30):
        while made < items:
            fake_item(org=tree.village, title=f"假账目{made}", due=today + dt.timedelta(days=made % 5 - 2))
            made += 1
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("ledger_deadlines"))
        assert response.content.decode().count("假账目") == items
        counts.append(len(queries))
    assert counts[0] == counts[1]
    assert counts[1] <= 5 + 2 * len(registry.ledgers())


def test_deadline_board_splits_on_today(fake_only, tree):
    today = dt.date(2026, 12, 1)
    fake_item(org=tree.village, title="昨天", due=dt.date(2026, 11, 30))
    fake_item(org=tree.village, title="今天", due=today)
    board = deadline_board(scope=subtree_q(tree.county.path, "org__path"), today=today)
    assert [r.deadline.record for r in board.overdue] == ["昨天"]
    assert [r.deadline.record for r in board.due_soon] == ["今天"]
    assert board.overdue[0].days_late == 1 and board.overdue[0].ledger_title == "测试台账"


# --- the calendar page ------------------------------------------------------------------------------------------


def test_everyone_with_ledgers_reads_the_calendar_but_only_a_top_level_administrator_changes_it(
    client_for, root_admin_client
):
    CalendarDay.objects.create(year=2027, date=dt.date(2027, 1, 1), is_working_day=False, name="元旦")
    page = client_for("township_clerk").get(reverse("ledger_calendar")).content.decode()
    assert "2027-01-01" in page and "元旦" in page and 'id="calendar-day-form"' not in page
    response = client_for("county_admin").post(reverse("ledger_calendar"), {"date": "2027-01-02", "kind": "holiday"})
    assert response.status_code == 403
    page = root_admin_client.get(reverse("ledger_calendar")).content.decode()
    assert 'id="calendar-day-form"' in page and reverse("ledger_import", kwargs={"importer_key": "calendar"}) in page


def test_adding_and_deleting_a_day_on_the_page(root_admin_client):
    client = root_admin_client
    response = client.post(reverse("ledger_calendar"), {"date": "2027-02-06", "kind": "workday", "name": "春节调休"})
    assert response.status_code == 302
    day = CalendarDay.objects.get()
    assert (day.date, day.is_working_day, day.name) == (dt.date(2027, 2, 6), True, "春节调休")
    # A refused day is shown on its field.
    response = client.post(reverse("ledger_calendar"), {"date": "2026-10-01", "kind": "holiday"})
    assert response.status_code == 400 and "is-invalid" in response.content.decode()
    assert CalendarDay.objects.count() == 1
    url = reverse("ledger_calendar_day_delete", kwargs={"calendar_day_pk": day.pk})
    assert "2027-02-06" in client.get(url).content.decode()
    assert client.post(url).status_code == 302
    assert not CalendarDay.objects.exists()
    events = AuditEvent.objects.filter(action__startswith="core.calendar_day.")
    assert events.count() == 2
    # Filed under the administrator's top-level organisation, so its administrators see them in the audit log.
    assert {event.org.name for event in events} == {"东川省"}


def test_a_long_board_shows_the_first_items_and_the_download_has_all(fake_only, tree, client_for, monkeypatch):
    from fazhi.ledgers import views

    monkeypatch.setattr(views, "BOARD_PAGE_ROWS", 2)
    today = timezone.localdate()
    for n in range(3):
        fake_item(org=tree.village, title=f"逾期{n}", due=today - dt.timedelta(days=10 - n))
    page = client_for("township_clerk").get(reverse("ledger_deadlines")).content.decode()
    assert "逾期0" in page and "逾期1" in page and "逾期2" not in page
    rows = read_xlsx(client_for("township_clerk").get(reverse("ledger_deadlines") + "?format=xlsx").content)
    assert [r[5] for r in rows[1:]] == ["逾期0", "逾期1", "逾期2"]


def test_the_index_counts_each_ledgers_overdue_and_due_soon_items(fake_ledger, tree, client_for):
    today = timezone.localdate()
    fake_item(org=tree.village, title="逾期", due=today - dt.timedelta(days=1))
    fake_item(org=tree.village, title="逾期二", due=today - dt.timedelta(days=2))
    fake_item(org=tree.village, title="今天", due=today)
    fake_item(org=tree.other_village, title="别县", due=today)  # outside the clerk's scope
    page = client_for("township_clerk").get(reverse("ledger_index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    card = page[page.index("测试台账") :]
    card = card[: card.index("</div>")]
    assert "2 overdue" in card and "1 due soon" in card
