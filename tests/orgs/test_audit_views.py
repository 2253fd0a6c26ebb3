"""The audit log page: who may read it, what each reader sees, the filters, paging, and its cost."""

from __future__ import annotations

import datetime as dt
import re
from zoneinfo import ZoneInfo

import pytest
from django.db import transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fazhi.core.audit import audit_record
from fazhi.core.models import AuditEvent
from fazhi.orgs import selectors, services
from tests.factories import make_user

URL = reverse("audit_log")
SHANGHAI = ZoneInfo("Asia/Shanghai")


def shown(response) -> list[int]:
    """The sequence numbers of the events listed on the page, top to bottom."""
    return [int(seq) for seq in re.findall(r'<td class="text-secondary">(\d+)</td>', response.content.decode())]


def seqs(qs) -> list[int]:
    return list(qs.order_by("-seq").values_list("seq", flat=True))


def record(n: int, *, org=None, actor=None, action="test.thing.changed", **fields) -> None:
    for i in range(n):
        with transaction.atomic():
            audit_record(actor=actor, action=action, org=org, new={"i": i}, **fields)


@pytest.fixture
def reader(client_for):
    """The county's administrator, reading the page in English (the msgids) so the texts can be checked."""
    client = client_for("county_admin")
    client.defaults["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


@pytest.fixture
def superuser(db):
    return make_user("root", is_superuser=True, is_staff=True)


# --- who may read it ----------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("county_admin", 200),
        ("township_clerk", 403),
        ("village_clerk_elsewhere", 403),
        ("reviewer", 403),
        ("leader", 403),
    ],
)
def test_only_administrators_may_read_the_log(client_for, persona, status):
    assert client_for(persona).get(URL).status_code == status


def test_the_public_is_sent_to_sign_in(client_for):
    response = client_for("anonymous").get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


# --- what each reader sees ----------------------------------------------------------------------------------------


def test_an_administrator_sees_the_events_of_their_subtree_only(client_for, tree):
    """The tree's creation left one event per organisation, recorded against it."""
    with transaction.atomic():
        audit_record(action="auth.login.failed", object_repr="nobody", new={"reason": "unknown_user"})
    response = client_for("county_admin").get(URL)
    expected = seqs(AuditEvent.objects.filter(org__path__startswith=tree.county.path))
    assert shown(response) == expected
    assert len(expected) == 9  # 青山县, its 2 units, 2 townships, the office, 2 villages and the community
    html = response.content.decode()
    assert "青山县司法局" in html and "河口村" in html
    assert "白水县" not in html and "云溪市" not in html and "nobody" not in html


def test_a_superuser_sees_every_event_including_those_of_no_organisation(client, superuser, tree):
    with transaction.atomic():
        audit_record(action="auth.login.failed", object_repr="nobody", new={"reason": "unknown_user"})
    client.force_login(superuser)
    response = client.get(URL)
    assert shown(response) == seqs(AuditEvent.objects.all())
    assert "nobody" in response.content.decode()


def test_each_event_shows_who_when_what_where_and_from_which_address(reader, personas, tree):
    admin = personas["county_admin"]
    with transaction.atomic():
        event = audit_record(
            actor=admin, action="orgs.org.updated", obj=tree.village, old={"name": "东门村"}, new={"name": "东门新村"}
        )
    AuditEvent.objects.filter(pk=event.pk).update(
        time=dt.datetime(2025, 3, 1, 23, 30, tzinfo=SHANGHAI), ip="198.51.100.4"
    )
    html = reader.get(URL, {"action": "orgs.org.updated"}).content.decode()
    assert "2025-03-01 23:30:00" in html  # in the site's time zone
    assert "county_admin" in html and "<code>orgs.org.updated</code>" in html
    assert f'href="{reverse("org_detail", args=[tree.village.pk])}"' in html
    assert "198.51.100.4" in html
    assert "<del>东门村</del> → <ins>东门新村</ins>" in html


def test_only_the_keys_that_changed_are_shown(client_for, personas, tree):
    services.org_update(actor=personas["county_admin"], org=tree.village, name="东门新村", code=tree.village.code)
    html = client_for("county_admin").get(URL, {"action": "orgs.org.updated"}).content.decode()
    changes = re.findall(r'<span class="text-secondary">(\w+)</span>: ', html)
    assert changes == ["name"]  # code, kind, level, parent and is_active were unchanged


# --- filters ------------------------------------------------------------------------------------------------------


def test_filter_by_organisation_code_narrows_to_its_subtree(client_for, tree):
    response = client_for("county_admin").get(URL, {"org": tree.township.code})
    assert shown(response) == seqs(AuditEvent.objects.filter(org__path__startswith=tree.township.path))
    assert len(shown(response)) == 4  # 城关镇, its office, 东门村, 西街社区


@pytest.mark.parametrize("code", ["990102", "990000", "123456"])  # another county, the province, no such org
def test_an_organisation_outside_the_readers_scope_is_a_clear_error(reader, tree, code):
    response = reader.get(URL, {"org": code})
    assert response.status_code == 200
    html = response.content.decode()
    assert f"No organisation with the code {code} lies within the part of the log you may read." in html
    assert shown(response) == []
    assert 'aria-invalid="true"' in html


def test_filter_by_actor_action_and_object(client_for, personas, tree):
    admin = personas["county_admin"]
    services.org_update(actor=admin, org=tree.village, name="东门新村", code=tree.village.code)
    services.org_update(actor=admin, org=tree.village2, name="河口新村", code=tree.village2.code)
    by_admin = seqs(AuditEvent.objects.filter(actor=admin))
    client = client_for("county_admin")
    assert shown(client.get(URL, {"actor": "county_admin"})) == by_admin
    assert shown(client.get(URL, {"actor": "nobody-here"})) == []
    assert shown(client.get(URL, {"action": "orgs.org.up"})) == by_admin
    assert len(shown(client.get(URL, {"action": "orgs.org"}))) == 11
    village = client.get(URL, {"object_type": "orgs.org", "object_id": str(tree.village.pk)})
    assert shown(village) == seqs(AuditEvent.objects.filter(object_type="orgs.org", object_id=str(tree.village.pk)))
    assert len(shown(village)) == 2  # created, renamed


def test_an_unknown_object_type_is_a_form_error(reader, tree):
    response = reader.get(URL, {"object_type": "nope.nope"})
    assert response.status_code == 200 and shown(response) == []
    assert "Select a valid choice" in response.content.decode()


def test_filter_by_dates_in_the_site_time_zone(client_for, tree):
    """An event at 23:30 in Shanghai on 1 March is on 1 March, though it is 15:30 UTC."""
    record(1, org=tree.village, action="test.late")
    AuditEvent.objects.filter(action="test.late").update(time=dt.datetime(2025, 3, 1, 23, 30, tzinfo=SHANGHAI))
    client = client_for("county_admin")
    late = seqs(AuditEvent.objects.filter(action="test.late"))
    assert shown(client.get(URL, {"date_from": "2025-03-01", "date_to": "2025-03-01"})) == late
    assert shown(client.get(URL, {"date_to": "2025-03-01"})) == late
    assert shown(client.get(URL, {"date_from": "2025-03-02", "action": "test."})) == []
    assert shown(client.get(URL, {"date_to": "2025-02-28"})) == []


@pytest.mark.parametrize(
    ("params", "message"),
    [
        ({"date_from": "2025-13-40"}, "Enter a valid date."),
        ({"date_to": "yesterday"}, "Enter a valid date."),
        ({"date_from": "2025-03-02", "date_to": "2025-03-01"}, "The end date is before the start date."),
    ],
)
def test_bad_dates_are_clear_errors(reader, tree, params, message):
    response = reader.get(URL, params)
    assert response.status_code == 200
    assert message in response.content.decode()
    assert shown(response) == []


# --- paging, htmx and cost ----------------------------------------------------------------------------------------


def test_pages_of_fifty_newest_first_with_older_and_newer(reader, tree):
    record(110, org=tree.village)  # with the tree's 9: 119 events in scope
    every = seqs(AuditEvent.objects.filter(org__path__startswith=tree.county.path))
    client = reader
    first = client.get(URL, {"action": "test."})
    assert shown(first) == every[:50]
    html = first.content.decode()
    assert f'href="?action=test.&amp;before={every[49]}"' in html
    assert ">Older<" in html and ">Newer<" not in html
    second = client.get(URL, {"action": "test.", "before": every[49]})
    assert shown(second) == every[50:100]
    third = client.get(URL, {"action": "test.", "before": every[99]})
    assert shown(third) == every[100:110]
    assert ">Older<" not in third.content.decode() and ">Newer<" in third.content.decode()
    back = client.get(URL, {"action": "test.", "after": every[100]})
    assert shown(back) == every[50:100]


def test_htmx_gets_the_results_only(client_for, tree):
    response = client_for("county_admin").get(URL, {"org": tree.township.code}, headers={"HX-Request": "true"})
    html = response.content.decode()
    assert "<html" not in html and "<form" not in html
    assert shown(response) == seqs(AuditEvent.objects.filter(org__path__startswith=tree.township.path))


def _queries(client, params) -> int:
    with CaptureQueriesContext(transaction.get_connection()) as context:
        assert client.get(URL, params).status_code == 200
    return len(context.captured_queries)


def test_the_page_costs_the_same_queries_whatever_it_shows(client_for, personas, tree):
    client = client_for("county_admin")
    admin = personas["county_admin"]
    params = {"org": tree.county.code, "actor": "county_admin"}
    record(2, org=tree.village, actor=admin)
    few = _queries(client, params)
    for org in (tree.village2, tree.school, tree.community, tree.township_office):
        record(15, org=org, actor=admin, old={"i": -1})
    many = _queries(client, params)
    assert len(shown(client.get(URL, params))) == 50
    # session, user, memberships, the organisation code, the page of events, the scope's roots for the code list
    assert few == many == 6


def test_the_page_costs_the_same_queries_without_filters(client_for, tree, django_assert_num_queries):
    client = client_for("county_admin")
    client.get(URL)  # warm the session
    record(60, org=tree.village)
    with django_assert_num_queries(5):  # session, user, memberships, events, the scope's roots for the code list
        client.get(URL)


def test_the_selector_scopes_before_it_filters(personas, tree):
    """Asking for an organisation outside the scope through the selector still shows nothing."""
    qs = selectors.audit_events_for_user(personas["county_admin"], org=tree.other_county)
    assert list(qs) == []
    assert list(selectors.audit_events_for_user(personas["township_clerk"])) == []
