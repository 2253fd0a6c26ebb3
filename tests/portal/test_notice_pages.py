"""The public pages of the notice and naming, as anyone on the internet sees them: the open notices, a
campaign's notice (units, period, how to object; closed outside the period), the objection form and its
confirmation, the named units with the list's SHA-256 and its downloadable canonical content."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from fazhi.campaigns import models as m
from fazhi.campaigns.services import designations as designation_services
from fazhi.core.models import AuditEvent
from tests.campaigns.world_notice import notice_scenario

REASONS = "该村公示的台账材料与实际情况不符，请核查。"
CONTACT = "13912345678"


@pytest.fixture
def scenario(tree):
    return notice_scenario(tree)


@pytest.fixture
def public():
    return Client(HTTP_ACCEPT_LANGUAGE="en")


def text(response) -> str:
    return response.content.decode()


def test_open_notices_list_the_campaign_with_its_period(scenario, public):
    page = text(public.get(reverse("public_notice_list")))
    assert "青山县民主法治示范村（社区）创建" in page
    assert reverse("public_notice_detail", args=[scenario["campaign"].pk]) in page


def test_notice_page_shows_the_units_with_rank_composite_and_the_objection_links(scenario, public):
    campaign = scenario["campaign"]
    response = public.get(reverse("public_notice_detail", args=[campaign.pk]))
    page = text(response)
    assert response.status_code == 200
    assert page.index("河口村") < page.index("东门村")  # by rank
    assert "91.5" in page and "87.2" in page
    assert "西街社区" not in page  # outside the quota, not on notice
    assert reverse("public_objection_create", args=[campaign.pk, scenario["first"].pk]) in page
    assert 'id="how-to-object"' in page
    period = page.split('id="period"')[1].split("</p>")[0]
    assert date_format(campaign.notice_ends, "DATE_FORMAT") in period and "both days included" in period
    assert reverse("login") not in page and reverse("org_tree") not in page  # no signed-in site navigation


def test_how_to_object_names_the_button_the_page_shows(scenario, public):
    page = text(public.get(reverse("public_notice_detail", args=[scenario["campaign"].pk])))
    how = re.search(r'id="how-to-object">(.*?)</div>', page, re.S).group(1)
    labels = set(re.findall(r'<a class="btn[^"]*" href="/public/[^"]*/object/[^"]*">([^<]+)</a>', page))
    assert len(labels) == 1
    label = labels.pop()
    assert f'"{label}"' in how or f"“{label}”" in how


@pytest.mark.parametrize("days", [(-9, -2), (2, 9)])
def test_notice_page_outside_the_period_says_it_is_closed_and_lists_no_units(tree, public, days):
    today = timezone.localdate()
    data = notice_scenario(tree, starts=today + dt.timedelta(days=days[0]), ends=today + dt.timedelta(days=days[1]))
    page = text(public.get(reverse("public_notice_detail", args=[data["campaign"].pk])))
    assert 'id="notice-closed"' in page
    assert "河口村" not in page
    assert "/object/" not in page
    assert "青山县民主法治示范村（社区）创建" not in text(public.get(reverse("public_notice_list")))


def test_a_campaign_before_its_notice_is_not_public(tree, public):
    data = notice_scenario(tree)
    data["campaign"].stage = m.Stage.INSPECTION
    data["campaign"].save()
    assert public.get(reverse("public_notice_detail", args=[data["campaign"].pk])).status_code == 404


def test_filing_an_objection_shows_the_confirmation_and_never_the_contact(scenario, public):
    campaign, unit = scenario["campaign"], scenario["first"]
    url = reverse("public_objection_create", args=[campaign.pk, unit.pk])
    response = public.post(url, {"name": "张三", "contact": CONTACT, "reasons": REASONS}, follow=True)
    assert response.status_code == 200
    page = text(response)
    assert 'id="objection-received"' in page and "河口村" in page
    assert CONTACT not in page
    objection = m.Objection.objects.get()
    assert objection.contact == CONTACT and objection.application == unit
    assert len(objection.source) == 64
    for name in ("public_notice_list", "public_named_list"):
        assert CONTACT not in text(public.get(reverse(name)))
    assert CONTACT not in text(public.get(reverse("public_notice_detail", args=[campaign.pk])))
    assert CONTACT not in text(public.get(url))


def test_invalid_objection_names_each_wrong_field(scenario, public):
    url = reverse("public_objection_create", args=[scenario["campaign"].pk, scenario["first"].pk])
    response = public.post(url, {"name": "张", "contact": "12345", "reasons": "太短"})
    assert response.status_code == 400
    form = response.context["form"]
    assert set(form.errors) == {"name", "contact", "reasons"}
    assert not m.Objection.objects.exists()


def test_the_rate_limit_reaches_the_public_form(scenario, public, settings):
    settings.FAZHI_OBJECTIONS_PER_HOUR = 1
    url = reverse("public_objection_create", args=[scenario["campaign"].pk, scenario["first"].pk])
    data = {"name": "张三", "contact": CONTACT, "reasons": REASONS}
    assert public.post(url, data).status_code == 302
    response = public.post(url, data)
    assert response.status_code == 400
    assert "an hour" in text(response)
    assert m.Objection.objects.count() == 1


def test_objection_form_for_a_unit_not_on_notice_is_not_found(scenario, public):
    url = reverse("public_objection_create", args=[scenario["campaign"].pk, scenario["third"].pk])
    assert public.get(url).status_code == 404


def test_objection_form_after_the_period_says_closed(tree, public):
    today = timezone.localdate()
    data = notice_scenario(tree, starts=today - dt.timedelta(days=9), ends=today - dt.timedelta(days=2))
    url = reverse("public_objection_create", args=[data["campaign"].pk, data["first"].pk])
    page = text(public.get(url))
    assert 'id="notice-closed"' in page and "<textarea" not in page
    response = public.post(url, {"name": "张三", "contact": CONTACT, "reasons": REASONS})
    assert response.status_code == 400 and not m.Objection.objects.exists()


# --- named units ---------------------------------------------------------------------------------


@pytest.fixture
def named(tree, personas):
    today = timezone.localdate()
    data = notice_scenario(tree, starts=today - dt.timedelta(days=7), ends=today - dt.timedelta(days=1))
    data["campaign"].stage = m.Stage.NAMING
    data["campaign"].save()
    data["designations"] = designation_services.designations_name(
        actor=personas["county_admin"], campaign=data["campaign"]
    )
    return data


def test_named_units_page_lists_the_campaign_by_year_and_batch(named, public):
    page = text(public.get(reverse("public_named_list")))
    assert "青山县民主法治示范村（社区）创建" in page
    assert "青山县民主法治示范村（社区）创建" in text(
        public.get(reverse("public_named_list") + "?year=2026&batch=第一批")
    )
    assert "青山县民主法治示范村（社区）创建" not in text(public.get(reverse("public_named_list") + "?year=2024"))
    assert "青山县民主法治示范村（社区）创建" not in text(public.get(reverse("public_named_list") + "?batch=第二批"))


def test_named_page_shows_the_hash_and_the_download_recomputes_to_it(named, public):
    campaign = named["campaign"]
    page = text(public.get(reverse("public_named_detail", args=[campaign.pk])))
    current = campaign.named_lists.get()
    assert current.sha256 in page
    assert named["designations"][0].certificate_number in page
    download = public.get(reverse("public_named_list_content", args=[campaign.pk]))
    assert download["Content-Type"].startswith("application/json")
    assert hashlib.sha256(download.content).hexdigest() == current.sha256


def test_a_revoked_unit_is_shown_as_such_with_the_date_and_the_old_list_stays(named, personas, public):
    campaign = named["campaign"]
    designation_services.designation_rereview(
        actor=personas["county_admin"], designation=named["designations"][0], outcome="revoke", reason="复核不合格"
    )
    response = public.get(reverse("public_named_detail", args=[campaign.pk]))
    page = text(response)
    withdrawn = page[page.index('id="withdrawn"') :]
    assert "河口村" in withdrawn and "Revoked" in withdrawn
    assert str(timezone.localdate().year) in withdrawn
    named_table = page[page.index('id="named"') : page.index('id="withdrawn"')]
    assert "河口村" not in named_table and "东门村" in named_table
    lists = {n.number: n for n in campaign.named_lists.all()}
    assert lists[2].sha256 in page
    old = public.get(reverse("public_named_list_content", args=[campaign.pk]) + "?version=1")
    assert hashlib.sha256(old.content).hexdigest() == lists[1].sha256


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_notice_and_named_pages_keep_a_constant_number_of_queries(tree, personas, public):
    today = timezone.localdate()
    data = notice_scenario(tree, quota=3)
    campaign = data["campaign"]
    notice_url = reverse("public_notice_detail", args=[campaign.pk])
    two = _queries(public, notice_url)
    m.Application.objects.filter(pk=data["third"].pk).update(state=m.ApplicationState.ON_NOTICE)
    assert _queries(public, notice_url) == two

    campaign.stage = m.Stage.NAMING
    campaign.notice_ends = today - dt.timedelta(days=1)
    campaign.save()
    designations = designation_services.designations_name(actor=personas["county_admin"], campaign=campaign)
    named_url = reverse("public_named_detail", args=[campaign.pk])
    three = _queries(public, named_url)
    designation_services.designation_rereview(
        actor=personas["county_admin"], designation=designations[0], outcome="cancel", reason="撤销"
    )
    assert _queries(public, named_url) == three
    assert _queries(public, reverse("public_named_list")) <= 4


def test_public_pages_record_nothing_in_the_audit_log(scenario, public):
    before = AuditEvent.objects.count()
    public.get(reverse("public_notice_detail", args=[scenario["campaign"].pk]))
    assert AuditEvent.objects.count() == before
