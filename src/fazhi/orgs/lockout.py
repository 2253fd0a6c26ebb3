"""The sign-in lockout rule, as a pure function over an account's counter. No Django.

An account holds a count of wrong passwords in a row and, once locked, the time the lock ends.
:func:`login_verdict` says what one sign-in attempt does to them. The service
(:func:`fazhi.orgs.accounts.login_attempt`) reads the account under a row lock, asks this
function, and writes back what it answers.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from enum import StrEnum


class Outcome(StrEnum):
    SUCCEEDED = "succeeded"  # right password, not locked: sign in, counter back to zero
    FAILED = "failed"  # wrong password, still below the limit
    LOCKED_NOW = "locked_now"  # wrong password that reached the limit: the lock starts
    LOCKED = "locked"  # the account was already locked: refused whatever the password


@dataclass(frozen=True)
class Verdict:
    outcome: Outcome
    failures: int  # the counter to store
    locked_until: dt.datetime | None  # the lock to store

    @property
    def signs_in(self) -> bool:
        return self.outcome is Outcome.SUCCEEDED


def is_locked(locked_until: dt.datetime | None, now: dt.datetime) -> bool:
    return locked_until is not None and now < locked_until


def login_verdict(
    *,
    failures: int,
    locked_until: dt.datetime | None,
    password_ok: bool,
    now: dt.datetime,
    max_failures: int,
    lockout: dt.timedelta,
) -> Verdict:
    """What one attempt does to an account with ``failures`` wrong passwords in a row.

    While locked, every attempt is refused and changes nothing (so the lock cannot be extended
    or shortened by trying). When a lock has expired the count starts again from zero.
    """
    if is_locked(locked_until, now):
        return Verdict(Outcome.LOCKED, failures, locked_until)
    if locked_until is not None:  # an expired lock: a fresh start
        failures = 0
    if password_ok:
        return Verdict(Outcome.SUCCEEDED, 0, None)
    failures += 1
    if failures >= max_failures:
        return Verdict(Outcome.LOCKED_NOW, failures, now + lockout)
    return Verdict(Outcome.FAILED, failures, None)
