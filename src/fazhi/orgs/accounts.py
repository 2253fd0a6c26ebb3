"""Users and their memberships: the write path for accounts. Each function is one audited transaction.

As in :mod:`fazhi.orgs.services`, the caller checks who is acting (an administrator may manage
memberships only within their subtree, see :mod:`fazhi.orgs.access`); these functions enforce
the data rules and write the audit event.
"""

from __future__ import annotations

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from fazhi.core.audit import audit_record
from fazhi.core.errors import DomainError
from fazhi.orgs.models import Membership, Org, Role, User


def _membership_values(membership: Membership) -> dict:
    return {"user": membership.user.username, "org_id": membership.org_id, "role": membership.role}


@transaction.atomic
def user_create(*, actor, username: str, full_name: str, password: str | None) -> User:
    """Create an account. A ``None`` password creates an account that cannot sign in yet."""
    username = username.strip()
    if not username:
        raise DomainError(_("The user name is required."), rule="user.username", field="username")
    if User.objects.filter(username__iexact=username).exists():
        raise DomainError(
            _("The user name %(username)s is already taken.") % {"username": username},
            rule="user.username_unique",
            field="username",
        )
    user = User(username=username, full_name=full_name.strip())
    if password is None:
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
def membership_add(*, actor, user: User, org: Org, role: str) -> Membership:
    if role not in Role.values:
        raise DomainError(_("Unknown role: %(role)s") % {"role": role}, rule="membership.role", field="role")
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
    return membership


@transaction.atomic
def membership_remove(*, actor, membership: Membership) -> None:
    old = _membership_values(membership)
    audit_record(actor=actor, action="orgs.membership.removed", obj=membership, old=old)
    membership.delete()
