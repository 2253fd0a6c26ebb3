"""The API keys page: a user makes a key (shown once), sees their own keys only, and revokes one."""

from django.test import Client

from fazhi.orgs.models import ApiToken
from fazhi.orgs.tokens import api_token_create


def test_create_a_key_shown_once_that_works_then_revoke_it(client_for):
    page = client_for("township_clerk")
    response = page.post("/accounts/api-tokens/", {"name": "报表脚本"})
    assert response.status_code == 200
    key = response.context["key"]
    assert key and key in response.content.decode()
    program = Client(headers={"Authorization": f"Bearer {key}"})
    assert program.get("/api/v1/orgs/990101001").status_code == 200

    listing = page.get("/accounts/api-tokens/").content.decode()
    assert "报表脚本" in listing and key[:8] in listing and key not in listing

    token = ApiToken.objects.get(name="报表脚本")
    response = page.post(f"/accounts/api-tokens/{token.pk}/revoke/")
    assert response.status_code == 302
    assert program.get("/api/v1/orgs/990101001").status_code == 401


def test_a_key_needs_a_name(client_for):
    response = client_for("leader").post("/accounts/api-tokens/", {"name": ""})
    assert response.status_code == 200 and response.context["key"] is None
    assert response.context["form"].errors["name"]
    assert not ApiToken.objects.exists()


def test_nobody_sees_or_revokes_anothers_key(client_for, personas):
    token, key = api_token_create(actor=None, user=personas["county_admin"], name="管理员的脚本")
    other = client_for("leader")
    assert "管理员的脚本" not in other.get("/accounts/api-tokens/").content.decode()
    assert other.post(f"/accounts/api-tokens/{token.pk}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None
