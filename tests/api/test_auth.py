"""Token auth: a key works until it is revoked; a wrong key, no key or an inactive user gets 401."""

import pytest
from django.test import Client

from fazhi.core.errors import DomainError
from fazhi.core.models import AuditEvent
from fazhi.orgs.models import ApiToken
from fazhi.orgs.tokens import api_token_create, api_token_revoke

URL = "/api/v1/orgs/990101"


def bearer(key: str) -> Client:
    return Client(headers={"Authorization": f"Bearer {key}"})


@pytest.mark.django_db
def test_a_created_key_works_and_is_never_stored(personas):
    user = personas["county_admin"]
    token, key = api_token_create(actor=user, user=user, name="统计脚本")
    assert key.startswith("fz_") and len(key) > 50
    stored = ApiToken.objects.values_list("prefix", "key_hash").get(pk=token.pk)
    assert key not in "".join(stored) and stored[0] == key[:8]
    response = bearer(key).get(URL)
    assert response.status_code == 200
    assert response.json()["name"] == "青山县"
    token.refresh_from_db()
    assert token.last_used_at is not None
    event = AuditEvent.objects.get(action="orgs.api_token.created")
    assert event.actor == user and key not in str(event.new)


@pytest.mark.django_db
def test_a_revoked_key_is_refused(personas):
    user = personas["county_admin"]
    token, key = api_token_create(actor=user, user=user, name="统计脚本")
    assert bearer(key).get(URL).status_code == 200
    api_token_revoke(actor=user, token=token)
    response = bearer(key).get(URL)
    assert response.status_code == 401
    assert AuditEvent.objects.filter(action="orgs.api_token.revoked", object_id=str(token.pk)).exists()
    with pytest.raises(DomainError):
        api_token_revoke(actor=user, token=token)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "header",
    ["", "Bearer ", "Bearer fz_wrong-key-of-some-length-0000000000000000000000000000", "Token {key}", "Bearer {key}x"],
)
def test_a_missing_or_wrong_key_is_refused(personas, header):
    _, key = api_token_create(actor=None, user=personas["county_admin"], name="统计脚本")
    headers = {"Authorization": header.format(key=key)} if header else {}
    response = Client(headers=headers).get(URL)
    assert response.status_code == 401
    assert response.json() == {"detail": "Unauthorized"}


@pytest.mark.django_db
def test_an_inactive_users_key_is_refused(personas):
    user = personas["county_admin"]
    _, key = api_token_create(actor=None, user=user, name="统计脚本")
    user.is_active = False
    user.save()
    assert bearer(key).get(URL).status_code == 401


@pytest.mark.django_db
def test_no_token_for_an_inactive_user_or_without_a_name(personas):
    user = personas["leader"]
    with pytest.raises(DomainError) as error:
        api_token_create(actor=None, user=user, name="  ")
    assert error.value.rule == "api_token.name"
    user.is_active = False
    user.save()
    with pytest.raises(DomainError) as error:
        api_token_create(actor=None, user=user, name="脚本")
    assert error.value.rule == "api_token.inactive_user"


@pytest.mark.django_db
def test_a_signed_in_browser_may_use_the_api_with_its_session(client_for):
    assert client_for("township_clerk").get("/api/v1/orgs/990101001").status_code == 200
    assert client_for("anonymous").get("/api/v1/orgs/990101001").status_code == 401
