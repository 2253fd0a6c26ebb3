"""The read-only organisation endpoints, scoped per persona like the pages."""

import pytest

from tests.factories import PERSONAS

# Organisation code → status per persona (PERSONAS order); 404 outside the persona's scope.
CASES = [
    ("990101", (200, 404, 404, 200, 200, 401)),  # 青山县: the township clerk sees only 城关镇 below it
    ("990101001", (200, 200, 404, 200, 200, 401)),  # 城关镇
    ("990102001001", (404, 404, 200, 404, 404, 401)),  # 白水村, in the other county
    ("990100", (404, 404, 404, 404, 404, 401)),  # 云溪市, above everyone
    ("000000", (404, 404, 404, 404, 404, 401)),  # no such organisation
]


@pytest.mark.parametrize(("code", "statuses"), CASES)
def test_org_is_scoped_per_persona(api_client, code, statuses):
    got = {p: api_client(p).get(f"/api/v1/orgs/{code}").status_code for p in PERSONAS}
    assert got == dict(zip(PERSONAS, statuses, strict=True))


@pytest.mark.parametrize(("code", "statuses"), CASES)
def test_org_children_are_scoped_per_persona(api_client, code, statuses):
    got = {p: api_client(p).get(f"/api/v1/orgs/{code}/children").status_code for p in PERSONAS}
    assert got == dict(zip(PERSONAS, statuses, strict=True))


def test_org_shows_its_fields(api_client):
    body = api_client("township_clerk").get("/api/v1/orgs/990101001").json()
    assert body == {
        "id": body["id"],
        "code": "990101001",
        "name": "城关镇",
        "kind": "township",
        "level": 4,
        "is_active": True,
        "parent": "990101",
    }


def test_org_children_lists_the_direct_children(api_client, tree):
    body = api_client("county_admin").get("/api/v1/orgs/990101001/children").json()
    assert body["org"] == "990101001" and body["page"] == 1 and body["has_more"] is False
    assert sorted(child["name"] for child in body["children"]) == sorted(
        [tree.village.name, tree.community.name, tree.township_office.name]
    )
