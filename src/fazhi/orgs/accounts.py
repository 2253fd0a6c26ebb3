"""Users and their memberships: the write path for accounts. Each function is one audited transaction.

Signing in goes through :func:`login_attempt`, which applies the lockout rule of
:mod:`fazhi.orgs.lockout` and audits every attempt. Membership changes made by a person (``actor``
not None) are checked against that person's scope here too, so the page, the import and the CLI
all refuse a grant outside the administrator's subtree; the views still check first, through
:mod:`fazhi.orgs.access`, to answer 403/404.
"""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from fazhi.core.audit import audit_record
from fazhi.core.errors import DomainError
from fazhi.orgs import lockout, roles
from fazhi.orgs.access import forget_grants, has_capability
from fazhi.orgs.models import Membership, Org, Role, User

# ---------------------------------------------------------------------------------------------
# Signing in
# ---------------------------------------------------------------------------------------------


class LoginRefused(DomainError):
    """A sign-in attempt was refused. ``locked_until`` is set when the account is locked."""

    def __init__(self, message: str, *, rule: str, locked_until: dt.datetime | None = None):
        super().__init__(message, rule=rule)
        self.locked_until = locked_until


def _max_failures() -> int:
    return getattr(settings, "FAZHI_LOGIN_MAX_FAILURES", 5)


def _lockout_period() -> dt.timedelta:
    return dt.timedelta(minutes=getattr(settings, "FAZHI_LOGIN_LOCKOUT_MINUTES", 15))


def _wrong_credentials() -> LoginRefused:
    return LoginRefused(_("Wrong user name or password."), rule="auth.invalid")


def _locked(until: dt.datetime) -> LoginRefused:
    when = formats.date_format(timezone.localtime(until), "Y-m-d H:i")
    return LoginRefused(
        _(
            "This account is locked after too many wrong passwords. Try again after %(time)s, "
            "or ask your administrator for help."
        )
        % {"time": when},
        rule="auth.locked",
        locked_until=until,
    )


def _mask(text: str, keep: int = 2) -> str:
    """The first characters of ``text`` and a star for each of the rest (at most 150 characters)."""
    text = text[:150]
    return text[:keep] + "*" * max(0, len(text) - keep)


@transaction.atomic
def _login_record(*, username: str, password: str, ip: str | None) -> LoginRefused | User:
    """Check one attempt, store the counter and audit it; the caller raises after the commit."""
    user = User.objects.select_for_update().filter(username=username).first()
    if user is None:
        User().set_password(password)  # spend the hashing time an existing account would cost
        # Only a masked form of what was typed: it may be a mistyped password.
        masked = _mask(username)
        audit_record(
            action="auth.login.failed",
            object_type="orgs.user",
            object_repr=masked,
            new={"username": masked, "reason": "unknown_user"},
            ip=ip,
        )
        return _wrong_credentials()
    if not user.is_active:
        user.check_password(password)
        audit_record(action="auth.login.failed", obj=user, new={"reason": "inactive"}, ip=ip)
        return _wrong_credentials()

    now = timezone.now()
    locked = lockout.is_locked(user.locked_until, now)
    verdict = lockout.login_verdict(
        failures=user.failed_logins,
        locked_until=user.locked_until,
        # A locked account's password is not even checked: trying reveals nothing.
        password_ok=not locked and user.check_password(password),
        now=now,
        max_failures=_max_failures(),
        lockout=_lockout_period(),
    )
    if (verdict.failures, verdict.locked_until) != (user.failed_logins, user.locked_until):
        user.failed_logins, user.locked_until = verdict.failures, verdict.locked_until
        user.save(update_fields=["failed_logins", "locked_until"])

    outcome = lockout.Outcome
    if verdict.outcome is outcome.SUCCEEDED:
        audit_record(actor=user, action="auth.login.succeeded", obj=user, ip=ip)
        return user
    if verdict.outcome is outcome.LOCKED:
        audit_record(
            action="auth.login.failed", obj=user, new={"reason": "locked", "locked_until": user.locked_until}, ip=ip
        )
        return _locked(user.locked_until)
    audit_record(
        action="auth.login.failed",
        obj=user,
        new={"reason": "wrong_password", "failed_logins": verdict.failures},
        ip=ip,
    )
    if verdict.outcome is outcome.LOCKED_NOW:
        audit_record(
            action="auth.login.locked",
            obj=user,
            new={"failed_logins": verdict.failures, "locked_until": verdict.locked_until},
            ip=ip,
        )
        return _locked(verdict.locked_until)
    return _wrong_credentials()


def login_attempt(*, username: str, password: str, ip: str | None = None) -> User:
    """The account, if ``password`` signs it in now; :class:`LoginRefused` otherwise.

    ``settings.FAZHI_LOGIN_MAX_FAILURES`` wrong passwords in a row lock the account for
    ``settings.FAZHI_LOGIN_LOCKOUT_MINUTES``; while locked it cannot sign in, even with the right
    password. A success resets the count. An unknown user name gets the same answer as a wrong
    password. The counter and the audit events are committed before the refusal is raised, so
    they persist although the sign-in fails (the row lock makes concurrent attempts count one by one).
    The caller starts the session (``django.contrib.auth.login``).
    """
    result = _login_record(username=username, password=password, ip=ip)
    if isinstance(result, LoginRefused):
        raise result
    return result


@transaction.atomic
def user_unlock(*, actor, user: User) -> User:
    """Lift a lock and clear the count of wrong passwords (an administrator's help desk action)."""
    user = User.objects.select_for_update().get(pk=user.pk)
    old = {"failed_logins": user.failed_logins, "locked_until": user.locked_until}
    user.failed_logins, user.locked_until = 0, None
    user.save(update_fields=["failed_logins", "locked_until"])
    audit_record(actor=actor, action="auth.login.unlocked", obj=user, old=old, new={"failed_logins": 0})
    return user


@transaction.atomic
def user_password_change(*, user: User, old_password: str, new_password: str) -> User:
    """The user changes their own password: the old one is required, Django's validators apply."""
    if not user.check_password(old_password):
        raise DomainError(
            _("Your old password was entered incorrectly."), rule="auth.old_password", field="old_password"
        )
    try:
        validate_password(new_password, user)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), rule="user.password", field="new_password") from None
    user.set_password(new_password)
    user.save(update_fields=["password"])
    audit_record(actor=user, action="auth.password.changed", obj=user)
    return user


# ---------------------------------------------------------------------------------------------
# Users and memberships
# ---------------------------------------------------------------------------------------------


def _membership_values(membership: Membership) -> dict:
    return {"user": membership.user.username, "org_id": membership.org_id, "role": membership.role}


def _check_actor_scope(actor, org: Org) -> None:
    """A person may grant or take away roles only within their MEMBERSHIP_MANAGE subtree."""
    if actor is not None and not has_capability(actor, roles.MEMBERSHIP_MANAGE, org):
        raise DomainError(
            _("You cannot manage roles at %(org)s: it is outside your organisations.") % {"org": org.name},
            rule="membership.scope",
            field="org",
        )


@transaction.atomic
def user_create(
    *, actor, username: str, full_name: str, password: str | None, password_hash: str | None = None
) -> User:
    """Create an account. A ``None`` password creates an account that cannot sign in yet.

    ``password_hash`` (from ``make_password`` of a password that passed the validators) lets a bulk
    import hash before its transaction starts: hashing is slow by design and would hold the write lock.
    """
    username = username.strip()
    if not username:
        raise DomainError(_("The user name is required."), rule="user.username", field="username")
    try:
        User.username_validator(username)
    except ValidationError as exc:
        raise DomainError(" ".join(exc.messages), rule="user.username", field="username") from None
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(
            _("The user name %(username)s is already taken.") % {"username": username},
            rule="user.username_unique",
            field="username",
        )
    user = User(username=username, full_name=full_name.strip())
    if password_hash is not None:
        user.password = password_hash
    elif password is None:
        user.set_unusable_password()
    else:
        try:
            validate_password(password, user)
        except ValidationError as exc:
            raise DomainError(" ".join(exc.messages), rule="user.password", field="password") from None
        user.set_password(password)
    user.save()
    audit_record(actor=actor, action="orgs.user.created", obj=user, new={"username": username, "full_name": full_name})
    return user


@transaction.atomic
def user_create_with_membership(
    *, actor, username: str, full_name: str, password: str | None, org: Org, role: str
) -> Membership:
    """A new account and its first role, together or not at all."""
    _check_actor_scope(actor, org)
    user = user_create(actor=actor, username=username, full_name=full_name, password=password)
    return membership_add(actor=actor, user=user, org=org, role=role)


@transaction.atomic
def membership_add(*, actor, user: User, org: Org, role: str) -> Membership:
    if role not in Role.values:
        raise DomainError(_("Unknown role: %(role)s") % {"role": role}, rule="membership.role", field="role")
    _check_actor_scope(actor, org)
    if not org.is_active:
        raise DomainError(
            _("%(org)s is deactivated; no one can be given a role there.") % {"org": org.name},
            rule="membership.org_inactive",
            field="org",
        )
    if Membership.objects.filter(user=user, org=org, role=role).exists():
        raise DomainError(
            _("%(user)s already holds this role at %(org)s.") % {"user": user, "org": org.name},
            rule="membership.unique",
            field="role",
        )
    membership = Membership.objects.create(user=user, org=org, role=role)
    audit_record(actor=actor, action="orgs.membership.added", obj=membership, new=_membership_values(membership))
    forget_grants(user)
    return membership


@transaction.atomic
def membership_remove(*, actor, membership: Membership) -> None:
    """Take a role away. A person cannot remove their own last administrator role (they would lock
    themselves out of managing anything)."""
    membership = (
        Membership.objects.select_for_update(of=("self",))
        .select_related("user", "org")
        .filter(pk=membership.pk)
        .first()
    )
    if membership is None:
        raise DomainError(_("This role has already been removed."), rule="membership.gone")
    _check_actor_scope(actor, membership.org)
    if actor is not None and membership.user_id == actor.pk and membership.role == Role.ADMINISTRATOR:
        # Lock the actor's other administrator roles, so two removals at once cannot take both.
        others = Membership.objects.select_for_update(of=("self",)).filter(
            user_id=actor.pk, role=Role.ADMINISTRATOR, org__is_active=True
        )
        if not list(others.exclude(pk=membership.pk).values_list("pk", flat=True)):
            raise DomainError(
                _("You cannot remove your own last administrator role: no one could then give it back to you."),
                rule="membership.last_admin",
            )
    old = _membership_values(membership)
    audit_record(actor=actor, action="orgs.membership.removed", obj=membership, old=old)
    membership.delete()
    forget_grants(membership.user)
    if actor is not None and actor.pk == membership.user_id:
        forget_grants(actor)
