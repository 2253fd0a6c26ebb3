"""The scoring-standard pages, per persona: the tree with live totals, editing a draft, publish,
new version, diff, import and export."""

from __future__ import annotations

import dataclasses

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fazhi.indicators import selectors, services, spec
from fazhi.indicators.formats import dump_yaml
from fazhi.indicators.models import Standard
from tests.indicators.examples import example_standard


@pytest.fixture
def published(tree):
    standard = services.standard_import(actor=None, owner_org=tree.county, spec=example_standard(version="2024"))
    return services.standard_publish(actor=None, standard=standard)


@pytest.fixture
def draft(tree):
    return services.standard_import(actor=None, owner_org=tree.county, spec=example_standard(version="2025"))


def leaf(standard, code):
    return standard.indicators.get(code=code)


def text(response) -> str:
    return response.content.decode()


def test_the_tree_shows_points_rules_and_a_right_total(draft, client_for):
    response = client_for("county_admin").get(reverse("standard_detail", args=[draft.pk]))
    assert response.status_code == 200
    body = text(response)
    assert "健全学法制度" in body and "调解成功率" in body
    assert 'data-ok="true"' in body and "text-success" in body
    assert "法治展牌" in body  # checklist items are listed under their leaf
    assert 'id="problems"' not in body
    assert reverse("indicator_edit", args=[leaf(draft, "1.1").pk]) in body  # the admin may edit


def test_the_total_goes_wrong_then_right(draft, client_for):
    client = client_for("county_admin")
    url = reverse("indicator_edit", args=[leaf(draft, "1.1").pk])
    form = {"code": "1.1", "title": "健全学法制度", "points": "5", "kind": "manual", "step": "0.5"}
    assert client.post(url, form).status_code == 302
    body = text(client.get(reverse("standard_detail", args=[draft.pk])))
    assert 'data-ok="false"' in body
    assert '<span class="sum-value">27</span>' in body
    assert 'id="problems"' in body  # the sum problem is listed
    assert client.post(url, form | {"points": "4"}).status_code == 302
    body = text(client.get(reverse("standard_detail", args=[draft.pk])))
    assert 'data-ok="true"' in body and '<span class="sum-value">26</span>' in body


def test_the_branch_shows_the_sum_of_its_leaves(draft, client_for):
    client = client_for("county_admin")
    url = reverse("indicator_edit", args=[leaf(draft, "1.3").pk])
    client.post(url, {"code": "1.3", "title": "违法案件", "points": "7", "kind": "deduction", "per": "1"})
    assert Standard.objects.get(pk=draft.pk).indicators.get(code="1").points == 2800


def test_a_leaf_rule_changes_kind_with_its_parameters(draft, client_for):
    client = client_for("county_admin")
    url = reverse("indicator_edit", args=[leaf(draft, "1.1").pk])
    form = {
        "code": "1.1",
        "title": "健全学法制度",
        "points": "4",
        "kind": "tiers",
        "tier_min": ["2", "1", "0"],
        "tier_points": ["4", "2", "0"],
        "metric": "training.sessions",
    }
    assert client.post(url, form).status_code == 302
    rule = services.rule_of(leaf(draft, "1.1"))
    assert rule.kind == spec.TIERS and [t.points for t in rule.tiers] == [400, 200, 0]
    assert rule.metric == "training.sessions"


def test_switching_the_rule_kind_returns_its_fields(draft, client_for):
    url = reverse("indicator_edit", args=[leaf(draft, "1.1").pk]) + "?kind=checklist"
    response = client_for("county_admin").get(url, headers={"HX-Request": "true"})
    body = text(response)
    assert 'name="item_title"' in body and "<html" not in body


def test_errors_show_inline_on_the_field(draft, client_for):
    client = client_for("county_admin")
    url = reverse("indicator_edit", args=[leaf(draft, "1.1").pk])
    # a code already used by another indicator: the service's error, on the code field
    response = client.post(url, {"code": "1.2", "title": "健全学法制度", "points": "4", "kind": "manual"})
    assert response.status_code == 200
    assert 'id="id_code_error"' in text(response)
    # a deduction without its points per occurrence: the form's error, on that field
    response = client.post(url, {"code": "1.1", "title": "健全学法制度", "points": "4", "kind": "deduction"})
    assert 'id="id_per_error"' in text(response)
    assert leaf(draft, "1.1").rule == spec.MANUAL  # nothing saved


def test_add_move_and_remove(draft, client_for):
    client = client_for("county_admin")
    parent = leaf(draft, "1")
    add = reverse("indicator_add", args=[draft.pk]) + f"?parent={parent.pk}&position=0"
    response = client.post(add, {"code": "1.0", "title": "学法计划", "points": "1", "kind": "manual", "step": "0.5"})
    assert response.status_code == 302
    codes = [row.code for row in selectors.standard_indicators(draft)]
    assert codes[:3] == ["1", "1.0", "1.1"]
    client.post(reverse("indicator_move", args=[leaf(draft, "1.0").pk]), {"direction": "down"})
    codes = [row.code for row in selectors.standard_indicators(draft)]
    assert codes[:3] == ["1", "1.1", "1.0"]
    client.post(reverse("indicator_remove", args=[leaf(draft, "1.0").pk]))
    assert not draft.indicators.filter(code="1.0").exists()


def test_publish_is_refused_with_the_problems(draft, client_for):
    client = client_for("county_admin")
    services.indicator_update(actor=None, indicator=leaf(draft, "1.1"), points=900)
    response = client.post(reverse("standard_publish", args=[draft.pk]))
    assert response.status_code == 400
    assert 'id="problems"' in text(response)
    assert Standard.objects.get(pk=draft.pk).status == Standard.Status.DRAFT
    services.indicator_update(actor=None, indicator=leaf(draft, "1.1"), points=400)
    assert client.post(reverse("standard_publish", args=[draft.pk])).status_code == 302
    assert Standard.objects.get(pk=draft.pk).status == Standard.Status.PUBLISHED


def test_clone_then_diff(published, client_for):
    client = client_for("county_admin")
    response = client.post(reverse("standard_new_version", args=[published.pk]), {"version": "2026"})
    copy = Standard.objects.get(code=published.code, version="2026")
    assert response.status_code == 302 and copy.is_draft
    # the same version again: an error on the field
    response = client.post(reverse("standard_new_version", args=[published.pk]), {"version": "2026"})
    assert 'id="id_version_error"' in text(response)
    services.indicator_update(actor=None, indicator=leaf(copy, "1.3"), points=600)
    services.indicator_remove(actor=None, indicator=leaf(copy, "1.4"))
    body = text(client.get(reverse("standard_diff", args=[copy.pk]) + f"?against={published.pk}"))
    assert "调解成功率" in body.split('class="diff-removed"')[1]
    assert "违法案件" in body.split('class="table table-sm diff-changed"')[1]


def test_township_clerk_reads_published_but_may_not_edit(published, draft, client_for):
    client = client_for("township_clerk")
    assert client.get(reverse("standard_detail", args=[published.pk])).status_code == 200
    body = text(client.get(reverse("standard_detail", args=[published.pk])))
    assert "/edit/" not in body and "/publish/" not in body
    assert client.get(reverse("indicator_add", args=[published.pk])).status_code == 403
    assert client.get(reverse("standard_detail", args=[draft.pk])).status_code == 404
    listed = text(client.get(reverse("standard_list")))
    assert "2024" in listed and "2025" not in listed


def test_the_clerk_elsewhere_gets_404_on_the_county_draft(draft, client_for):
    client = client_for("village_clerk_elsewhere")
    assert client.get(reverse("standard_detail", args=[draft.pk])).status_code == 404
    assert client.post(reverse("indicator_edit", args=[leaf(draft, "1.1").pk])).status_code == 404


def test_a_published_standard_cannot_be_edited(published, client_for):
    client = client_for("county_admin")
    url = reverse("indicator_edit", args=[leaf(published, "1.1").pk])
    response = client.post(url, {"code": "1.1", "title": "改", "points": "4", "kind": "manual"})
    assert response.status_code == 200
    assert leaf(published, "1.1").title == "健全学法制度"
    assert "/edit/" not in text(client.get(reverse("standard_detail", args=[published.pk])))


def test_the_list_filters_by_status(published, draft, client_for):
    body = text(client_for("county_admin").get(reverse("standard_list") + "?status=draft"))
    assert reverse("standard_detail", args=[draft.pk]) in body
    assert reverse("standard_detail", args=[published.pk]) not in body


def test_import_and_export(tree, client_for):
    client = client_for("county_admin")
    from django.core.files.uploadedfile import SimpleUploadedFile

    data = dump_yaml(example_standard(version="2030"))
    upload = SimpleUploadedFile("s.yaml", data, content_type="application/yaml")
    response = client.post(reverse("standard_import"), {"file": upload, "owner": tree.county.pk})
    assert response.status_code == 302
    standard = Standard.objects.get(version="2030")
    assert standard.owner_org == tree.county and standard.is_draft
    exported = client.get(reverse("standard_export", args=[standard.pk]) + "?format=yaml")
    assert exported.content == data
    xlsx = client.get(reverse("standard_export", args=[standard.pk]) + "?format=xlsx")
    assert xlsx.content[:2] == b"PK"


def test_import_lists_every_error_with_its_code(tree, client_for):
    from django.core.files.uploadedfile import SimpleUploadedFile

    bad = dataclasses.replace(example_standard(version="2031"), total=9900)
    data = dump_yaml(bad).replace(b"code: '1.2'", b"code: '1.1'").replace(b'code: "1.2"', b'code: "1.1"')
    upload = SimpleUploadedFile("bad.yaml", data)
    response = client_for("county_admin").post(reverse("standard_import"), {"file": upload, "owner": tree.county.pk})
    assert response.status_code == 200
    errors = text(response).split('id="import-errors"')[1].split("</div>\n</div>")[0]
    assert errors.count("<li>") >= 1
    assert not Standard.objects.filter(version="2031").exists()


def _bigger(std: spec.Standard, extra: int) -> spec.Standard:
    leaves = tuple(
        spec.Indicator(code=f"9.{i}", title=f"附加{i}", points=100, rule=spec.Rule(spec.MANUAL, step=50))
        for i in range(extra)
    )
    branch = spec.Indicator(code="9", title="附加", points=100 * extra, children=leaves)
    return dataclasses.replace(std, indicators=(*std.indicators, branch), total=std.total + 100 * extra)


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_tree_page_reads_in_constant_queries(tree, client_for):
    client = client_for("county_admin")
    small = services.standard_import(actor=None, owner_org=tree.county, spec=_bigger(example_standard(version="a"), 1))
    large = services.standard_import(actor=None, owner_org=tree.county, spec=_bigger(example_standard(version="b"), 30))
    first = _count(client, reverse("standard_detail", args=[small.pk]))
    assert _count(client, reverse("standard_detail", args=[large.pk])) == first


def test_the_list_reads_in_constant_queries(tree, client_for, django_assert_num_queries):
    client = client_for("county_admin")
    services.standard_import(actor=None, owner_org=tree.county, spec=example_standard(version="a"))
    first = _count(client, reverse("standard_list"))
    for version in ("b", "c", "d", "e"):
        services.standard_import(actor=None, owner_org=tree.county, spec=example_standard(version=version))
    with django_assert_num_queries(first):
        client.get(reverse("standard_list"))


def test_points_typed_in_the_tree_update_the_totals(draft, client_for):
    client = client_for("county_admin")
    url = reverse("indicator_points", args=[leaf(draft, "1.5").pk])
    response = client.post(url, {"points": "4.5"}, headers={"HX-Request": "true"})
    body = text(response)
    assert "<html" not in body
    assert 'data-ok="false"' in body and '<span class="sum-value">27.5</span>' in body
    assert leaf(draft, "1").points == 2750  # the branch follows its leaves
    body = text(client.post(url, {"points": "3"}, headers={"HX-Request": "true"}))
    assert 'data-ok="true"' in body and '<span class="sum-value">26</span>' in body


def test_bad_points_in_the_tree_are_shown_on_that_row(draft, client_for):
    url = reverse("indicator_points", args=[leaf(draft, "1.5").pk])
    body = text(client_for("county_admin").post(url, {"points": "-1"}, headers={"HX-Request": "true"}))
    row = body.split('id="indicator-1.5"')[1].split("</tr>")[0]
    assert "points-error" in row and 'value="-1"' in row
    assert leaf(draft, "1.5").points == 300


def test_the_navigation_links_the_standards(client_for):
    for persona in ("county_admin", "township_clerk"):
        assert reverse("standard_list") in text(client_for(persona).get(reverse("home")))
