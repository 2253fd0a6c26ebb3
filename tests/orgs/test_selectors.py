import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from fazhi.orgs import selectors
from fazhi.orgs.codes import make_uscc
from fazhi.orgs.models import Membership, User
from fazhi.orgs.services import org_create, org_set_active
from tests.factories import make_user


def names(orgs):
    return [org.name for org in orgs]


def add_villages(township, count, *, start=3, name="新村"):
    return [
        org_create(actor=None, name=f"{name}{i}", kind="village", code=f"{township.code}{i:03d}", parent=township)
        for i in range(start, start + count)
    ]


@pytest.fixture
def superuser(db):
    return User.objects.create_superuser("root", password="x-unused-password-1")


# Roots -------------------------------------------------------------------------------------------


def test_roots_are_the_scope_roots_with_their_child_counts(tree, personas):
    roots = selectors.org_roots_for_user(user=personas["county_admin"])
    assert names(roots) == ["青山县"]
    assert roots[0].child_count == 4  # two townships, the justice bureau, the school
    assert names(selectors.org_roots_for_user(user=personas["township_clerk"])) == ["城关镇"]
    assert names(selectors.org_roots_for_user(user=personas["village_clerk_elsewhere"])) == ["白水村"]


def test_a_superusers_roots_are_the_provinces(tree, superuser):
    roots = selectors.org_roots_for_user(user=superuser)
    assert names(roots) == ["东川省"]
    assert roots[0].child_count == 1


def test_a_role_inside_another_roles_subtree_adds_no_second_root(tree, personas):
    Membership.objects.create(user=personas["county_admin"], org=tree.township, role="clerk")
    user = User.objects.get(pk=personas["county_admin"].pk)
    assert names(selectors.org_roots_for_user(user=user)) == ["青山县"]


def test_a_user_without_roles_has_no_roots(tree):
    assert selectors.org_roots_for_user(user=make_user("nobody")) == []


# Children ----------------------------------------------------------------------------------------


def test_children_list_areas_by_code_then_units_by_name(tree):
    page = selectors.org_children_page(parent=tree.county)
    assert names(page.orgs) == ["城关镇", "河口镇", "青山县司法局", "青山县第一中学"]
    assert [org.child_count for org in page.orgs] == [3, 1, 0, 0]
    assert not page.has_more


def test_hiding_inactive_children_also_leaves_them_out_of_the_counts(tree):
    org_set_active(actor=None, org=tree.community, active=False)
    shown = selectors.org_children_page(parent=tree.township)
    assert "西街社区" in names(shown.orgs)
    hidden = selectors.org_children_page(parent=tree.township, include_inactive=False)
    assert "西街社区" not in names(hidden.orgs)
    county = selectors.org_children_page(parent=tree.county, include_inactive=False)
    assert county.orgs[0].name == "城关镇"
    assert county.orgs[0].child_count == 2


def test_children_come_in_pages_in_one_query_each(tree, django_assert_num_queries):
    add_villages(tree.township2, 6)
    with django_assert_num_queries(1):
        first = selectors.org_children_page(parent=tree.township2, per_page=5)
    assert names(first.orgs) == ["河口村", "新村3", "新村4", "新村5", "新村6"]
    assert first.has_more and first.next_number == 2
    second = selectors.org_children_page(parent=tree.township2, page=2, per_page=5)
    assert names(second.orgs) == ["新村7", "新村8"]
    assert not second.has_more


# Search ------------------------------------------------------------------------------------------


def test_search_finds_names_containing_the_text_within_scope(tree, personas):
    found = selectors.org_search(user=personas["county_admin"], query="司法局")
    assert names(found) == ["青山县司法局"]  # 白水县司法局 lies outside the county admin's scope
    assert names(selectors.org_search(user=personas["village_clerk_elsewhere"], query="司法局")) == []


def test_search_matches_codes_by_prefix_only(tree, personas):
    admin = personas["county_admin"]
    assert names(selectors.org_search(user=admin, query="990101001")) == ["城关镇", "东门村", "西街社区"]
    assert names(selectors.org_search(user=admin, query="0101001")) == []
    uscc = tree.justice_bureau.code
    assert names(selectors.org_search(user=admin, query=uscc[:17].lower())) == ["青山县司法局"]


def test_search_is_paginated_and_an_empty_query_finds_nothing(tree, personas):
    add_villages(tree.township, 5)
    page = selectors.org_search(user=personas["county_admin"], query="新村", per_page=2, page=3)
    assert page.paginator.count == 5
    assert names(page) == ["新村7"]
    assert selectors.org_search(user=personas["county_admin"], query="  ") is None


def test_search_results_carry_their_ancestors_from_one_extra_query(tree, personas):
    add_villages(tree.township, 10)
    user = User.objects.get(pk=personas["county_admin"].pk)
    with CaptureQueriesContext(connection) as queries:
        page = selectors.org_search(user=user, query="新村")
        crumbs = [[a.name for a in org.ancestors] for org in page]
    # grants, count, page, ancestors
    assert len(queries) == 4
    assert crumbs == [["东川省", "云溪市", "青山县", "城关镇"]] * 10
    first = page[0].ancestors
    assert [a.viewable for a in first] == [False, False, True, True]


# Moving: candidates and codes -----------------------------------------------------------------


def test_move_candidates_are_changeable_parents_of_the_right_kind(tree, personas):
    admin = personas["county_admin"]
    # A village may only hang under a township; its current township and other counties are left out.
    assert names(selectors.org_parent_candidates(user=admin, org=tree.village2, query="镇")) == ["城关镇"]
    # A unit may hang under any organisation, but not under itself or what lies below it.
    sub = org_create(
        actor=None, name="法治科", kind="department", code=make_uscc("department", "990101", 5), parent=tree.school
    )
    found = names(selectors.org_parent_candidates(user=admin, org=tree.school, query="990101"))
    assert "城关镇" in found and "东门村" in found
    assert sub.name not in found and "青山县" not in found  # own subtree; current parent


def test_a_clerk_has_no_move_candidates(tree, personas):
    assert selectors.org_parent_candidates(user=personas["township_clerk"], org=tree.village, query="村") == []


def test_find_by_code_hides_organisations_outside_the_scope(tree, personas):
    admin = personas["county_admin"]
    assert selectors.org_find_by_code(user=admin, code=" 990101002 ") == tree.township2
    assert selectors.org_find_by_code(user=admin, code=tree.justice_bureau.code.lower()) == tree.justice_bureau
    assert selectors.org_find_by_code(user=admin, code="990102001") is None  # exists, but in 白水县
    assert selectors.org_find_by_code(user=personas["township_clerk"], code="990101001001") is None  # view only


# Detail ------------------------------------------------------------------------------------------


def test_counts_cover_children_and_the_whole_subtree(tree):
    org_set_active(actor=None, org=tree.village, active=False)
    counts = selectors.org_counts(org=tree.county)
    assert (counts.children, counts.active_children) == (4, 4)
    assert (counts.descendants, counts.active_descendants) == (8, 7)
    township = selectors.org_counts(org=tree.township)
    assert (township.children, township.inactive_children) == (3, 1)


def test_overview_shows_audit_events_only_to_those_who_may_read_the_log(tree, personas):
    org_set_active(actor=personas["county_admin"], org=tree.village, active=False)
    admin_view = selectors.org_overview(user=personas["county_admin"], org=tree.village)
    assert admin_view.show_events
    assert [e.action for e in admin_view.recent_events] == ["orgs.org.deactivated", "orgs.org.created"]
    clerk_view = selectors.org_overview(user=personas["township_clerk"], org=tree.village)
    assert not clerk_view.show_events and clerk_view.recent_events == []
    assert [a.name for a in clerk_view.org.ancestors][-1] == "城关镇"


def test_memberships_are_those_held_at_the_organisation_itself(tree, personas):
    held = selectors.org_memberships(org=tree.county)
    assert sorted((str(m.user), m.role) for m in held) == [
        ("刘领导", "leader"),
        ("王管理", "administrator"),
        ("陈专家", "reviewer"),
    ]
    assert [str(m.user) for m in selectors.org_memberships(org=tree.township)] == ["李填报"]
    assert selectors.org_memberships(org=tree.village) == []
