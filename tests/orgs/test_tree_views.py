import re

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fazhi.core.models import AuditEvent
from fazhi.orgs.accounts import membership_add
from fazhi.orgs.codes import make_uscc
from fazhi.orgs.models import Org, User
from fazhi.orgs.services import org_create, org_set_active
from tests.factories import make_user


def text(response) -> str:
    return response.content.decode()


def nodes(html: str) -> dict[str, str]:
    """Each tree node's name -> its HTML (up to the next node), from a tree page or fragment."""
    parts = re.split(r'<li class="org-node', html)[1:]
    found = {}
    for part in parts:
        name = re.search(r'class="org-name[^"]*">([^<]+)</a>', part).group(1)
        found[name] = part
    return found


def add_villages(township, count, *, start=3, name="新村"):
    return [
        org_create(actor=None, name=f"{name}{i}", kind="village", code=f"{township.code}{i:03d}", parent=township)
        for i in range(start, start + count)
    ]


def snapshot():
    return list(Org.objects.order_by("pk").values_list("name", "code", "path", "is_active")), AuditEvent.objects.count()


@pytest.fixture
def client_for(client_for):
    """The shared personas' clients, reading the pages in English so that messages can be checked."""

    def make(name: str) -> Client:
        client = client_for(name)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        return client

    return make


@pytest.fixture
def superuser_client(db):
    client = Client()
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    client.force_login(User.objects.create_superuser("root", password="x-unused-password-1"))
    return client


# Who may open what ----------------------------------------------------------------------------

PERMISSIONS = [
    # (url name, org attribute or None, persona, expected status)
    ("org_tree", None, "county_admin", 200),
    ("org_tree", None, "township_clerk", 200),
    ("org_tree", None, "village_clerk_elsewhere", 200),
    ("org_tree", None, "anonymous", 302),
    ("org_search", None, "township_clerk", 200),
    ("org_search", None, "anonymous", 302),
    ("org_detail", "county", "county_admin", 200),
    ("org_detail", "county", "reviewer", 200),
    ("org_detail", "county", "township_clerk", 404),
    ("org_detail", "township", "township_clerk", 200),
    ("org_detail", "village", "township_clerk", 200),
    ("org_detail", "county", "village_clerk_elsewhere", 404),
    ("org_detail", "county", "anonymous", 302),
    ("org_children", "township", "township_clerk", 200),
    ("org_children", "township", "village_clerk_elsewhere", 404),
    ("org_children", "township", "anonymous", 302),
    ("org_edit", "township", "county_admin", 200),
    ("org_edit", "township", "township_clerk", 403),
    ("org_edit", "township", "leader", 403),
    ("org_edit", "township", "village_clerk_elsewhere", 404),
    ("org_edit", "township", "anonymous", 302),
    ("org_move", "township", "county_admin", 200),
    ("org_move", "township", "township_clerk", 403),
    ("org_move", "township", "village_clerk_elsewhere", 404),
    ("org_set_active", "village", "county_admin", 200),
    ("org_set_active", "village", "township_clerk", 403),
    ("org_set_active", "village", "village_clerk_elsewhere", 404),
    ("org_set_active", "village", "anonymous", 302),
]


@pytest.mark.parametrize(("name", "attr", "persona", "status"), PERMISSIONS)
def test_who_may_open_each_page(tree, client_for, name, attr, persona, status):
    url = reverse(name, args=[getattr(tree, attr).pk]) if attr else reverse(name)
    response = client_for(persona).get(url)
    assert response.status_code == status
    if status == 302:
        assert response["Location"].startswith(reverse("login") + "?next=")


@pytest.mark.parametrize(
    ("persona", "parent", "status"),
    [
        ("county_admin", "township", 200),
        ("township_clerk", "township", 403),
        ("village_clerk_elsewhere", "township", 404),
        ("county_admin", None, 403),  # only a superuser may create a province
        ("anonymous", "township", 302),
    ],
)
def test_who_may_open_the_create_page(tree, client_for, persona, parent, status):
    query = f"?parent={getattr(tree, parent).pk}" if parent else ""
    assert client_for(persona).get(reverse("org_create") + query).status_code == status


def test_writes_without_the_right_change_nothing(tree, client_for):
    before = snapshot()
    clerk = client_for("township_clerk")
    assert (
        clerk.post(reverse("org_edit", args=[tree.village.pk]), {"name": "改名", "code": "990101001001"}).status_code
        == 403
    )
    assert clerk.post(reverse("org_set_active", args=[tree.village.pk]), {"active": "0"}).status_code == 403
    elsewhere = client_for("village_clerk_elsewhere")
    assert elsewhere.post(reverse("org_move", args=[tree.village.pk]), {"parent_code": "990101002"}).status_code == 404
    assert snapshot() == before


# Browsing the tree -----------------------------------------------------------------------------


def test_tree_opens_on_the_users_scope_with_its_first_level_shown(tree, client_for):
    html = text(client_for("county_admin").get(reverse("org_tree")))
    shown = nodes(html)
    assert list(shown) == ["青山县", "城关镇", "河口镇", "青山县司法局", "青山县第一中学"]
    assert "白水县" not in html and "东川省" not in html
    # Townships have children to load on demand; the bureau and the school do not.
    assert f'hx-get="{reverse("org_children", args=[tree.township.pk])}"' in shown["城关镇"]
    assert "hx-get" not in shown["青山县司法局"]


def test_a_township_clerks_tree_starts_at_the_township(tree, client_for):
    shown = nodes(text(client_for("township_clerk").get(reverse("org_tree"))))
    assert list(shown) == ["城关镇", "东门村", "西街社区", "城关镇人民政府办公室"]


def test_a_superusers_tree_starts_at_the_provinces_and_offers_a_new_province(tree, superuser_client):
    html = text(superuser_client.get(reverse("org_tree")))
    assert list(nodes(html))[0] == "东川省"
    assert f'href="{reverse("org_create")}"' in html


def test_children_fragment_lists_direct_children_with_expanders(tree, client_for):
    response = client_for("county_admin").get(reverse("org_children", args=[tree.county.pk]), HTTP_HX_REQUEST="true")
    html = text(response)
    assert "<html" not in html  # a fragment, not a page
    shown = nodes(html)
    assert list(shown) == ["城关镇", "河口镇", "青山县司法局", "青山县第一中学"]
    assert "<details" in shown["河口镇"] and "<details" not in shown["青山县第一中学"]
    assert "东门村" not in html  # grandchildren wait until asked for


def test_inactive_children_are_greyed_and_can_be_hidden(tree, client_for):
    org_set_active(actor=None, org=tree.community, active=False)
    client = client_for("township_clerk")
    url = reverse("org_children", args=[tree.township.pk])
    shown = nodes(text(client.get(url)))
    assert "org-inactive" in shown["西街社区"] and "org-inactive" not in shown["东门村"]
    assert "西街社区" not in nodes(text(client.get(url + "?inactive=hide")))
    tree_page = text(client.get(reverse("org_tree") + "?inactive=hide"))
    assert "西街社区" not in nodes(tree_page)
    assert 'href="/orgs/"' in tree_page  # the toggle back to showing them


def test_children_are_paginated_with_a_load_more_button(tree, client_for):
    add_villages(tree.township2, 150, start=2, name="河口")
    client = client_for("county_admin")
    url = reverse("org_children", args=[tree.township2.pk])
    first = text(client.get(url, HTTP_HX_REQUEST="true"))
    assert len(nodes(first)) == 100
    assert f'hx-get="{url}?page=2"' in first
    second = text(client.get(url + "?page=2", HTTP_HX_REQUEST="true"))
    assert len(nodes(second)) == 51
    assert "?page=3" not in second
    assert set(nodes(first)).isdisjoint(nodes(second))


# Search ----------------------------------------------------------------------------------------


def test_search_by_name_shows_each_result_with_its_ancestors(tree, client_for):
    html = text(client_for("county_admin").get(reverse("org_search"), {"q": "城关"}))
    assert "城关镇人民政府办公室" in html and "2 organisations match" in html
    row = html[html.index("城关镇人民政府办公室") :]
    assert re.search(r"东川省.*云溪市.*青山县.*城关镇", row, re.S)
    assert f'href="{reverse("org_detail", args=[tree.county.pk])}"' in row  # an ancestor in scope is a link
    assert f'href="{reverse("org_detail", args=[tree.city.pk])}"' not in html  # one outside scope is not


def test_search_by_code_prefix_stays_within_scope(tree, client_for):
    html = text(client_for("county_admin").get(reverse("org_search"), {"q": "9901"}))
    assert "东门村" in html and "河口村" in html
    assert "白水" not in html
    assert "白水村" not in text(client_for("county_admin").get(reverse("org_search"), {"q": "990102001001"}))
    elsewhere = text(client_for("village_clerk_elsewhere").get(reverse("org_search"), {"q": "990102001001"}))
    assert "白水村" in elsewhere


def test_search_is_paginated(tree, client_for):
    add_villages(tree.township, 60, name="城关新")
    client = client_for("county_admin")
    first = text(client.get(reverse("org_search"), {"q": "城关新"}))
    assert first.count('<tr>\n        <td><a href="/orgs/') == 50
    assert "page=2" in first
    second = text(client.get(reverse("org_search"), {"q": "城关新", "page": 2}))
    assert second.count('<tr>\n        <td><a href="/orgs/') == 10


def test_htmx_search_returns_the_results_fragment(tree, client_for):
    html = text(client_for("county_admin").get(reverse("org_search"), {"q": "东门"}, HTTP_HX_REQUEST="true"))
    assert "<html" not in html and "东门村" in html


# Detail ----------------------------------------------------------------------------------------


def test_detail_shows_the_org_its_place_its_people_and_its_actions(tree, client_for):
    html = text(client_for("county_admin").get(reverse("org_detail", args=[tree.township.pk])))
    assert "城关镇" in html and "990101001" in html
    assert "李填报" in html  # holds the clerk role here
    assert re.search(r"东川省.*云溪市.*青山县", html, re.S)
    for name in ("org_edit", "org_move", "org_set_active", "org_export"):
        assert reverse(name, args=[tree.township.pk]) in html
    assert f"{reverse('org_create')}?parent={tree.township.pk}" in html
    assert "orgs.org.created" in html  # recent changes, for those who may read the audit log
    assert list(nodes(html)) == ["东门村", "西街社区", "城关镇人民政府办公室"]


def test_a_clerk_sees_the_detail_without_actions_or_audit(tree, client_for):
    html = text(client_for("township_clerk").get(reverse("org_detail", args=[tree.township.pk])))
    assert "城关镇" in html
    assert reverse("org_edit", args=[tree.township.pk]) not in html
    assert reverse("org_set_active", args=[tree.township.pk]) not in html
    assert "orgs.org.created" not in html


# Create ----------------------------------------------------------------------------------------


def create_url(parent):
    return reverse("org_create") + f"?parent={parent.pk}"


def test_kind_choices_are_what_may_hang_under_the_parent(tree, client_for):
    response = client_for("county_admin").get(create_url(tree.township))
    html = text(response)
    kinds = re.findall(r'<option value="(\w+)"', html[html.index('name="kind"') :])
    assert kinds == ["village", "community", "department", "school", "enterprise", "other"]
    assert "beginning with 990101001" in html  # the code help for villages under this township


def test_county_admin_creates_a_village(tree, client_for):
    response = client_for("county_admin").post(
        create_url(tree.township), {"name": "北关村", "kind": "village", "code": "990101001003"}
    )
    village = Org.objects.get(code="990101001003")
    assert response.status_code == 302
    assert response["Location"] == reverse("org_detail", args=[village.pk])
    assert village.parent == tree.township and village.path.startswith(tree.township.path)
    assert AuditEvent.objects.filter(action="orgs.org.created", object_id=str(village.pk)).exists()


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"name": "北关村", "kind": "village", "code": "990101002003"}, "code", "does not begin with"),
        ({"name": "北关村", "kind": "village", "code": "9901010010"}, "code", "12 digits"),
        ({"name": "北关村", "kind": "village", "code": "990101001001"}, "code", "already used by 东门村"),
        ({"name": "某局", "kind": "department", "code": "11990101000000000X"}, "code", "check character"),
        ({"name": "又一个县", "kind": "county", "code": "990103"}, "kind", "not one of the available choices"),
        ({"name": "  ", "kind": "village", "code": "990101001003"}, "name", "required"),
    ],
)
def test_create_shows_errors_on_the_field_and_writes_nothing(tree, client_for, data, field, message):
    before = snapshot()
    response = client_for("county_admin").post(create_url(tree.township), data)
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert field in errors and message in " ".join(errors[field])
    assert message in text(response)
    assert snapshot() == before


def test_nothing_can_be_created_under_a_deactivated_org(tree, client_for):
    org_set_active(actor=None, org=tree.village2, active=False)
    before = snapshot()
    code = make_uscc("department", "990101", 9)
    response = client_for("county_admin").post(
        create_url(tree.village2), {"name": "村委会", "kind": "department", "code": code}
    )
    assert "is deactivated" in " ".join(response.context["form"].non_field_errors())
    assert snapshot() == before


def test_a_superuser_creates_a_province(tree, superuser_client):
    html = text(superuser_client.get(reverse("org_create")))
    assert re.findall(r'<option value="(\w+)"', html[html.index('name="kind"') :]) == ["province"]
    response = superuser_client.post(reverse("org_create"), {"name": "西岭省", "kind": "province", "code": "980000"})
    assert response.status_code == 302
    assert Org.objects.get(code="980000").parent is None


# Edit ------------------------------------------------------------------------------------------


def test_county_admin_renames_a_township(tree, client_for):
    url = reverse("org_edit", args=[tree.township.pk])
    client = client_for("county_admin")
    assert 'value="城关镇"' in text(client.get(url))
    response = client.post(url, {"name": "城关街道", "code": "990101001"})
    assert response.status_code == 302
    assert Org.objects.get(pk=tree.township.pk).name == "城关街道"


def test_edit_with_a_code_of_the_wrong_county_shows_the_error(tree, client_for):
    before = snapshot()
    response = client_for("county_admin").post(
        reverse("org_edit", args=[tree.township.pk]), {"name": "城关镇", "code": "990102009"}
    )
    assert "does not begin with its parent's digits 990101" in " ".join(response.context["form"].errors["code"])
    assert snapshot() == before


# Move ------------------------------------------------------------------------------------------


def move(client, org, code):
    return client.post(reverse("org_move", args=[org.pk]), {"parent_code": code})


def test_county_admin_moves_a_unit_to_a_township(tree, client_for):
    response = move(client_for("county_admin"), tree.school, "990101001")
    assert response.status_code == 302
    moved = Org.objects.get(pk=tree.school.pk)
    assert moved.parent_id == tree.township.pk
    assert moved.path.startswith(tree.township.path)


def test_a_village_cannot_move_to_a_township_whose_code_it_does_not_carry(tree, client_for):
    response = move(client_for("county_admin"), tree.village2, "990101001")
    assert response.status_code == 200
    assert "does not begin with its parent&#x27;s digits 990101001" in response.content.decode()
    assert Org.objects.get(pk=tree.village2.pk).parent_id == tree.township2.pk


@pytest.mark.parametrize(
    ("org", "code", "message"),
    [
        ("township", "990101001001", "lies inside its own subtree"),  # under its own village
        ("village", "990101", "must hang under a township"),  # a village under a county
        ("village", "990102001", "that you may change"),  # 白水镇: exists, but outside the scope
        ("village", "990199001", "that you may change"),  # no such code
    ],
)
def test_move_errors_are_shown_on_the_form_and_nothing_moves(tree, client_for, org, code, message):
    before = snapshot()
    response = move(client_for("county_admin"), getattr(tree, org), code)
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["parent_code"])
    assert message.replace("'", "&#x27;") in text(response)
    assert snapshot() == before


def test_move_candidates_come_from_an_htmx_search(tree, client_for):
    client = client_for("county_admin")
    url = reverse("org_move", args=[tree.village2.pk])
    html = text(client.get(url, {"q": "镇"}, HTTP_HX_REQUEST="true"))
    assert "<html" not in html
    assert 'data-fill-value="990101001"' in html  # 城关镇
    assert "990101002" not in html  # the current township
    assert "990102001" not in html  # 白水镇, outside the scope


# Deactivate and reactivate ---------------------------------------------------------------------


def test_deactivating_asks_first_then_greys_the_org(tree, client_for):
    client = client_for("county_admin")
    url = reverse("org_set_active", args=[tree.village.pk])
    assert "Deactivate 东门村?" in text(client.get(url))
    assert Org.objects.get(pk=tree.village.pk).is_active
    response = client.post(url, {"active": "0"})
    assert response.status_code == 302
    assert not Org.objects.get(pk=tree.village.pk).is_active
    assert Org.objects.filter(pk=tree.village.pk).exists()  # never deleted
    assert "Reactivate" in text(client.get(reverse("org_detail", args=[tree.village.pk])))
    client.post(url, {"active": "1"})
    assert Org.objects.get(pk=tree.village.pk).is_active


def test_deactivating_an_org_with_active_orgs_below_is_refused(tree, client_for):
    before = snapshot()
    client = client_for("county_admin")
    url = reverse("org_set_active", args=[tree.township.pk])
    assert "3 active organisations still stand below it" in text(client.get(url))
    response = client.post(url, {"active": "0"})
    assert response.status_code == 200
    assert "still has active organisations below it" in text(response)
    assert snapshot() == before


def test_set_active_accepts_only_get_and_post(tree, client_for):
    url = reverse("org_set_active", args=[tree.village.pk])
    assert client_for("county_admin").delete(url).status_code == 405


# Query counts stay flat as the data grows --------------------------------------------------------


def grow(tree, count):
    """More of everything the pages list: villages and units, people with roles, audit events."""
    start = Org.objects.filter(parent=tree.township).count() + 1
    add_villages(tree.township, count, start=start, name="城关村")
    for i in range(count):
        org_create(
            actor=None,
            name=f"城关办{start + i}",
            kind="department",
            code=make_uscc("department", "990101", 50_000 + start + i),
            parent=tree.county,
        )
        membership_add(actor=None, user=make_user(f"clerk{start + i}"), org=tree.township, role="clerk")


PAGES = {
    "tree": lambda tree: reverse("org_tree"),
    "children": lambda tree: reverse("org_children", args=[tree.township.pk]),
    "search": lambda tree: reverse("org_search") + "?q=城关",
    "detail": lambda tree: reverse("org_detail", args=[tree.township.pk]),
}


@pytest.mark.parametrize("page", PAGES)
def test_pages_keep_a_constant_number_of_queries(tree, client_for, django_assert_num_queries, page):
    client = client_for("county_admin")
    url = PAGES[page](tree)
    grow(tree, 3)
    client.get(url)  # warm up
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    grow(tree, 40)
    with django_assert_num_queries(len(small)):
        response = client.get(url)
    assert "城关村43" in text(response) or page == "tree"
    assert len(small) <= 10
