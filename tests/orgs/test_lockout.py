"""The pure lockout rule: what one sign-in attempt does to an account's counter."""

import datetime as dt

from fazhi.orgs.lockout import Outcome, login_verdict

NOW = dt.datetime(2026, 3, 1, 9, 0, tzinfo=dt.UTC)
RULE = {"max_failures": 3, "lockout": dt.timedelta(minutes=15)}


def attempt(failures, locked_until, password_ok, now=NOW):
    return login_verdict(failures=failures, locked_until=locked_until, password_ok=password_ok, now=now, **RULE)


def test_wrong_passwords_count_up_and_the_last_allowed_one_locks():
    assert attempt(0, None, False).outcome is Outcome.FAILED
    assert attempt(1, None, False).failures == 2
    verdict = attempt(2, None, False)
    assert verdict.outcome is Outcome.LOCKED_NOW
    assert verdict.locked_until == NOW + dt.timedelta(minutes=15)


def test_a_locked_account_refuses_the_right_password_and_the_lock_is_not_extended():
    until = NOW + dt.timedelta(minutes=5)
    verdict = attempt(3, until, True)
    assert (verdict.outcome, verdict.locked_until, verdict.signs_in) == (Outcome.LOCKED, until, False)
    assert attempt(3, until, False).locked_until == until


def test_after_the_lock_ends_the_count_starts_again():
    ended = NOW - dt.timedelta(seconds=1)
    assert attempt(3, ended, True).outcome is Outcome.SUCCEEDED
    wrong = attempt(3, ended, False)
    assert (wrong.outcome, wrong.failures, wrong.locked_until) == (Outcome.FAILED, 1, None)


def test_the_lock_ends_exactly_at_its_time():
    assert attempt(3, NOW, True).outcome is Outcome.SUCCEEDED


def test_success_resets_the_count():
    verdict = attempt(2, None, True)
    assert (verdict.outcome, verdict.failures, verdict.locked_until) == (Outcome.SUCCEEDED, 0, None)
