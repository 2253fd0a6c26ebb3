"""The permission table: every page × every persona, with the status each must get.

Personas (tests/factories.py): the administrator of 青山县, the clerk of 城关镇 (inside 青山县), the
clerk of 白水村 (in the other county, 白水县), a reviewer and a leader of 青山县, and the anonymous public.
Objects are picked to show the scope: 东门村 lies inside 城关镇; 白水村 lies outside 青山县.

200: the page opens. 302: anonymous, sent to sign in (or a redirect after a POST). 403: in scope, but
the role may not do this. 404: outside the persona's scope (existence not revealed). 405: wrong method.

A page added to ``fazhi.urls`` must be added to ``TABLE``: ``test_every_page_is_in_the_table`` fails
otherwise.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from fazhi.core.models import Job
from fazhi.orgs.tokens import api_token_create
from tests.campaigns.world import build_world, permission_rows
from tests.factories import PERSONAS
from tests.pages import named_urls

# Columns, in the order of PERSONAS.
assert PERSONAS == ("county_admin", "township_clerk", "village_clerk_elsewhere", "reviewer", "leader", "anonymous")

# (URL name, sample objects, query string, method) → statuses per persona.
TABLE: list[tuple[str, dict, str, str, tuple[int, ...]]] = [
    ("home", {}, "", "GET", (200, 200, 200, 200, 200, 200)),
    ("login", {}, "", "GET", (200, 200, 200, 200, 200, 200)),
    ("logout", {}, "", "GET", (405, 405, 405, 405, 405, 405)),
    ("logout", {}, "", "POST", (302, 302, 302, 302, 302, 302)),
    ("set_language", {}, "", "POST", (302, 302, 302, 302, 302, 302)),
    ("password_change", {}, "", "GET", (200, 200, 200, 200, 200, 302)),
    ("org_tree", {}, "", "GET", (200, 200, 200, 200, 200, 302)),
    ("org_search", {}, "?q=村", "GET", (200, 200, 200, 200, 200, 302)),
    ("org_detail", {"pk": "village"}, "", "GET", (200, 200, 404, 200, 200, 302)),
    ("org_detail", {"pk": "other_village"}, "", "GET", (404, 404, 200, 404, 404, 302)),
    ("org_detail", {"pk": "city"}, "", "GET", (404, 404, 404, 404, 404, 302)),
    ("org_children", {"pk": "township"}, "", "GET", (200, 200, 404, 200, 200, 302)),
    ("org_create", {}, "", "GET", (403, 403, 403, 403, 403, 302)),
    ("org_create", {}, "?parent={township}", "GET", (200, 403, 404, 403, 403, 302)),
    ("org_edit", {"pk": "village"}, "", "GET", (200, 403, 404, 403, 403, 302)),
    ("org_edit", {"pk": "village"}, "", "POST", (200, 403, 404, 403, 403, 302)),
    ("org_edit", {"pk": "other_village"}, "", "GET", (404, 404, 403, 404, 404, 302)),
    ("org_move", {"pk": "village"}, "", "GET", (200, 403, 404, 403, 403, 302)),
    ("org_set_active", {"pk": "village"}, "", "GET", (200, 403, 404, 403, 403, 302)),
    ("org_set_active", {"pk": "village"}, "", "POST", (302, 403, 404, 403, 403, 302)),
    ("org_import", {}, "", "GET", (200, 403, 403, 403, 403, 302)),
    ("org_import_template", {}, "", "GET", (200, 403, 403, 403, 403, 302)),
    ("org_export", {"pk": "county"}, "", "GET", (200, 404, 404, 200, 200, 302)),
    ("org_export", {"pk": "township"}, "", "GET", (200, 200, 404, 200, 200, 302)),
    ("user_import", {}, "", "GET", (200, 403, 403, 403, 403, 302)),
    ("user_import_template", {}, "", "GET", (200, 403, 403, 403, 403, 302)),
    ("membership_list", {}, "", "GET", (200, 403, 403, 403, 403, 302)),
    ("membership_create", {}, "", "GET", (200, 403, 403, 403, 403, 302)),
    ("membership_delete", {"pk": "membership_inside"}, "", "GET", (200, 403, 403, 403, 403, 302)),
    ("membership_delete", {"pk": "membership_outside"}, "", "GET", (404, 403, 403, 403, 403, 302)),
    ("user_create", {}, "", "GET", (200, 403, 403, 403, 403, 302)),
    ("user_unlock", {"pk": "clerk_inside"}, "", "GET", (405, 405, 405, 405, 405, 302)),
    ("user_unlock", {"pk": "clerk_inside"}, "", "POST", (302, 403, 403, 403, 403, 302)),
    ("user_unlock", {"pk": "clerk_outside"}, "", "POST", (404, 403, 403, 403, 403, 302)),
    ("audit_log", {}, "", "GET", (200, 403, 403, 403, 403, 302)),
    ("job_detail", {"pk": "admins_job"}, "", "GET", (200, 404, 404, 404, 404, 302)),
    ("standard_list", {}, "", "GET", (200, 200, 200, 200, 200, 302)),
    ("standard_list", {}, "?status=draft", "GET", (200, 200, 200, 200, 200, 302)),
    ("standard_import", {}, "", "GET", (200, 403, 403, 403, 403, 302)),
    ("standard_detail", {"pk": "draft_standard"}, "", "GET", (200, 404, 404, 200, 200, 302)),
    ("standard_detail", {"pk": "published_standard"}, "", "GET", (200, 200, 200, 200, 200, 302)),
    ("standard_export", {"pk": "draft_standard"}, "?format=yaml", "GET", (200, 404, 404, 200, 200, 302)),
    ("standard_export", {"pk": "published_standard"}, "?format=xlsx", "GET", (200, 200, 200, 200, 200, 302)),
    ("standard_diff", {"pk": "draft_standard"}, "?against={published_standard}", "GET", (200, 404, 404, 200, 200, 302)),
    ("standard_diff", {"pk": "published_standard"}, "", "GET", (200, 200, 200, 200, 200, 302)),
    ("standard_publish", {"pk": "draft_standard"}, "", "GET", (200, 404, 404, 403, 403, 302)),
    ("standard_publish", {"pk": "published_standard"}, "", "GET", (200, 403, 403, 403, 403, 302)),
    ("standard_retire", {"pk": "published_standard"}, "", "GET", (200, 403, 403, 403, 403, 302)),
    ("standard_new_version", {"pk": "published_standard"}, "", "GET", (200, 403, 403, 403, 403, 302)),
    ("standard_new_version", {"pk": "draft_standard"}, "", "POST", (200, 404, 404, 403, 403, 302)),
    ("indicator_add", {"standard_pk": "draft_standard"}, "", "GET", (200, 404, 404, 403, 403, 302)),
    ("indicator_add", {"standard_pk": "published_standard"}, "", "GET", (200, 403, 403, 403, 403, 302)),
    ("indicator_edit", {"pk": "draft_leaf"}, "", "GET", (200, 404, 404, 403, 403, 302)),
    ("indicator_edit", {"pk": "draft_leaf"}, "", "POST", (200, 404, 404, 403, 403, 302)),
    ("indicator_move", {"pk": "draft_leaf"}, "", "GET", (200, 404, 404, 403, 403, 302)),
    ("indicator_points", {"pk": "draft_leaf"}, "", "GET", (405, 405, 405, 405, 405, 302)),
    ("indicator_points", {"pk": "draft_leaf"}, "", "POST", (302, 404, 404, 403, 403, 302)),
    ("indicator_remove", {"pk": "draft_leaf"}, "", "GET", (200, 404, 404, 403, 403, 302)),
    ("standard_edit", {"pk": "draft_standard"}, "", "GET", (200, 404, 404, 403, 403, 302)),
    ("standard_edit", {"pk": "draft_standard"}, "", "POST", (200, 404, 404, 403, 403, 302)),
    ("standard_edit", {"pk": "published_standard"}, "", "GET", (200, 403, 403, 403, 403, 302)),
    ("bonus_item_add", {"standard_pk": "draft_standard"}, "", "GET", (200, 404, 404, 403, 403, 302)),
    ("bonus_item_add", {"standard_pk": "published_standard"}, "", "POST", (200, 403, 403, 403, 403, 302)),
    ("bonus_item_edit", {"pk": "draft_bonus"}, "", "GET", (200, 404, 404, 403, 403, 302)),
    ("bonus_item_remove", {"pk": "draft_bonus"}, "", "GET", (200, 404, 404, 403, 403, 302)),
    ("veto_item_add", {"standard_pk": "draft_standard"}, "", "GET", (200, 404, 404, 403, 403, 302)),
    ("veto_item_edit", {"pk": "draft_veto"}, "", "GET", (200, 404, 404, 403, 403, 302)),
    ("veto_item_remove", {"pk": "draft_veto"}, "", "GET", (200, 404, 404, 403, 403, 302)),
    # The JSON API (/api/v1/): 401 without credentials, JSON 404/403 as on the pages; 422 for a malformed request.
    ("api-1:api-root", {}, "", "GET", (404, 404, 404, 404, 404, 404)),
    ("api-1:openapi-json", {}, "", "GET", (200, 200, 200, 200, 200, 200)),
    ("api-1:org", {"org_code": "county_code"}, "", "GET", (200, 404, 404, 200, 200, 401)),
    ("api-1:org", {"org_code": "other_village_code"}, "", "GET", (404, 404, 200, 404, 404, 401)),
    ("api-1:org_children", {"org_code": "county_code"}, "", "GET", (200, 404, 404, 200, 200, 401)),
    ("api-1:standard_list", {}, "", "GET", (200, 200, 200, 200, 200, 401)),
    ("api-1:standard", {"standard_id": "published_standard"}, "", "GET", (200, 200, 200, 200, 200, 401)),
    ("api-1:standard", {"standard_id": "draft_standard"}, "", "GET", (200, 404, 404, 200, 200, 401)),
    (
        "api-1:standard_by_code",
        {"standard_code": "standard_code", "version": "draft_version"},
        "",
        "GET",
        (200, 404, 404, 200, 200, 401),
    ),
    ("api-1:standard_import", {}, "", "GET", (405, 405, 405, 405, 405, 405)),
    ("api-1:standard_import", {}, "", "POST", (422, 422, 422, 422, 422, 401)),
    ("api-1:standard_export", {"standard_id": "draft_standard"}, "", "GET", (200, 404, 404, 200, 200, 401)),
    (
        "api-1:standard_export",
        {"standard_id": "published_standard"},
        "?format=xlsx",
        "GET",
        (200, 200, 200, 200, 200, 401),
    ),
    ("api_tokens", {}, "", "GET", (200, 200, 200, 200, 200, 302)),
    ("api_tokens", {}, "", "POST", (200, 200, 200, 200, 200, 302)),
    ("api_token_revoke", {"token_pk": "admins_token"}, "", "GET", (405, 405, 405, 405, 405, 302)),
    ("api_token_revoke", {"token_pk": "admins_token"}, "", "POST", (302, 404, 404, 404, 404, 302)),
    # Creation campaigns: each area's rows are in tests/campaigns/rows_<area>.py.
    *permission_rows(),
]


@pytest.fixture
def objects(tree, personas):
    job = Job.objects.create(kind="orgs.import", title="导入组织机构", owner=personas["county_admin"])
    return {
        **{name: getattr(tree, name).pk for name in ("village", "other_village", "city", "township", "county")},
        "membership_inside": personas["township_clerk"].memberships.get().pk,
        "membership_outside": personas["village_clerk_elsewhere"].memberships.get().pk,
        "admins_job": job.pk,
        "clerk_inside": personas["township_clerk"].pk,
        "clerk_outside": personas["village_clerk_elsewhere"].pk,
        **standard_objects(tree),
        "county_code": tree.county.code,
        "other_village_code": tree.other_village.code,
        "standard_code": "yfxz-county",
        "draft_version": "2025",
        "admins_token": api_token_create(actor=None, user=personas["county_admin"], name="脚本")[0].pk,
        **build_world(tree, personas),
    }


def standard_objects(tree) -> dict:
    """A published standard and a draft (with a leaf, a bonus and a veto item), both owned by 青山县."""
    from fazhi.indicators import services
    from tests.indicators.examples import example_standard

    published = services.standard_import(actor=None, owner_org=tree.county, spec=example_standard(version="2024"))
    services.standard_publish(actor=None, standard=published)
    draft = services.standard_import(actor=None, owner_org=tree.county, spec=example_standard(version="2025"))
    return {
        "published_standard": published.pk,
        "draft_standard": draft.pk,
        "draft_leaf": draft.indicators.get(code="1.1").pk,
        "draft_bonus": draft.bonus.get(code="B1").pk,
        "draft_veto": draft.veto.get(code="V1").pk,
    }


def test_every_page_is_in_the_table():
    listed = {row[0] for row in TABLE}
    assert sorted({name for name, _ in named_urls()} - listed) == []


@pytest.mark.parametrize(
    ("name", "kwargs", "query", "method", "statuses"),
    TABLE,
    ids=[f"{row[3]} {row[0]}{row[2]} {' '.join(f'{k}={v}' for k, v in row[1].items())}".strip() for row in TABLE],
)
def test_page_status_for_every_persona(name, kwargs, query, method, statuses, objects, client_for):
    url = reverse(name, kwargs={key: objects[value] for key, value in kwargs.items()}) + query.format(**objects)
    got = {}
    for persona in PERSONAS:
        client = client_for(persona)
        response = client.get(url) if method == "GET" else client.post(url, {})
        got[persona] = response.status_code
    assert got == dict(zip(PERSONAS, statuses, strict=True))
