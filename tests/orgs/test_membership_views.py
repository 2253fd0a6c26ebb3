"""Administrators manage users' roles within their subtree; everyone else is kept out."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from fazhi.core.errors import DomainError
from fazhi.core.models import AuditEvent
from fazhi.orgs.accounts import membership_add, membership_remove
from fazhi.orgs.models import Membership, User
from tests.factories import PASSWORD, make_user

LIST = reverse("membership_list")
CREATE = reverse("membership_create")
NEW_USER = reverse("user_create")
STRONG = "qingshan-river-2026-spring"


@pytest.fixture
def admin_client(personas):
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.force_login(personas["county_admin"])
    return client


@pytest.fixture
def newcomer(db):
    return make_user("newcomer", full_name="周新人")


def listed(response) -> set[tuple[str, str, str]]:
    return {(m.user.username, m.org.name, m.role) for m in response.context["listing"].page.object_list}


def delete_url(membership) -> str:
    return reverse("membership_delete", args=[membership.pk])


# --- who may open the pages ------------------------------------------------------------------------------------


@pytest.mark.parametrize("url_name", ["membership_list", "membership_create", "user_create", "membership_delete"])
def test_anonymous_is_sent_to_sign_in(personas, url_name):
    url = delete_url(Membership.objects.first()) if url_name == "membership_delete" else reverse(url_name)
    response = Client().get(url)
    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


@pytest.mark.parametrize("persona", ["township_clerk", "village_clerk_elsewhere", "reviewer", "leader"])
@pytest.mark.parametrize("url_name", ["membership_list", "membership_create", "user_create", "membership_delete"])
def test_people_without_the_administrator_role_get_403(client_for, personas, persona, url_name):
    own = Membership.objects.get(user=personas[persona])
    url = delete_url(own) if url_name == "membership_delete" else reverse(url_name)
    assert client_for(persona).get(url).status_code == 403
    assert client_for(persona).post(url, {}).status_code == 403
    assert Membership.objects.filter(pk=own.pk).exists()


def test_the_memberships_link_shows_only_to_administrators(client_for):
    assert f'href="{LIST}"' in client_for("county_admin").get(reverse("home")).content.decode()
    for persona in ("township_clerk", "reviewer", "leader", "village_clerk_elsewhere", "anonymous"):
        assert f'href="{LIST}"' not in client_for(persona).get(reverse("home")).content.decode(), persona


# --- the list --------------------------------------------------------------------------------------------------


def test_admin_sees_the_roles_in_their_subtree_only(admin_client):
    rows = listed(admin_client.get(LIST))
    assert ("township_clerk", "城关镇", "clerk") in rows
    assert ("county_admin", "青山县", "administrator") in rows
    assert ("reviewer", "青山县", "reviewer") in rows
    assert not any(user == "village_clerk_elsewhere" for user, _, _ in rows)


def test_list_filters_by_org_subtree_role_and_user(admin_client, tree, newcomer):
    membership_add(actor=None, user=newcomer, org=tree.village, role="recommender")
    assert listed(admin_client.get(LIST, {"org": tree.township.code})) == {
        ("township_clerk", "城关镇", "clerk"),
        ("newcomer", "东门村", "recommender"),
    }
    assert listed(admin_client.get(LIST, {"role": "leader"})) == {("leader", "青山县", "leader")}
    assert listed(admin_client.get(LIST, {"user": "周新"})) == {("newcomer", "东门村", "recommender")}
    assert listed(admin_client.get(LIST, {"user": "CLERK"})) == {("township_clerk", "城关镇", "clerk")}


def test_filtering_on_an_org_outside_the_subtree_shows_nothing(admin_client, tree):
    response = admin_client.get(LIST, {"org": tree.other_village.code})
    assert listed(response) == set()
    assert "No organisation you administer has this code." in response.content.decode()


def test_list_paginates(admin_client, tree):
    for n in range(55):
        make_user(f"villager{n:02d}", org=tree.village, role="clerk")
    first = admin_client.get(LIST, {"org": tree.village.code})
    second = admin_client.get(LIST, {"org": tree.village.code, "page": 2})
    assert len(first.context["listing"].page.object_list) == 50
    assert len(second.context["listing"].page.object_list) == 5
    assert "page=2" in first.content.decode()
    assert not listed(first) & listed(second)


def test_htmx_gets_only_the_results_fragment(admin_client):
    html = admin_client.get(LIST, {"role": "leader"}, HTTP_HX_REQUEST="true").content.decode()
    assert "leader" in html and "<html" not in html and 'role="search"' not in html


def test_list_runs_a_constant_number_of_queries(admin_client, tree, django_assert_num_queries):
    for n in range(3):
        make_user(f"few{n}", org=tree.village, role="clerk")
    with CaptureQueriesContext(connection) as few:
        admin_client.get(LIST, {"org": tree.county.code})
    # session, user, the admin's grants, the filter org, the count, the page
    assert len(few.captured_queries) == 6
    for n in range(40):
        make_user(f"many{n}", org=tree.community, role="clerk")
    with django_assert_num_queries(len(few.captured_queries)):
        response = admin_client.get(LIST, {"org": tree.county.code})
    assert len(response.context["listing"].page.object_list) == 3 + 40 + 4  # and the four personas of 青山县


# --- giving a role ---------------------------------------------------------------------------------------------


def test_county_admin_adds_a_clerk_to_a_village(admin_client, personas, tree, newcomer):
    response = admin_client.post(CREATE, {"username": "newcomer", "org_code": tree.village.code, "role": "clerk"})
    assert response.status_code == 302
    assert Membership.objects.filter(user=newcomer, org=tree.village, role="clerk").exists()
    event = AuditEvent.objects.get(action="orgs.membership.added")
    assert event.actor == personas["county_admin"] and event.org == tree.village
    page = admin_client.get(response.url)
    assert ("newcomer", "东门村", "clerk") in listed(page)
    assert "is now Clerk at 东门村" in page.content.decode()


def test_county_admin_cannot_add_a_role_in_the_other_county(admin_client, tree, newcomer):
    response = admin_client.post(CREATE, {"username": "newcomer", "org_code": tree.other_village.code, "role": "clerk"})
    assert response.status_code == 200
    assert response.context["form"].errors["org_code"] == [
        f"No organisation you administer has the code {tree.other_village.code}."
    ]
    assert not Membership.objects.filter(user=newcomer).exists()


@pytest.mark.parametrize("org_attr", ["other_village", "city", "province"])
def test_the_form_preset_to_an_org_above_or_beside_the_subtree_is_404(admin_client, tree, org_attr):
    assert admin_client.get(CREATE, {"org": getattr(tree, org_attr).code}).status_code == 404


def test_the_form_can_be_preset_to_an_org_in_the_subtree(admin_client, tree):
    response = admin_client.get(CREATE, {"org": tree.village.code})
    assert response.context["form"].initial["org_code"] == tree.village.code


def test_adding_names_an_unknown_user_and_a_duplicate_role(admin_client, tree, personas):
    response = admin_client.post(CREATE, {"username": "ghost", "org_code": tree.village.code, "role": "clerk"})
    assert response.context["form"].errors["username"] == ["No account has the user name ghost."]
    response = admin_client.post(
        CREATE, {"username": "township_clerk", "org_code": tree.township.code, "role": "clerk"}
    )
    assert "already holds this role" in response.context["form"].errors["role"][0]
    assert Membership.objects.filter(user=personas["township_clerk"]).count() == 1


def test_the_service_refuses_a_grant_outside_the_actors_scope(personas, tree, newcomer):
    with pytest.raises(DomainError) as refused:
        membership_add(actor=personas["county_admin"], user=newcomer, org=tree.city, role="administrator")
    assert refused.value.rule == "membership.scope"
    assert not Membership.objects.filter(user=newcomer).exists()


# --- taking a role away ----------------------------------------------------------------------------------------


def test_removing_asks_first_then_removes_on_post(admin_client, personas):
    membership = Membership.objects.get(user=personas["township_clerk"])
    page = admin_client.get(delete_url(membership))
    assert page.status_code == 200 and "Remove this role?" in page.content.decode()
    assert Membership.objects.filter(pk=membership.pk).exists()
    response = admin_client.post(delete_url(membership))
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert AuditEvent.objects.get(action="orgs.membership.removed").old["user"] == "township_clerk"


def test_a_role_in_the_other_county_is_404(admin_client, personas):
    elsewhere = Membership.objects.get(user=personas["village_clerk_elsewhere"])
    assert admin_client.get(delete_url(elsewhere)).status_code == 404
    assert admin_client.post(delete_url(elsewhere)).status_code == 404
    assert Membership.objects.filter(pk=elsewhere.pk).exists()


def test_admin_cannot_remove_their_own_last_administrator_role(admin_client, personas):
    own = Membership.objects.get(user=personas["county_admin"])
    response = admin_client.post(delete_url(own), follow=True)
    assert Membership.objects.filter(pk=own.pk).exists()
    assert "You cannot remove your own last administrator role" in response.content.decode()
    assert not AuditEvent.objects.filter(action="orgs.membership.removed").exists()


def test_admin_may_remove_an_administrator_role_they_hold_twice(personas, tree):
    admin = personas["county_admin"]
    extra = membership_add(actor=None, user=admin, org=tree.township, role="administrator")
    own = Membership.objects.get(user=admin, org=tree.county)
    membership_remove(actor=admin, membership=own)
    with pytest.raises(DomainError) as refused:
        membership_remove(actor=admin, membership=extra)
    assert refused.value.rule == "membership.last_admin"


# --- a new account with its first role -------------------------------------------------------------------------


def test_admin_creates_an_account_with_its_first_role(admin_client, tree):
    data = {"username": "dongmen_clerk", "full_name": "张三", "password": STRONG, "org_code": tree.village.code}
    response = admin_client.post(NEW_USER, {**data, "role": "clerk"})
    assert response.status_code == 302
    user = User.objects.get(username="dongmen_clerk")
    assert user.full_name == "张三" and user.check_password(STRONG)
    assert Membership.objects.filter(user=user, org=tree.village, role="clerk").exists()
    actions = list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))
    assert actions[-2:] == ["orgs.user.created", "orgs.membership.added"]
    assert ("dongmen_clerk", "东门村", "clerk") in listed(admin_client.get(response.url))
    assert "dongmen_clerk" in admin_client.get(NEW_USER).content.decode()  # among the newest accounts


def test_an_account_without_a_password_cannot_sign_in_yet(admin_client, tree):
    admin_client.post(
        NEW_USER, {"username": "nopass", "full_name": "无密码", "org_code": tree.village.code, "role": "clerk"}
    )
    assert not User.objects.get(username="nopass").has_usable_password()


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"password": "12345"}, "password"),  # refused by the validators, after the org was found
        ({"org_code": "990102001001"}, "org_code"),  # 白水村, the other county
        ({"username": "County_Admin"}, "username"),  # taken, whatever the case
        ({"username": "has space"}, "username"),
    ],
)
def test_a_refused_account_writes_nothing(admin_client, tree, changes, field):
    before = (User.objects.count(), Membership.objects.count(), AuditEvent.objects.count())
    data = {"username": "newbie", "full_name": "新人", "password": STRONG, "org_code": tree.village.code}
    response = admin_client.post(NEW_USER, {**data, "role": "clerk", **changes})
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert (User.objects.count(), Membership.objects.count(), AuditEvent.objects.count()) == before


def test_the_new_account_can_sign_in(admin_client, tree):
    data = {"username": "signer", "full_name": "签到", "password": STRONG, "org_code": tree.village.code}
    admin_client.post(NEW_USER, {**data, "role": "clerk"})
    response = Client().post(reverse("login"), {"username": "signer", "password": STRONG})
    assert response.status_code == 302


def test_factory_password_still_signs_in(personas):
    """The personas' shared password works through the lockout backend (guards the test fixtures)."""
    assert Client().login(username="county_admin", password=PASSWORD)


def test_an_administrator_sees_a_locked_account_and_unlocks_it(tree, personas, client_for, settings):
    from django.contrib.auth import authenticate

    from fazhi.core.models import AuditEvent
    from fazhi.orgs.accounts import LoginRefused, login_attempt
    from tests.factories import PASSWORD

    for _ in range(settings.FAZHI_LOGIN_MAX_FAILURES):
        with pytest.raises(LoginRefused):
            login_attempt(username="township_clerk", password="wrong", ip=None)
    admin = client_for("county_admin")
    listing = admin.get(reverse("membership_list"), headers={"Accept-Language": "en"}).content.decode()
    assert "locked" in listing and reverse("user_unlock", args=[personas["township_clerk"].pk]) in listing
    response = admin.post(reverse("user_unlock", args=[personas["township_clerk"].pk]))
    assert response.status_code == 302
    assert authenticate(username="township_clerk", password=PASSWORD) is not None
    assert AuditEvent.objects.filter(action="auth.login.unlocked", actor=personas["county_admin"]).exists()
