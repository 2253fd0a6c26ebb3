"""The demo city: its shape, its codes, its audit trail, and accounts that sign in with the documented passwords."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest
from django.test import Client
from django.urls import reverse

from fazhi.core.audit import audit_verify
from fazhi.core.errors import DomainError
from fazhi.core.models import AuditEvent
from fazhi.demo.city import ACCOUNTS, CITY, PROVINCE, demo_accounts, demo_city_load
from fazhi.orgs import roles, rules
from fazhi.orgs.access import has_capability
from fazhi.orgs.models import Membership, Org, User, path_segment

DEMO_DOC = Path(__file__).resolve().parents[2] / "docs" / "demo.md"


@pytest.fixture
def city(db):
    return demo_city_load()


def by_name(name: str) -> Org:
    return Org.objects.get(name=name)


def documented_accounts() -> dict[str, str]:
    """user name → password, from the accounts table of docs/demo.md."""
    rows = re.findall(r"^\| `([a-z_]+)` \| `([^`]+)` \|", DEMO_DOC.read_text(), flags=re.MULTILINE)
    return dict(rows)


def test_the_city_has_three_counties_each_with_departments_townships_villages_schools_and_enterprises(city):
    city_org = Org.objects.get(code=CITY[1], name=CITY[0])
    assert city_org.parent.code == PROVINCE[1]
    counties = list(Org.objects.filter(parent=city_org, kind="county"))
    assert len(counties) == 3
    for county in counties:
        children = Counter(Org.objects.filter(parent=county).values_list("kind", flat=True))
        assert children["township"] >= 3
        assert children["school"] >= 1
        assert children["enterprise"] >= 1
        departments = set(Org.objects.filter(parent=county, kind="department").values_list("name", flat=True))
        for bureau in ("司法局", "公安局", "市场监督管理局", "生态环境局", "教育局"):
            assert county.name + bureau in departments
        villages = Org.objects.filter(parent__parent=county, kind__in=("village", "community"))
        assert villages.count() >= 10
    kinds = Counter(Org.objects.values_list("kind", flat=True))
    assert kinds["township"] == 11
    assert kinds["village"] + kinds["community"] == 43
    assert city.orgs == Org.objects.count() == 153


def test_every_code_is_valid_for_its_kind_and_begins_with_its_parents_digits(city):
    for org in Org.objects.select_related("parent"):
        parent = org.parent
        parent_kind, parent_code = (parent.kind, parent.code) if parent else (None, None)
        assert rules.placement_problem(org.kind, parent_kind) is None, org
        assert rules.code_problem(org.kind, org.code, parent_kind=parent_kind, parent_code=parent_code) is None, (
            org.name,
            org.code,
        )


def test_paths_depths_and_levels_are_those_of_the_tree(city):
    for org in Org.objects.select_related("parent"):
        parent = org.parent
        assert org.path == (parent.path if parent else "") + path_segment(org.pk)
        assert org.depth == (parent.depth + 1 if parent else 1)
        assert org.level == rules.level_of(org.kind, parent.level if parent else None)


def test_townships_are_numbered_by_kind_and_communities_apart_from_villages(city):
    assert by_name("城东街道").code == "980102001"
    assert by_name("柳城镇").code == "980121101"
    assert by_name("白鹭乡").code == "980121201"
    assert by_name("城关社区").code == "980121101001"
    assert by_name("柳林村").code == "980121101201"


def test_every_organisation_and_account_was_created_through_the_audited_services(city):
    created = set(AuditEvent.objects.filter(action="orgs.org.created").values_list("object_id", flat=True))
    assert created == {str(pk) for pk in Org.objects.values_list("pk", flat=True)}
    assert AuditEvent.objects.filter(action="orgs.user.created").count() == len(ACCOUNTS)
    assert audit_verify().ok


def test_every_documented_account_signs_in_with_its_documented_password(city):
    documented = documented_accounts()
    assert set(documented) == {account.username for account in ACCOUNTS}
    for username, password in documented.items():
        client = Client()
        response = client.post(reverse("login"), {"username": username, "password": password})
        assert response.status_code == 302, f"{username} could not sign in"
        assert client.session.get("_auth_user_id") == str(User.objects.get(username=username).pk)


def test_the_documented_passwords_are_the_ones_the_loader_sets(city):
    assert documented_accounts() == {account.username: account.password for account in ACCOUNTS}


def test_each_persona_holds_its_role_over_its_organisation_only(city):
    memberships = {m.user.username: (m.org.name, m.role) for m in Membership.objects.select_related("user", "org")}
    for account in ACCOUNTS:
        if account.role is None:
            assert account.username not in memberships
            assert User.objects.get(username=account.username).is_superuser
        else:
            assert memberships[account.username] == (account.org_name, account.role)
    county_admin = User.objects.get(username="county_admin")
    assert has_capability(county_admin, roles.ORG_CHANGE, by_name("柳林村"))
    assert not has_capability(county_admin, roles.ORG_VIEW, by_name("青岚区"))
    city_admin = User.objects.get(username="city_admin")
    assert has_capability(city_admin, roles.ORG_CHANGE, by_name("青岚区"))


def test_demo_accounts_lists_each_account_with_its_user(city):
    pairs = demo_accounts()
    assert [account.username for account, _user in pairs] == [account.username for account in ACCOUNTS]
    assert all(user is not None and user.username == account.username for account, user in pairs)


def test_loading_twice_is_refused_and_writes_nothing(city):
    orgs, events = Org.objects.count(), AuditEvent.objects.count()
    with pytest.raises(DomainError):
        demo_city_load()
    assert (Org.objects.count(), AuditEvent.objects.count()) == (orgs, events)


def test_the_demo_city_does_not_clash_with_the_test_tree(tree):
    demo_city_load()
    assert Org.objects.filter(kind="province").count() == 2
