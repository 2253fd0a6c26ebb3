"""Signing in (argon2, lockout, audit), signing out and changing one's password."""

import datetime as dt
from unittest import mock

import pytest
from django.contrib.auth import authenticate
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from fazhi.core.audit import audit_verify
from fazhi.core.models import AuditEvent
from fazhi.orgs.accounts import LoginRefused, login_attempt, user_unlock
from fazhi.orgs.models import User
from tests.factories import PASSWORD, make_user

LOGIN = reverse("login")
WRONG = "not-the-password"
ARGON2 = "django.contrib.auth.hashers.Argon2PasswordHasher"


@pytest.fixture
def clerk(db):
    return make_user("clerk1", full_name="孙填报")


def english(**extra) -> Client:
    """A browser asking for English, so that tests read the English messages whatever the catalogue says."""
    return Client(HTTP_ACCEPT_LANGUAGE="en", **extra)


def post_login(client, username, password, **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def events(action, **filters):
    return AuditEvent.objects.filter(action=action, **filters).order_by("seq")


def stored(user):
    return User.objects.get(pk=user.pk)


def later(minutes):
    """Patch the clock ``minutes`` ahead of now."""
    return mock.patch("django.utils.timezone.now", return_value=timezone.now() + dt.timedelta(minutes=minutes))


# --- hashing ---------------------------------------------------------------------------------------------------


def test_production_settings_put_argon2_first():
    import fazhi.settings

    assert fazhi.settings.PASSWORD_HASHERS[0] == ARGON2


def test_a_password_set_under_the_production_hashers_is_stored_as_argon2(db):
    import fazhi.settings

    with override_settings(PASSWORD_HASHERS=fazhi.settings.PASSWORD_HASHERS):
        user = make_user("argon_user")
        user.set_password("ein-langes-Passwort-42")
        user.save()
        assert stored(user).password.startswith("argon2$")
        assert login_attempt(username="argon_user", password="ein-langes-Passwort-42") == user


# --- the sign-in page ------------------------------------------------------------------------------------------


def test_login_page_is_chinese_first_and_a_bootstrap_card(db):
    response = Client().get(LOGIN)
    html = response.content.decode()
    assert response.status_code == 200
    assert 'lang="zh-hans"' in html
    assert 'class="card' in html
    assert 'name="username"' in html and 'type="password"' in html


def test_right_password_signs_in_and_is_audited_with_the_ip(clerk):
    client = english(REMOTE_ADDR="10.1.2.3")
    response = post_login(client, "clerk1", PASSWORD)
    assert response.status_code == 302 and response.url == reverse("home")
    assert client.get(reverse("home")).context["user"] == clerk
    event = events("auth.login.succeeded").get()
    assert (event.actor, event.object_id, event.ip) == (clerk, str(clerk.pk), "10.1.2.3")


def test_login_follows_a_local_next_and_ignores_a_foreign_one(clerk):
    response = post_login(english(), "clerk1", PASSWORD, next="/orgs/?q=1")
    assert response.url == "/orgs/?q=1"
    response = post_login(english(), "clerk1", PASSWORD, next="https://evil.example/")
    assert response.url == reverse("home")


def test_the_next_page_is_kept_in_the_form(db):
    html = english().get(LOGIN, {"next": "/memberships/"}).content.decode()
    assert 'name="next" value="/memberships/"' in html


def test_wrong_password_says_so_and_counts(clerk):
    response = post_login(english(), "clerk1", WRONG)
    assert response.status_code == 200
    assert "Wrong user name or password." in response.content.decode()
    assert "_auth_user_id" not in response.client.session
    assert stored(clerk).failed_logins == 1
    event = events("auth.login.failed").get()
    assert (event.actor, event.object_id, event.new["reason"]) == (None, str(clerk.pk), "wrong_password")
    assert event.ip == "127.0.0.1"


def test_unknown_user_gets_the_same_answer_as_a_wrong_password_and_is_never_locked(db, settings):
    settings.FAZHI_LOGIN_MAX_FAILURES = 2
    for _ in range(4):
        response = post_login(english(), "nobody", WRONG)
        assert "Wrong user name or password." in response.content.decode()
        assert "This account is locked" not in response.content.decode()
    assert not User.objects.filter(username="nobody").exists()
    failed = events("auth.login.failed")
    assert failed.count() == 4
    assert failed.first().object_repr == "no****" and failed.first().new["reason"] == "unknown_user"
    assert not events("auth.login.locked").exists()


def test_lockout_sequence_with_the_default_settings(clerk):
    client = english()
    for attempt in range(1, 5):
        body = post_login(client, "clerk1", WRONG).content.decode()
        assert "Wrong user name or password." in body
        assert stored(clerk).failed_logins == attempt
    assert stored(clerk).locked_until is None

    body = post_login(client, "clerk1", WRONG).content.decode()  # the fifth
    locked = stored(clerk)
    assert locked.failed_logins == 5
    expected = timezone.now() + dt.timedelta(minutes=15)
    assert abs(locked.locked_until - expected) < dt.timedelta(seconds=30)
    assert "This account is locked" in body
    assert timezone.localtime(locked.locked_until).strftime("%Y-%m-%d %H:%M") in body

    # Even the right password is refused while the lock lasts, and the session stays anonymous.
    response = post_login(client, "clerk1", PASSWORD)
    assert "This account is locked" in response.content.decode()
    assert "_auth_user_id" not in client.session
    assert stored(clerk).locked_until == locked.locked_until

    assert events("auth.login.failed", new__reason="wrong_password").count() == 5
    lock_event = events("auth.login.locked").get()
    assert lock_event.object_id == str(clerk.pk) and lock_event.ip == "127.0.0.1"
    assert events("auth.login.failed", new__reason="locked").count() == 1
    assert not events("auth.login.succeeded").exists()
    assert audit_verify().ok


def test_the_lock_expires(clerk, settings):
    settings.FAZHI_LOGIN_MAX_FAILURES = 3
    settings.FAZHI_LOGIN_LOCKOUT_MINUTES = 10
    for _ in range(3):
        post_login(english(), "clerk1", WRONG)
    with later(9), pytest.raises(LoginRefused) as refused:
        login_attempt(username="clerk1", password=PASSWORD)
    assert refused.value.rule == "auth.locked"
    with later(11):
        assert login_attempt(username="clerk1", password=PASSWORD) == clerk
    assert (stored(clerk).failed_logins, stored(clerk).locked_until) == (0, None)


def test_after_the_lock_expires_one_wrong_password_does_not_lock_again(clerk, settings):
    settings.FAZHI_LOGIN_MAX_FAILURES = 3
    for _ in range(3):
        post_login(english(), "clerk1", WRONG)
    with later(16), pytest.raises(LoginRefused) as refused:
        login_attempt(username="clerk1", password=WRONG)
    assert refused.value.rule == "auth.invalid"
    assert stored(clerk).failed_logins == 1


def test_the_counter_persists_although_the_attempt_raises(clerk):
    """The refusal is raised after the counter's transaction: the exception does not roll it back."""
    for attempt in (1, 2):
        with pytest.raises(LoginRefused):
            login_attempt(username="clerk1", password=WRONG, ip="192.0.2.7")
        assert stored(clerk).failed_logins == attempt
    assert events("auth.login.failed").last().ip == "192.0.2.7"


def test_a_successful_login_resets_the_counter(clerk, settings):
    settings.FAZHI_LOGIN_MAX_FAILURES = 3
    client = english()
    post_login(client, "clerk1", WRONG)
    post_login(client, "clerk1", WRONG)
    assert post_login(client, "clerk1", PASSWORD).status_code == 302
    assert stored(clerk).failed_logins == 0
    post_login(english(), "clerk1", WRONG)
    post_login(english(), "clerk1", WRONG)
    assert stored(clerk).locked_until is None
    assert post_login(english(), "clerk1", PASSWORD).status_code == 302


def test_authenticate_goes_through_the_lockout_too(clerk, settings):
    """Any sign-in path that uses Django's authenticate() counts failures and respects the lock."""
    settings.FAZHI_LOGIN_MAX_FAILURES = 2
    assert authenticate(username="clerk1", password=WRONG) is None
    assert authenticate(username="clerk1", password=WRONG) is None
    assert stored(clerk).locked_until is not None
    assert authenticate(username="clerk1", password=PASSWORD) is None
    assert not english().login(username="clerk1", password=PASSWORD)


def test_an_administrator_can_lift_a_lock(clerk, settings):
    settings.FAZHI_LOGIN_MAX_FAILURES = 1
    post_login(english(), "clerk1", WRONG)
    user_unlock(actor=None, user=clerk)
    assert login_attempt(username="clerk1", password=PASSWORD) == clerk
    assert events("auth.login.unlocked").get().old["failed_logins"] == 1


def test_an_inactive_account_cannot_sign_in(clerk):
    User.objects.filter(pk=clerk.pk).update(is_active=False)
    body = post_login(english(), "clerk1", PASSWORD).content.decode()
    assert "Wrong user name or password." in body
    assert events("auth.login.failed").get().new["reason"] == "inactive"


def test_an_empty_form_shows_field_errors_and_records_nothing(db):
    response = english().post(LOGIN, {"username": "", "password": ""})
    assert response.status_code == 200
    assert response.context["form"].errors.keys() == {"username", "password"}
    assert not AuditEvent.objects.exists()


# --- signing out -----------------------------------------------------------------------------------------------


def test_logout_needs_a_post(clerk):
    client = english()
    client.force_login(clerk)
    assert client.get(reverse("logout")).status_code == 405
    assert "_auth_user_id" in client.session
    response = client.post(reverse("logout"))
    assert response.status_code == 302 and response.url == reverse("login")
    assert "_auth_user_id" not in client.session


# --- changing one's password -----------------------------------------------------------------------------------

NEW = "qingshan-river-2026-spring"


def change(client, old, new, again=None):
    return client.post(
        reverse("password_change"), {"old_password": old, "new_password": new, "new_password_again": again or new}
    )


@pytest.fixture
def signed_in(clerk):
    client = english()
    client.force_login(clerk)
    return client


def test_password_change_needs_a_signed_in_user(db):
    response = english().get(reverse("password_change"))
    assert response.status_code == 302 and response.url.startswith(LOGIN)


def test_password_change_works_keeps_the_session_and_is_audited(signed_in, clerk):
    response = change(signed_in, PASSWORD, NEW)
    assert response.status_code == 302
    page = signed_in.get(response.url)
    assert page.context["user"] == clerk  # still signed in with the new session hash
    assert "Your password has been changed." in page.content.decode()
    assert stored(clerk).check_password(NEW)
    event = events("auth.password.changed").get()
    assert event.actor == clerk and "password" not in (event.new or {})


def test_password_change_needs_the_old_password(signed_in, clerk):
    response = change(signed_in, WRONG, NEW)
    assert response.context["form"].errors["old_password"] == ["Your old password was entered incorrectly."]
    assert stored(clerk).check_password(PASSWORD)
    assert not events("auth.password.changed").exists()


def test_password_change_applies_the_validators(signed_in, clerk):
    response = change(signed_in, PASSWORD, "12345678")
    errors = " ".join(response.context["form"].errors["new_password"])
    assert "too short" in errors and "too common" in errors
    assert stored(clerk).check_password(PASSWORD)


def test_password_change_refuses_two_different_new_passwords(signed_in, clerk):
    response = change(signed_in, PASSWORD, NEW, again=NEW + "x")
    assert "new_password_again" in response.context["form"].errors
    assert stored(clerk).check_password(PASSWORD)


# --- concurrency -----------------------------------------------------------------------------------------------


@pytest.mark.postgres_only
@pytest.mark.django_db(transaction=True)
def test_concurrent_wrong_passwords_are_each_counted(settings):
    """Eight attempts at once on PostgreSQL: the row lock makes each count (no lost update)."""
    from concurrent.futures import ThreadPoolExecutor

    from django.db import connection, connections

    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL (SQLite serialises writers with BEGIN IMMEDIATE)")
    settings.FAZHI_LOGIN_MAX_FAILURES = 100
    user = make_user("racer")

    def wrong(_):
        try:
            login_attempt(username="racer", password=WRONG)
        except LoginRefused:
            pass
        finally:
            connections.close_all()

    with ThreadPoolExecutor(max_workers=8) as pool:
        list(pool.map(wrong, range(8)))
    assert stored(user).failed_logins == 8
    assert events("auth.login.failed").count() == 8
    assert audit_verify().ok
