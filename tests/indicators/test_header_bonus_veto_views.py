"""Editing a draft standard's header and its bonus and veto items through the pages."""

from __future__ import annotations

import pytest
from django.urls import reverse

from fazhi.core.models import AuditEvent
from fazhi.indicators import services
from fazhi.indicators.models import Standard
from tests.indicators.examples import example_standard

HEADER = {"title": "依法行政示范单位考评标准（修订）", "source": "县委依法治县办 2025 年文件", "total": "26"}


@pytest.fixture
def draft(tree):
    return services.standard_import(actor=None, owner_org=tree.county, spec=example_standard(version="2025"))


@pytest.fixture
def published(tree):
    standard = services.standard_import(actor=None, owner_org=tree.county, spec=example_standard(version="2024"))
    return services.standard_publish(actor=None, standard=standard)


def text(response) -> str:
    return response.content.decode()


def detail(client, standard) -> str:
    return text(client.get(reverse("standard_detail", args=[standard.pk])))


def test_the_tree_page_links_to_the_editing_pages_for_the_admin_only(draft, client_for):
    body = detail(client_for("county_admin"), draft)
    for url in (
        reverse("standard_edit", args=[draft.pk]),
        reverse("bonus_item_add", args=[draft.pk]),
        reverse("bonus_item_edit", args=[draft.bonus.get().pk]),
        reverse("bonus_item_remove", args=[draft.bonus.get().pk]),
        reverse("veto_item_add", args=[draft.pk]),
        reverse("veto_item_edit", args=[draft.veto.get().pk]),
        reverse("veto_item_remove", args=[draft.veto.get().pk]),
    ):
        assert url in body
    body = detail(client_for("reviewer"), draft)  # sees the draft, may not change it
    assert "获得省级以上表彰" in body
    assert reverse("standard_edit", args=[draft.pk]) not in body
    assert reverse("bonus_item_add", args=[draft.pk]) not in body


def test_the_admin_edits_the_header_and_the_live_total_follows(draft, client_for):
    client = client_for("county_admin")
    url = reverse("standard_edit", args=[draft.pk])
    form_page = text(client.get(url))
    assert 'value="26"' in form_page and 'value="22"' in form_page  # points shown as points, not hundredths
    response = client.post(url, HEADER | {"total": "30", "pass_score": "24.5", "bonus_cap": ""})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.total, draft.pass_score, draft.bonus_cap) == (HEADER["title"], 3000, 2450, None)
    assert draft.source == HEADER["source"]
    body = detail(client, draft)
    assert 'data-ok="false"' in body and '<span class="total-value">30</span>' in body
    assert 'id="problems"' in body
    assert client.post(url, HEADER | {"pass_score": "22"}).status_code == 302
    body = detail(client, draft)
    assert 'data-ok="true"' in body and '<span class="total-value">26</span>' in body
    assert AuditEvent.objects.filter(action="indicators.standard.updated").count() == 2


def test_a_pass_score_above_the_total_is_shown_on_its_field_and_nothing_is_saved(draft, client_for):
    client = client_for("county_admin")
    response = client.post(reverse("standard_edit", args=[draft.pk]), HEADER | {"pass_score": "27"})
    assert response.status_code == 200
    assert 'id="id_pass_score_error"' in text(response)
    draft.refresh_from_db()
    assert (draft.title, draft.pass_score) == ("依法行政示范单位考评标准", 2200)
    assert not AuditEvent.objects.filter(action="indicators.standard.updated").exists()


def test_an_empty_title_is_refused_on_its_field(draft, client_for):
    response = client_for("county_admin").post(reverse("standard_edit", args=[draft.pk]), HEADER | {"title": " "})
    assert response.status_code == 200
    assert 'id="id_title_error"' in text(response)
    draft.refresh_from_db()
    assert draft.title == "依法行政示范单位考评标准"


def test_the_admin_adds_changes_and_removes_a_bonus_item(draft, client_for):
    client = client_for("county_admin")
    response = client.post(
        reverse("bonus_item_add", args=[draft.pk]), {"code": "B2", "title": "创新做法被推广", "points": "1.5"}
    )
    assert response.status_code == 302
    item = draft.bonus.get(code="B2")
    assert item.points == 150
    assert "创新做法被推广" in detail(client, draft)

    edit = reverse("bonus_item_edit", args=[item.pk])
    assert 'value="1.5"' in text(client.get(edit))
    assert client.post(edit, {"code": "B2", "title": "创新做法被省级推广", "points": "2.25"}).status_code == 302
    item.refresh_from_db()
    assert (item.title, item.points) == ("创新做法被省级推广", 225)

    remove = reverse("bonus_item_remove", args=[item.pk])
    confirm = client.get(remove)
    assert confirm.status_code == 200 and "B2" in text(confirm)
    assert draft.bonus.filter(code="B2").exists()  # a GET only asks
    assert client.post(remove).status_code == 302
    assert not draft.bonus.filter(code="B2").exists()
    assert "创新做法被省级推广" not in detail(client, draft)


def test_a_duplicate_code_is_shown_on_the_code_field_and_nothing_is_written(draft, client_for):
    client = client_for("county_admin")
    for url, form in (
        (reverse("bonus_item_add", args=[draft.pk]), {"code": "V1", "title": "重复", "points": "1"}),
        (reverse("veto_item_add", args=[draft.pk]), {"code": "1.1", "title": "重复"}),
        (reverse("bonus_item_edit", args=[draft.bonus.get().pk]), {"code": "V1", "title": "重复", "points": "1"}),
    ):
        response = client.post(url, form)
        assert response.status_code == 200
        assert 'id="id_code_error"' in text(response)
    assert list(draft.bonus.values_list("code", "title")) == [("B1", "获得省级以上表彰")]
    assert list(draft.veto.values_list("code", flat=True)) == ["V1"]


def test_bad_points_are_refused_on_the_field(draft, client_for):
    response = client_for("county_admin").post(
        reverse("bonus_item_add", args=[draft.pk]), {"code": "B2", "title": "表彰", "points": "-1"}
    )
    assert response.status_code == 200
    assert 'id="id_points_error"' in text(response)
    assert not draft.bonus.filter(code="B2").exists()


def test_the_admin_adds_changes_and_removes_a_veto_item(draft, client_for):
    client = client_for("county_admin")
    assert (
        client.post(
            reverse("veto_item_add", args=[draft.pk]), {"code": "V2", "title": "发生重大群体性事件"}
        ).status_code
        == 302
    )
    item = draft.veto.get(code="V2")
    assert "发生重大群体性事件" in detail(client, draft)
    edit = reverse("veto_item_edit", args=[item.pk])
    assert client.post(edit, {"code": "V2", "title": "发生重大群体性事件或安全事故"}).status_code == 302
    item.refresh_from_db()
    assert item.title == "发生重大群体性事件或安全事故"
    assert client.post(reverse("veto_item_remove", args=[item.pk])).status_code == 302
    assert list(draft.veto.values_list("code", flat=True)) == ["V1"]


def test_who_may_not_change_the_draft_is_refused(draft, published, client_for):
    bonus = draft.bonus.get()
    header = HEADER | {"pass_score": "1"}
    # The reviewer of 青山县 sees the draft but may not change it; the township clerk sees only the published one.
    assert client_for("reviewer").post(reverse("standard_edit", args=[draft.pk]), header).status_code == 403
    assert client_for("reviewer").post(reverse("bonus_item_remove", args=[bonus.pk])).status_code == 403
    clerk = client_for("township_clerk")
    assert clerk.post(reverse("standard_edit", args=[published.pk]), header).status_code == 403
    assert clerk.post(reverse("standard_edit", args=[draft.pk]), header).status_code == 404
    elsewhere = client_for("village_clerk_elsewhere")
    assert elsewhere.post(reverse("bonus_item_remove", args=[bonus.pk])).status_code == 404
    assert elsewhere.post(reverse("veto_item_edit", args=[draft.veto.get().pk]), {"code": "V9"}).status_code == 404
    draft.refresh_from_db()
    assert draft.pass_score == 2200 and draft.bonus.count() == 1 and draft.veto.get().code == "V1"


def test_a_published_standard_refuses(published, client_for):
    client = client_for("county_admin")
    body = detail(client, published)
    assert reverse("standard_edit", args=[published.pk]) not in body
    assert reverse("bonus_item_add", args=[published.pk]) not in body
    assert reverse("bonus_item_edit", args=[published.bonus.get().pk]) not in body

    page = text(client.get(reverse("standard_edit", args=[published.pk])))
    assert 'id="not-draft"' in page and 'class="btn btn-primary"' not in page
    response = client.post(reverse("standard_edit", args=[published.pk]), HEADER | {"total": "30"})
    assert response.status_code == 200 and 'class="alert alert-danger"' in text(response)
    response = client.post(
        reverse("bonus_item_add", args=[published.pk]), {"code": "B2", "title": "表彰", "points": "1"}
    )
    assert response.status_code == 200 and 'class="alert alert-danger"' in text(response)
    client.post(reverse("veto_item_remove", args=[published.veto.get().pk]))
    published.refresh_from_db()
    assert published.status == Standard.Status.PUBLISHED and published.total == 2600
    assert published.bonus.count() == 1 and published.veto.count() == 1
